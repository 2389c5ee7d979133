"""Verification use cases: send a request with its computed deadline, record replies, track dues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from repatriation.domain.actors import Actor
from repatriation.domain.case import Case
from repatriation.domain.deadlines import DeadlineRule
from repatriation.domain.enums import (
    CaseStatus,
    Corridor,
    HandoverDirection,
    VerificationKind,
    VerificationOutcome,
)
from repatriation.domain.errors import NotFoundError
from repatriation.domain.events import DomainEvent
from repatriation.domain.permissions import Action
from repatriation.domain.sensitivity import FieldClass
from repatriation.domain.verification import VerificationRequest
from repatriation.services import access
from repatriation.services.audit import record_event
from repatriation.services.ports import Clock, ReferenceLookup, UnitOfWorkFactory
from repatriation.services.results import DueVerification


@dataclass(frozen=True)
class VerificationDraft:
    """A request about to be sent."""

    kind: VerificationKind
    requested_by: str
    requested_to: str
    sent_on: date
    subject: str = ""


def deadline_for(
    reference: ReferenceLookup, kind: VerificationKind, corridor: Corridor, sent_on: date
) -> tuple[date | None, DeadlineRule | None]:
    """Due date and the rule behind it; ``(None, None)`` when no limit is known."""
    rule = reference.deadline_rules.find(kind, corridor, sent_on)
    if rule is None:
        return None, None
    return rule.due_date(sent_on, reference.calendar), rule


def entry_notice_deadline(
    reference: ReferenceLookup,
    corridor: Corridor,
    expected_on: date,
    direction: HandoverDirection = HandoverDirection.INBOUND,
) -> date | None:
    """Last day to notify the provincial police before a batch is expected (>= 3 days before)."""
    del direction  # the same notice rule applies both ways today; kept for a future rule split
    rule = reference.deadline_rules.find(VerificationKind.ENTRY_NOTICE, corridor, expected_on)
    return None if rule is None else rule.due_date(expected_on, reference.calendar)


class VerificationService:
    """Requests, replies and the due/overdue tracker."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, reference: ReferenceLookup, clock: Clock
    ) -> None:
        self._uow_factory = uow_factory
        self._reference = reference
        self._clock = clock

    def request(self, actor: Actor, case_reference: str, draft: VerificationDraft) -> Case:
        """Send a request; its due date comes from the rule in force on the sending day.

        Returns:
            The case as the actor may view it.
        """
        access.require(actor, Action.VIEW, FieldClass.BASIC)
        with self._uow_factory() as uow:
            case = uow.cases.get(case_reference)
            due_on, rule = deadline_for(self._reference, draft.kind, case.corridor, draft.sent_on)
            request = VerificationRequest(
                request_id=f"V{len(case.verifications) + 1}",
                kind=draft.kind,
                requested_by=draft.requested_by,
                requested_to=draft.requested_to,
                subject=draft.subject,
                sent_on=draft.sent_on,
                due_on=due_on,
                rule_code=rule.code if rule else None,
                legal_reference=rule.legal_reference if rule else "",
            )
            changed, event = case.add_verification(request)
            events: list[DomainEvent] = [event]
            if changed.status is CaseStatus.RECEIVED:
                changed, moved = changed.transition(CaseStatus.VERIFICATION, draft.sent_on)
                events.append(moved)
            saved = uow.cases.save(access.guard_change(actor, case, changed))
            for item in events:
                record_event(uow, actor, self._clock.now(), item)
            uow.commit()
        return access.redact(saved, actor)

    def reply(
        self,
        actor: Actor,
        case_reference: str,
        request_id: str,
        *,
        received_on: date,
        outcome: VerificationOutcome,
        reply: str = "",
    ) -> Case:
        """Record the reply to a request (the reply text is sensitive: it may carry DNA results)."""
        access.require(actor, Action.VIEW, FieldClass.BASIC)
        with self._uow_factory() as uow:
            case = uow.cases.get(case_reference)
            matching = [v for v in case.verifications if v.request_id == request_id]
            if not matching:
                raise NotFoundError("request_not_found", request=request_id)
            updated = matching[0].with_reply(received_on, outcome, reply)
            changed, event = case.replace_verification(updated)
            saved = uow.cases.save(access.guard_change(actor, case, changed))
            record_event(uow, actor, self._clock.now(), event)
            uow.commit()
        return access.redact(saved, actor)

    def due(self, actor: Actor, horizon_days: int = 0) -> list[DueVerification]:
        """Open requests due by today + ``horizon_days``, most overdue first.

        Every field of a tracker row is basic (a name, request codes, dates, the legal basis).
        """
        access.require(actor, Action.VIEW, FieldClass.BASIC)
        with self._uow_factory() as uow:
            return uow.queries.due_verifications(self._clock.today(), horizon_days)

    def overdue(self, actor: Actor) -> list[DueVerification]:
        """Open requests past their due date."""
        return [d for d in self.due(actor, 0) if d.days_overdue > 0]
