"""Every allowed and every refused lifecycle transition, and each guard."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

import pytest

from repatriation.domain import lifecycle
from repatriation.domain.care import Closure, Reception
from repatriation.domain.case import Case
from repatriation.domain.enums import (
    CaseStatus,
    Corridor,
    Outcome,
    ReturnChannel,
    VerificationKind,
    VerificationOutcome,
)
from repatriation.domain.errors import TransitionError
from repatriation.domain.people import Person
from repatriation.domain.verification import VerificationRequest

DAY = date(2026, 3, 2)
ALL = list(CaseStatus)
PAIRS = list(itertools.product(ALL, ALL))
ALLOWED = [(s, t) for s, t in PAIRS if lifecycle.is_allowed(s, t)]
REFUSED = [(s, t) for s, t in PAIRS if not lifecycle.is_allowed(s, t)]


def ready_case(status: CaseStatus) -> Case:
    """A case in ``status`` that satisfies every guard."""
    return Case(
        reference="LC-2026-000001",
        person=Person("Trần", "Lan", "Thị"),
        channel=ReturnChannel.OFFICIAL_HANDOVER,
        corridor=Corridor.CHINA,
        received_on=DAY,
        status=status,
        verifications=(
            VerificationRequest(
                "V1", VerificationKind.POLICE_IDENTITY, "post", "police", sent_on=DAY
            ),
        ),
        batch_reference="LC-BG-2026-000001",
        reception=Reception("Centre", DAY),
    )


def test_the_table_is_neither_empty_nor_total() -> None:
    assert len(ALLOWED) == 17
    assert len(REFUSED) == 49 - 17


@pytest.mark.parametrize(("source", "target"), ALLOWED, ids=lambda s: str(s))
def test_allowed_transition_succeeds(source: CaseStatus, target: CaseStatus) -> None:
    closure = Closure(DAY, Outcome.FAMILY_REUNIFICATION)
    moved, event = ready_case(source).transition(
        target, DAY, closure=closure, reason="back to care"
    )
    assert moved.status is target
    assert event.name == "status_changed"
    assert event.details == {"source": str(source), "target": str(target)}


@pytest.mark.parametrize(("source", "target"), REFUSED, ids=lambda s: str(s))
def test_refused_transition_raises(source: CaseStatus, target: CaseStatus) -> None:
    closure = Closure(DAY, Outcome.FAMILY_REUNIFICATION)
    with pytest.raises(TransitionError) as info:
        ready_case(source).transition(target, DAY, closure=closure, reason="x")
    assert info.value.code == "transition_not_allowed"


def test_closing_needs_an_outcome() -> None:
    with pytest.raises(TransitionError, match="closing_needs_outcome"):
        ready_case(CaseStatus.IN_CARE).transition(CaseStatus.CLOSED, DAY)


def test_refused_verification_blocks_handover() -> None:
    case = ready_case(CaseStatus.AWAITING_HANDOVER)
    refused = case.verifications[0].with_reply(DAY, VerificationOutcome.REFUSED, "not confirmed")
    case = replace(case, verifications=(refused,))
    with pytest.raises(TransitionError, match="verification_refused"):
        case.transition(CaseStatus.HANDED_OVER, DAY)
    with pytest.raises(TransitionError, match="verification_refused"):
        case.assign_batch("LC-BG-2026-000002")


def test_handover_needs_a_batch() -> None:
    case = replace(ready_case(CaseStatus.AWAITING_HANDOVER), batch_reference=None)
    with pytest.raises(TransitionError, match="handover_needs_batch"):
        case.transition(CaseStatus.HANDED_OVER, DAY)


def test_care_needs_reception_and_verification_needs_a_request() -> None:
    case = replace(ready_case(CaseStatus.RECEIVED), reception=None, verifications=())
    with pytest.raises(TransitionError, match="care_needs_reception"):
        case.transition(CaseStatus.IN_CARE, DAY)
    with pytest.raises(TransitionError, match="verification_needs_request"):
        case.transition(CaseStatus.VERIFICATION, DAY)


def test_reopening_needs_a_reason_and_clears_the_closure() -> None:
    closed, _ = ready_case(CaseStatus.IN_CARE).transition(
        CaseStatus.CLOSED, DAY, closure=Closure(DAY, Outcome.LOST_CONTACT)
    )
    assert closed.closure is not None
    with pytest.raises(TransitionError, match="reopen_needs_reason"):
        closed.transition(CaseStatus.IN_CARE, DAY)
    reopened, _ = closed.transition(CaseStatus.IN_CARE, DAY, reason="came back to the centre")
    assert reopened.closure is None


def test_reintegration_schedules_follow_ups_at_3_6_12_months() -> None:
    moved, _ = ready_case(CaseStatus.IN_CARE).transition(
        CaseStatus.REINTEGRATION, date(2026, 1, 31)
    )
    assert [(f.months, f.due_on) for f in moved.follow_ups] == [
        (3, date(2026, 4, 30)),
        (6, date(2026, 7, 31)),
        (12, date(2027, 1, 31)),
    ]
