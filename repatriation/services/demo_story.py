"""The rest of the demo's story, all fictitious.

Handover batches with both sides' officials and signatures, then reception, consents, family
assessment, reintegration and follow-up visits.

Cases handed over by a foreign authority pass through a batch, as at a real gate; the others go
straight into care. Planned batches wait for the persons still awaiting handover.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from repatriation.domain.care import (
    Closure,
    ConsentRecord,
    FamilyAssessment,
    FollowUp,
    Reception,
    Referral,
    SupportDelivered,
)
from repatriation.domain.case import Case
from repatriation.domain.enums import (
    CaseStatus,
    ConsentScope,
    ConsentSubject,
    Corridor,
    FollowUpStatus,
    HandoverDirection,
    Outcome,
    SignatureMethod,
    SupportKind,
)
from repatriation.domain.handover import BatchMember, HandoverBatch, Official

FOREIGN_OFFICIALS = {
    Corridor.CHINA: ("Wang Wei (demo)", "Hekou Public Security (demo)"),
    Corridor.CAMBODIA: ("Sok Dara (demo)", "Svay Rieng Police (demo)"),
    Corridor.LAO: ("Khamphone S. (demo)", "Luang Namtha Police (demo)"),
}
SIGNED = (
    SignatureMethod.SIGNATURE, SignatureMethod.SIGNATURE, SignatureMethod.THUMBPRINT, SignatureMethod.MARK,
)  # fmt: skip


def officials(corridor: Corridor) -> tuple[Official, ...]:
    """One official of each side (fictitious names)."""
    name, unit = FOREIGN_OFFICIALS.get(corridor, ("Counterpart officer (demo)", "Counterpart (demo)"))
    return (
        Official("Nguyễn Văn Bình (demo)", "Thiếu tá", "Đồn Biên phòng (demo)", side="vn"),
        Official(name, "", unit, side="foreign"),
    )


def batch_for(
    reference: str, cases: Sequence[Case], on: date, rng: random.Random, *, signed: bool = True
) -> HandoverBatch:
    """A batch for ``cases`` at their gate; every person signed (or, planned, some not yet)."""
    first = cases[0]
    members = tuple(
        BatchMember(
            case_reference=c.reference,
            belongings="Quần áo, túi xách (demo)",
            health_state=rng.choice(("Khỏe", "Mệt, cần khám", "Khỏe")),
            signature=rng.choice(SIGNED) if signed or rng.random() < 0.5 else SignatureMethod.NOT_TAKEN,
        )
        for c in cases
    )
    return HandoverBatch(
        reference=reference,
        direction=HandoverDirection.INBOUND,
        corridor=first.corridor,
        planned_on=on,
        place_kind=first.place_kind,
        gate_code=first.gate_code,
        place_detail=first.place_detail,
        officials=officials(first.corridor),
        members=members,
        interpreter="Phiên dịch viên (demo)",
    )


def hand_over(batch: HandoverBatch, cases: Sequence[Case]) -> tuple[HandoverBatch, list[Case]]:
    """The batch handed over at 09:30 on its day; its cases moved to 'handed over'."""
    done, _ = batch.mark_handed_over(datetime.combine(batch.planned_on, time(9, 30)))
    moved = []
    for case in cases:
        handed, _ = case.assign_batch(batch.reference).transition(CaseStatus.HANDED_OVER, batch.planned_on)
        moved.append(replace(handed, handed_over_on=batch.planned_on))
    return done, moved


def care(rng: random.Random, case: Case, stage: CaseStatus, start: date, today: date) -> Case:
    """Reception, consents, support, family assessment, reintegration, follow-ups, closure."""
    step = _Steps(case)
    step.do(lambda c: c.record_reception(Reception("Trung tâm Công tác xã hội (demo)", start)))
    step.do(lambda c: c.transition(CaseStatus.IN_CARE, start))
    on = start  # the same day: a demo never records anything after today
    for subject in (ConsentSubject.CHILD, ConsentSubject.REPRESENTATIVE):
        if subject is ConsentSubject.CHILD and not step.case.person.must_consent_personally(on):
            continue
        given_by = "" if subject is ConsentSubject.CHILD else "Cha/mẹ (demo)"
        for scope in (ConsentScope.SERVICES, ConsentScope.SHARE_WITH_AGENCIES):
            step.add_consent(ConsentRecord(subject, scope, True, on, given_by))
    step.do(lambda c: c.add_support(SupportDelivered(SupportKind.ESSENTIAL_NEEDS, on, "Trung tâm (demo)")))
    if rng.random() < 0.4:
        step.do(lambda c: c.add_support(SupportDelivered(SupportKind.MEDICAL, on, "Trạm y tế (demo)")))
        step.set(referrals=(Referral("Bệnh viện tỉnh (demo)", on, "Khám sức khỏe"),))
    if stage is CaseStatus.IN_CARE:
        return step.case
    traced = start + timedelta(days=7)
    step.set(family_assessment=FamilyAssessment(traced, True, True, "Gia đình an toàn (demo)"))
    step.do(lambda c: c.transition(CaseStatus.REINTEGRATION, start + timedelta(days=14)))
    step.set(follow_ups=tuple(_visited(rng, f, today) for f in step.case.follow_ups))
    if stage is CaseStatus.REINTEGRATION:
        return step.case
    closure = Closure(min(today, start + timedelta(days=400)), Outcome.FAMILY_REUNIFICATION)
    step.do(lambda c: c.transition(CaseStatus.CLOSED, closure.closed_on, closure=closure))
    return step.case


def _visited(rng: random.Random, follow_up: FollowUp, today: date) -> FollowUp:
    if follow_up.due_on > today:
        return follow_up  # still planned
    status = FollowUpStatus.DONE if rng.random() < 0.85 else FollowUpStatus.MISSED
    return replace(follow_up, status=status, done_on=follow_up.due_on + timedelta(days=rng.randint(0, 6)))


class _Steps:
    """The case as each domain step leaves it (events are not audited: the seed is one entry)."""

    def __init__(self, case: Case) -> None:
        self.case = case

    def do(self, change: Callable[[Case], tuple[Case, object]]) -> None:
        self.case = change(self.case)[0]

    def add_consent(self, record: ConsentRecord) -> None:
        self.case = self.case.add_consent(record)[0]

    def set(self, **fields: object) -> None:
        self.case = replace(self.case, **fields)  # type: ignore[arg-type]
