"""The canary desk for the access-matrix tests: every text field of a case carries its own marker.

``canary_case`` is ``full_case`` made printable and shareable (active consents, an open request,
in a planned batch). ``CLASSES`` maps every marker to the field class of the field it sits in,
read from the production classification (``sensitivity.leaves``), so a field moved to another
class moves its marker too. An output is checked by the markers it contains: exactly the ones
the role may use for the action, out of those the output shows to a supervisor.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from repatriation.domain.actors import Actor, Role
from repatriation.domain.care import ConsentRecord
from repatriation.domain.case import Case
from repatriation.domain.codec import to_jsonable
from repatriation.domain.enums import (
    CaseStatus,
    ConsentScope,
    ConsentSubject,
    Corridor,
    HandoverDirection,
    PlaceKind,
    VerificationKind,
)
from repatriation.domain.events import case_event
from repatriation.domain.handover import BatchMember, HandoverBatch, Official
from repatriation.domain.permissions import Action, allowed
from repatriation.domain.sensitivity import BATCH_MEMBER_FIELD_CLASSES, FieldClass, leaves
from repatriation.domain.verification import VerificationRequest
from repatriation.services.audit import record_event
from tests.security.full_case import CANARY, canary, full_case

REF = "LC-2025-000001"
BATCH = "LC-BG-2025-000001"
ROLES = tuple(Role)
_TOKEN = re.compile(CANARY + r"\d[A-Za-z0-9]+")


def _strings(value: Any) -> list[str]:
    data = to_jsonable(value) if not isinstance(value, (str, int, float, bool, type(None))) else value
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


def canary_case() -> Case:
    """``full_case`` awaiting handover, shareable everywhere, with one request still open."""
    case = full_case(REF)
    consents = tuple(
        ConsentRecord(subject, scope, True, date(2024, 2, 7), given_by=canary("consentby"))
        for subject in (ConsentSubject.CHILD, ConsentSubject.REPRESENTATIVE)
        for scope in (ConsentScope.SHARE_WITH_AGENCIES, ConsentScope.SHARE_ABROAD)
    )
    open_request = VerificationRequest(
        "V2", VerificationKind.POLICE_IDENTITY, canary("openby"), canary("opento"),
        canary("opensubject"), date(2024, 3, 1), date(2024, 4, 1), None, canary("openlegal"),
    )
    # No photo: a photo file needs the encrypted attachment store, which a demo desk has not.
    return replace(
        case, person=replace(case.person, photos=()), status=CaseStatus.AWAITING_HANDOVER,
        closure=None, batch_reference=BATCH, consents=(*case.consents, *consents),
        verifications=(*case.verifications, open_request),
    )


def canary_batch() -> HandoverBatch:
    """An inbound batch holding the canary case; the health at handover is sensitive."""
    member = BatchMember(REF, belongings=canary("belongings"), documents=canary("handeddocs"),
                         health_state=canary("handoverhealth"), witnessed_by=canary("witness"))
    return HandoverBatch(
        BATCH, HandoverDirection.INBOUND, Corridor.CHINA, date(2024, 2, 3), PlaceKind.GATE,
        "CN-LAOCAI", officials=(Official("Officer A"), Official("Officer B", side="foreign")),
        members=(member,),
    )


def _classes() -> dict[str, FieldClass]:
    out: dict[str, FieldClass] = {}
    for _concrete, (class_path, value, _tp) in leaves(canary_case()).items():
        from repatriation.domain.sensitivity import CASE_FIELD_CLASSES

        for text in _strings(value):
            for token in _TOKEN.findall(text):
                out[token] = CASE_FIELD_CLASSES[class_path]
    for member in canary_batch().members:
        for name, field_class in BATCH_MEMBER_FIELD_CLASSES.items():
            for token in _TOKEN.findall(str(getattr(member, name))):
                out[token] = field_class
    return out


CLASSES = _classes()
# The facility also reaches the history through the details of its audit entry.
HISTORY_FACILITY = canary("facility")


def found(text: str) -> set[str]:
    """The markers in an output (unknown tokens count too: they would be a leak of something)."""
    return set(_TOKEN.findall(text))


def of_class(markers: set[str], field_class: FieldClass) -> set[str]:
    """The markers of one class."""
    return {m for m in markers if CLASSES.get(m) is field_class}


def permitted(role: Role, action: Action) -> set[str]:
    """Every marker the role may use for ``action``."""
    return {m for m, k in CLASSES.items() if allowed(role, action, k)}


def check(shown: set[str], reference: set[str], role: Role, action: Action) -> None:
    """The role's output holds exactly the supervisor's markers the matrix lets it use."""
    unknown = shown - set(CLASSES)
    assert not unknown, f"markers from nowhere: {sorted(unknown)}"
    expected = reference & permitted(role, action)
    assert shown == expected, (
        f"{role} {action}: leaked {sorted(shown - expected)}, missing {sorted(expected - shown)}"
    )


def seed(services: Any, actor: Actor) -> None:
    """Store the canary case and batch, and the history entries about them."""
    with services.uow_factory() as uow:
        uow.cases.add(canary_case())
        uow.batches.add(canary_batch())
        at = services.clock.now()
        record_event(uow, actor, at, case_event("reception_recorded", REF, facility=HISTORY_FACILITY))
        record_event(uow, actor, at, case_event("screening_recorded", REF, forms=["sexual"]))
        record_event(uow, actor, at, case_event("status_changed", REF, target="in_care"))
        uow.commit()
