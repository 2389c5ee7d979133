"""The fictitious day the screenshots show: demo data plus records that put every page to work."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

from repatriation.bootstrap import Services
from repatriation.domain.actors import Actor, Role
from repatriation.domain.enums import (
    AgeConfidence,
    CaseStatus,
    Corridor,
    HandoverDirection,
    Literacy,
    PlaceKind,
    ReturnChannel,
    Sex,
    VerificationKind,
)
from repatriation.domain.errors import DomainError
from repatriation.domain.handover import BatchMember, Official
from repatriation.domain.people import BirthInfo, Person
from repatriation.services.cases import CaseDraft
from repatriation.services.handovers import BatchDraft
from repatriation.services.results import CaseQuery
from repatriation.services.verifications import VerificationDraft

OFFICER = Actor("lan.nguyen", Role.BORDER_GUARD)
LAO_FAMILY = "\u0e9e\u0ebb\u0ea1\u0ea1\u0eb0\u0e88\u0eb1\u0e99"
POST_NAME = "\u0110\u1ed3n Bi\u00ean ph\u00f2ng C\u1eeda kh\u1ea9u Qu\u1ed1c t\u1ebf L\u00e0o Cai (demo)"
VN_OFFICIAL = Official(
    "Nguy\u1ec5n V\u0103n B\u00ecnh", "Thi\u1ebfu t\u00e1", "\u0110\u1ed3n BP L\u00e0o Cai"
)


def scenario(services: Services) -> dict[str, str]:
    """Demo data plus a few records that show every page at work (fictitious people)."""
    services.demo.seed(Actor("chief", Role.SUPERVISOR), 300, 2026)
    cases, today = services.cases, services.clock.today()
    opened = {}
    extra = [
        (
            "khmer",
            Person(
                "\u179f\u17bb\u1781",
                "\u179f\u17d2\u179a\u17b8\u1793\u17b6\u1784",
                sex=Sex.FEMALE,
                nationality="KH",
                preferred_language="km",
                literacy=Literacy.PARTIAL,
                interpreter_needed=True,
                interpreter_language="km",
                birth=BirthInfo(estimated_age=11, estimated_on=today),
            ),
            ReturnChannel.OUTBOUND_HANDOVER,
            Corridor.CAMBODIA,
            "KH-MOCBAI",
        ),
        (
            "chinese",
            Person(
                "V\u00e0ng",
                "D\u1ee3",
                middle_name="Th\u1ecb",
                aliases=("\u738b\u79c0\u82f1",),
                sex=Sex.FEMALE,
                ethnic_code="08",
                preferred_language="hmn",
                birth=BirthInfo(date(2011, 4, 2), confidence=AgeConfidence.DOCUMENTED),
            ),
            ReturnChannel.OFFICIAL_HANDOVER,
            Corridor.CHINA,
            "CN-LAOCAI",
        ),
        (
            "lao",
            Person(
                LAO_FAMILY,
                "\u0eaa\u0eb8\u0ea5\u0eb4\u0e8d\u0eb0",
                sex=Sex.MALE,
                nationality="LA",
                preferred_language="lo",
                birth=BirthInfo(estimated_age=13, estimated_on=today),
            ),
            ReturnChannel.RESCUE,
            Corridor.LAO,
            "LA-CAUTREO",
        ),
    ]
    for key, person, channel, corridor, gate in extra:
        gate_code = gate if any(g.code == gate for g in services.reference.gates) else None
        place = PlaceKind.GATE if gate_code else PlaceKind.OTHER
        draft = CaseDraft(person, channel, corridor, today, place, gate_code, "" if gate_code else "demo")
        opened[key] = cases.open_case(OFFICER, draft).reference
    for key in ("chinese", "lao"):
        services.verifications.request(
            OFFICER,
            opened[key],
            VerificationDraft(
                VerificationKind.POLICE_IDENTITY,
                services.settings.post_name,
                "C\u00f4ng an t\u1ec9nh L\u00e0o Cai",
                today,
            ),
        )
    # A batch being prepared at the gate with the cases awaiting handover on the China corridor.
    waiting = [
        r for r in cases.list_cases(CaseQuery(status=CaseStatus.AWAITING_HANDOVER, limit=50), OFFICER).rows
        if r.corridor is Corridor.CHINA
    ][:3]
    batch = services.handovers.plan_batch(
        OFFICER,
        BatchDraft(
            direction=HandoverDirection.INBOUND,
            corridor=Corridor.CHINA,
            planned_on=today,
            gate_code="CN-LAOCAI",
            officials=(VN_OFFICIAL, Official("Li Ming", "", "Hekou PSB", side="foreign")),
            members=tuple(
                BatchMember(r.reference, belongings="1 ba l\u00f4", health_state="Kh\u1ecfe") for r in waiting
            ),
            interpreter="Gi\u00e0ng A P\u00e1o",
        ),
    )
    opened["batch"] = batch.reference
    # Two children already handed over, waiting at the reception centre.
    done = [
        r for r in cases.list_cases(CaseQuery(status=CaseStatus.AWAITING_HANDOVER, limit=50), OFFICER).rows
        if r.corridor is Corridor.CAMBODIA
    ][:2]
    if done:
        handed = services.handovers.plan_batch(
            OFFICER,
            BatchDraft(
                direction=HandoverDirection.INBOUND,
                corridor=Corridor.CAMBODIA,
                planned_on=today,
                gate_code="KH-MOCBAI",
                officials=(
                    Official("Tr\u1ea7n V\u0103n An", side="vn"),
                    Official("Sok Dara", side="foreign"),
                ),
                members=tuple(BatchMember(r.reference) for r in done),
            ),
        )
        services.handovers.mark_handed_over(OFFICER, handed.reference, services.clock.now())
    return opened


def publish_shown_releases(services: Services, page: Any) -> None:
    """The supervisor publishes the releases the page shows (other roles see published ones)."""
    from repatriation.domain.statistics_spec import Dimension

    chief, releases = Actor("chief", Role.SUPERVISOR), services.releases
    for dimensions in (None, (Dimension.MONTH, Dimension.CORRIDOR),
                       (Dimension.CORRIDOR, Dimension.CHANNEL),
                       (Dimension.ETHNIC_GROUP, Dimension.AGE_AT_RETURN)):
        try:
            releases.publish(chief, page.release_spec(dimensions), 5, purpose="screenshots")
        except DomainError as refused:  # a table the ledger refuses is shown as refused: say so
            print(f"release not published ({refused.code}): {dimensions}", file=sys.stderr)
