"""A realistic, clearly fictitious demo data set across the three corridors (no real person's story).

Names are random combinations of common Vietnamese family, middle and given names; places and
dates are random too. Every demo case carries the note "DEMO - fictitious" so nobody mistakes one
for a real record.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import date, timedelta

from repatriation.domain.actors import Actor
from repatriation.domain.care import Screening
from repatriation.domain.case import Case
from repatriation.domain.enums import (
    AgeConfidence,
    CaseStatus,
    Corridor,
    ExploitationForm,
    PlaceKind,
    ReturnChannel,
    ScreeningStatus,
    Sex,
    VerificationKind,
    VerificationOutcome,
)
from repatriation.domain.people import Address, BirthInfo, Person
from repatriation.domain.permissions import Action
from repatriation.domain.sensitivity import FieldClass
from repatriation.domain.verification import VerificationRequest
from repatriation.services import access, demo_story
from repatriation.services.audit import record_action
from repatriation.services.ports import Clock, ReferenceLookup, UnitOfWork, UnitOfWorkFactory
from repatriation.services.verifications import deadline_for

DEMO_NOTE = "DEMO - fictitious"
FAMILY = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Giàng",
    "Sùng",
    "Vàng",
    "Lò",
    "Hà",
    "Triệu",
    "Lục",
    "Thào",
    "Chảo",
)
MIDDLE_F = ("Thị", "Thị Thu", "Thị Ngọc", "Thị Hồng", "Mai", "")
MIDDLE_M = ("Văn", "Đức", "Minh", "Quang", "A", "")
GIVEN_F = (
    "Hồng",
    "Lan",
    "Mai",
    "Hoa",
    "Dung",
    "Thảo",
    "Linh",
    "Nhung",
    "Chi",
    "Vân",
    "Sua",
    "Mỷ",
    "Dợ",
    "Pàng",
    "Xuân",
    "Yến",
    "Ngân",
    "Trang",
    "Hạnh",
    "Phương",
)
GIVEN_M = ("Nam", "Hùng", "Tuấn", "Dũng", "Sử", "Páo", "Minh", "Long", "Khánh", "Phú")
# Ethnic mix per corridor (domain.md 7.3): China mostly minorities, Cambodia mostly Kinh.
ETHNIC_BY_CORRIDOR = {
    Corridor.CHINA: ("08", "08", "08", "09", "09", "01", "02", "07", "03", "25", "40"),
    Corridor.CAMBODIA: ("01", "01", "01", "01", "05", "17"),
    Corridor.LAO: ("03", "29", "08", "23", "31", "01"),
}
CHANNELS = (
    ReturnChannel.OFFICIAL_HANDOVER,
    ReturnChannel.OFFICIAL_HANDOVER,
    ReturnChannel.RESCUE,
    ReturnChannel.SELF_RETURN,
    ReturnChannel.VIA_MISSION,
    ReturnChannel.INTERCEPTION,
)
STATUS_PATH = (
    CaseStatus.RECEIVED,
    CaseStatus.VERIFICATION,
    CaseStatus.AWAITING_HANDOVER,
    CaseStatus.IN_CARE,
    CaseStatus.REINTEGRATION,
    CaseStatus.CLOSED,
)


class DemoService:
    """Seeds the demo data set."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        reference: ReferenceLookup,
        clock: Clock,
        post_code: str,
    ) -> None:
        self._uow_factory = uow_factory
        self._reference = reference
        self._clock = clock
        self.post_code = post_code

    def _person(self, rng: random.Random, corridor: Corridor, received_on: date) -> Person:
        sex = rng.choice((Sex.FEMALE, Sex.FEMALE, Sex.FEMALE, Sex.MALE, Sex.UNKNOWN))
        female = sex is not Sex.MALE
        age = rng.randint(8, 24)
        documented = rng.random() < 0.4
        birth = (
            BirthInfo(
                date_of_birth=received_on - timedelta(days=age * 365 + rng.randint(0, 364)),
                confidence=AgeConfidence.DOCUMENTED,
            )
            if documented
            else BirthInfo(
                estimated_age=age,
                estimated_on=received_on,
                confidence=rng.choice(list(AgeConfidence)[1:]),
            )
        )
        return Person(
            family_name=rng.choice(FAMILY),
            middle_name=rng.choice(MIDDLE_F if female else MIDDLE_M),
            given_name=rng.choice(GIVEN_F if female else GIVEN_M),
            sex=sex,
            birth=birth,
            ethnic_code=rng.choice(ETHNIC_BY_CORRIDOR.get(corridor, ("01",))),
            preferred_language=rng.choice(("vi", "vi", "hmn", "zh"))
            if corridor is Corridor.CHINA
            else "vi",
            address=Address(as_written="Xã (demo), Tỉnh (demo)"),
        )

    def _case(self, rng: random.Random, ref: str, today: date) -> tuple[Case, CaseStatus]:
        corridor = rng.choice((Corridor.CHINA, Corridor.CHINA, Corridor.CAMBODIA, Corridor.LAO))
        received_on = today - timedelta(days=rng.randint(0, 900))
        gates = self._reference.gates_for(corridor, received_on)
        gate = rng.choice(gates) if gates else None
        case = Case(
            reference=ref,
            person=self._person(rng, corridor, received_on),
            channel=rng.choice(CHANNELS),
            corridor=corridor,
            received_on=received_on,
            trafficked_on=received_on - timedelta(days=rng.randint(20, 1500)),
            place_kind=gate.kind if gate else PlaceKind.OTHER,
            gate_code=gate.code if gate else None,
            place_detail=""
            if gate is None or gate.kind is not PlaceKind.BORDER_MARKER
            else gate.name_vi,
            post_code=self.post_code,
            notes=DEMO_NOTE,
        )
        stage = STATUS_PATH[rng.randint(0, len(STATUS_PATH) - 1)]
        return self._progress(rng, case, stage, received_on, today), stage

    def _progress(self, rng: random.Random, case: Case, stage: CaseStatus, start: date, today: date) -> Case:
        """Up to ``stage``; a case handed over by a foreign authority stops before its batch."""
        sent_on = start + timedelta(days=rng.randint(0, 3))
        if stage is CaseStatus.RECEIVED or sent_on > today:
            return case
        kind = rng.choice((VerificationKind.POLICE_IDENTITY, VerificationKind.NATIONALITY))
        due, rule = deadline_for(self._reference, kind, case.corridor, sent_on)
        case, _ = case.add_verification(
            VerificationRequest(
                request_id="V1",
                kind=kind,
                requested_by="Demo post",
                requested_to="Provincial police (demo)",
                sent_on=sent_on,
                due_on=due,
                rule_code=rule.code if rule else None,
                legal_reference=rule.legal_reference if rule else "",
            )
        )
        case, _ = case.transition(CaseStatus.VERIFICATION, sent_on)
        if stage is CaseStatus.VERIFICATION:
            return case
        case = replace(
            case,
            verifications=tuple(
                v.with_reply(min(today, (v.due_on or sent_on)), VerificationOutcome.CONFIRMED, "")
                for v in case.verifications
            ),
        )
        case, _ = case.record_screening(Screening(ScreeningStatus.UNDER_IDENTIFICATION))
        case, _ = case.record_screening(
            Screening(
                ScreeningStatus.IDENTIFIED_VICTIM,
                (rng.choice(list(ExploitationForm)),),
                decided_on=sent_on,
            )
        )
        if stage is CaseStatus.AWAITING_HANDOVER or case.channel is ReturnChannel.OFFICIAL_HANDOVER:
            return case.transition(CaseStatus.AWAITING_HANDOVER, sent_on)[0]  # a batch follows (seed)
        return demo_story.care(rng, case, stage, sent_on, today)

    def _batches(
        self, uow: UnitOfWork, rng: random.Random, made: list[tuple[Case, CaseStatus]], today: date
    ) -> list[Case]:
        """Persons handed over by a foreign authority, in batches of up to three per corridor.

        Handed over (then cared for) for the later stages; planned for some still waiting.
        """
        cases: list[Case] = []
        groups: dict[tuple[Corridor, bool], list[tuple[Case, CaseStatus]]] = {}
        for case, stage in made:
            official = case.channel is ReturnChannel.OFFICIAL_HANDOVER
            if case.status is CaseStatus.AWAITING_HANDOVER and official:
                key = (case.corridor, stage is CaseStatus.AWAITING_HANDOVER)
                groups.setdefault(key, []).append((case, stage))
            else:
                cases.append(case)
        prefix = f"{self.post_code}-BG"
        for (_, waiting), items in sorted(groups.items(), key=lambda g: (g[0][0].value, g[0][1])):
            items.sort(key=lambda item: item[0].received_on)
            for start in range(0, len(items), 3):
                group = items[start : start + 3]
                members = [c for c, _ in group]
                if waiting and start >= 6:  # two planned batches per corridor; the rest wait unbatched
                    cases.extend(members)
                    continue
                latest: date = max(
                    (v.received_on or v.sent_on or c.received_on) for c in members for v in c.verifications
                )
                on = min(today, latest + timedelta(days=rng.randint(2, 9)))
                batch = demo_story.batch_for(uow.batches.next_reference(prefix, on.year), members, on, rng,
                                             signed=not waiting)  # fmt: skip
                if waiting:
                    uow.batches.add(batch)
                    cases.extend(c.assign_batch(batch.reference) for c in members)
                    continue
                done, moved = demo_story.hand_over(batch, members)
                uow.batches.add(done)
                stages = [stage for _, stage in group]
                pairs = zip(moved, stages, strict=True)
                cases.extend(demo_story.care(rng, c, s, on, today) for c, s in pairs)
        return cases

    def seed(self, actor: Actor, count: int, seed: int = 2026) -> int:
        """Insert ``count`` demo cases in one transaction; returns how many were created.

        Demo cases fill every field class, so the actor needs the edit right on each.
        """
        for field_class in FieldClass:
            access.require(actor, Action.EDIT, field_class, purpose="demo")
        rng = random.Random(seed)
        today = self._clock.today()
        with self._uow_factory() as uow:
            prefix = f"{self.post_code}-DEMO"
            start = len(uow.cases.references_with_prefix(prefix)) + 1
            # Global ids from their own generator: reproducible without shifting the data's draws.
            ids = random.Random(f"{seed}:{self.post_code}:{start}")
            made = []
            for i in range(count):
                case, stage = self._case(rng, f"{prefix}-{start + i:06d}", today)
                global_id = str(uuid.UUID(int=ids.getrandbits(128), version=4))
                made.append((replace(case, global_id=global_id), stage))
            cases = self._batches(uow, rng, made, today)
            uow.cases.add_many(cases)
            record_action(
                uow, actor, self._clock.now(), "demo_seeded", "import", "demo", count=count
            )
            uow.commit()
        return len(cases)
