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
from repatriation.domain.care import Closure, Reception, Screening
from repatriation.domain.case import Case
from repatriation.domain.enums import (
    AgeConfidence,
    CaseStatus,
    Corridor,
    ExploitationForm,
    Outcome,
    PlaceKind,
    ReturnChannel,
    ScreeningStatus,
    Sex,
    VerificationKind,
    VerificationOutcome,
)
from repatriation.domain.people import Address, BirthInfo, Person
from repatriation.domain.verification import VerificationRequest
from repatriation.services.audit import record_action
from repatriation.services.ports import Clock, ReferenceLookup, UnitOfWorkFactory
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

    def _case(self, rng: random.Random, ref: str, today: date) -> Case:
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
        return self._progress(rng, case, received_on, today)

    def _progress(self, rng: random.Random, case: Case, start: date, today: date) -> Case:
        stage = STATUS_PATH[rng.randint(0, len(STATUS_PATH) - 1)]
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
        if stage is CaseStatus.AWAITING_HANDOVER:
            return case.transition(CaseStatus.AWAITING_HANDOVER, sent_on)[0]
        # Later stages go straight from verification into care (no batch is simulated).
        case, _ = case.record_reception(
            Reception(facility="Social protection centre (demo)", arrived_on=sent_on)
        )
        case, _ = case.transition(CaseStatus.IN_CARE, sent_on)
        if stage is CaseStatus.IN_CARE:
            return case
        case, _ = case.transition(CaseStatus.REINTEGRATION, sent_on + timedelta(days=14))
        if stage is CaseStatus.REINTEGRATION:
            return case
        closure = Closure(
            closed_on=min(today, sent_on + timedelta(days=400)),
            outcome=Outcome.FAMILY_REUNIFICATION,
        )
        case, _ = case.transition(CaseStatus.CLOSED, closure.closed_on, closure=closure)
        return case

    def seed(self, actor: Actor, count: int, seed: int = 2026) -> int:
        """Insert ``count`` demo cases in one transaction; returns how many were created."""
        rng = random.Random(seed)
        today = self._clock.today()
        with self._uow_factory() as uow:
            prefix = f"{self.post_code}-DEMO"
            start = len(uow.cases.references_with_prefix(prefix)) + 1
            # Global ids from their own generator: reproducible without shifting the data's draws.
            ids = random.Random(f"{seed}:{self.post_code}:{start}")
            cases = [replace(self._case(rng, f"{prefix}-{start + i:06d}", today),
                             global_id=str(uuid.UUID(int=ids.getrandbits(128), version=4)))
                     for i in range(count)]
            uow.cases.add_many(cases)
            record_action(
                uow, actor, self._clock.now(), "demo_seeded", "import", "demo", count=count
            )
            uow.commit()
        return len(cases)
