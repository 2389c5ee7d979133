"""Handover use cases: plan a batch, change its persons, mark it handed over (cases follow)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from repatriation.domain.actors import Actor
from repatriation.domain.enums import (
    CaseStatus,
    Corridor,
    HandoverDirection,
    PlaceKind,
)
from repatriation.domain.errors import TransitionError
from repatriation.domain.handover import BatchMember, HandoverBatch, Official
from repatriation.domain.permissions import Action
from repatriation.domain.sensitivity import FieldClass
from repatriation.services import access
from repatriation.services.audit import record_action, record_event
from repatriation.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

_BATCH_PREFIX = {
    HandoverDirection.INBOUND: "BG",
    HandoverDirection.OUTBOUND: "BO",
    HandoverDirection.INTERNAL: "BI",
}


@dataclass(frozen=True)
class BatchDraft:
    """A batch being planned."""

    direction: HandoverDirection
    corridor: Corridor
    planned_on: date
    place_kind: PlaceKind = PlaceKind.GATE
    gate_code: str | None = None
    place_detail: str = ""
    officials: tuple[Official, ...] = ()
    members: tuple[BatchMember, ...] = ()
    interpreter: str = ""
    remarks: str = ""
    originals_per_language: int = 2


class HandoverService:
    """Batches of persons handed over at a gate, or from the post to the police."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, post_code: str) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self.post_code = post_code

    def _assign(self, uow: UnitOfWork, refs: tuple[str, ...], batch_ref: str | None) -> None:
        for ref in refs:
            case = uow.cases.get(ref)
            if batch_ref is not None and case.status is CaseStatus.CLOSED:
                raise TransitionError("case_closed", case=ref)
            uow.cases.save(case.assign_batch(batch_ref))

    def plan_batch(self, actor: Actor, draft: BatchDraft) -> HandoverBatch:
        """Create a planned batch and put its cases in it."""
        access.require(actor, Action.EDIT, FieldClass.BASIC)
        with self._uow_factory() as uow:
            prefix = f"{self.post_code}-{_BATCH_PREFIX[draft.direction]}"
            ref = uow.batches.next_reference(prefix, draft.planned_on.year)
            batch = HandoverBatch(
                reference=ref,
                direction=draft.direction,
                corridor=draft.corridor,
                planned_on=draft.planned_on,
                place_kind=draft.place_kind,
                gate_code=draft.gate_code,
                place_detail=draft.place_detail,
                officials=draft.officials,
                members=draft.members,
                interpreter=draft.interpreter,
                remarks=draft.remarks,
                originals_per_language=draft.originals_per_language,
            )
            batch = access.guard_batch(actor, None, batch)
            self._assign(uow, batch.case_references, ref)
            saved = uow.batches.add(batch)
            record_action(
                uow,
                actor,
                self._clock.now(),
                "batch_planned",
                "batch",
                ref,
                persons=len(batch.members),
                direction=str(draft.direction),
            )
            uow.commit()
        return access.redact_batch(saved, actor)

    def update_batch(self, actor: Actor, batch: HandoverBatch) -> HandoverBatch:
        """Save officials, persons, belongings and remarks of a planned batch."""
        with self._uow_factory() as uow:
            stored = uow.batches.get(batch.reference)
            batch = access.guard_batch(actor, stored, batch)
            checked = stored.with_members(batch.members)
            removed = set(stored.case_references) - set(checked.case_references)
            added = set(checked.case_references) - set(stored.case_references)
            self._assign(uow, tuple(sorted(removed)), None)
            self._assign(uow, tuple(sorted(added)), batch.reference)
            saved = uow.batches.save(batch)
            record_action(
                uow,
                actor,
                self._clock.now(),
                "batch_updated",
                "batch",
                batch.reference,
                persons=len(batch.members),
            )
            uow.commit()
        return access.redact_batch(saved, actor)

    def mark_handed_over(self, actor: Actor, reference: str, at: datetime) -> HandoverBatch:
        """Record the handover; every case in the batch moves to 'handed over' in one transaction."""
        access.require(actor, Action.EDIT, FieldClass.BASIC)
        with self._uow_factory() as uow:
            batch = uow.batches.get(reference)
            done, event = batch.mark_handed_over(at)
            now = self._clock.now()
            for ref in done.case_references:
                case = uow.cases.get(ref)
                if case.status is not CaseStatus.AWAITING_HANDOVER:
                    case, moved = case.transition(CaseStatus.AWAITING_HANDOVER, at.date())
                    record_event(uow, actor, now, moved)
                handed, moved = case.transition(CaseStatus.HANDED_OVER, at.date())
                uow.cases.save(replace(handed, handed_over_on=at.date()))
                record_event(uow, actor, now, moved)
            saved = uow.batches.save(done)
            record_event(uow, actor, now, event)
            uow.commit()
        return access.redact_batch(saved, actor)

    def cancel(self, actor: Actor, reference: str) -> HandoverBatch:
        """Cancel a planned batch and release its cases."""
        access.require(actor, Action.EDIT, FieldClass.BASIC)
        with self._uow_factory() as uow:
            batch = uow.batches.get(reference)
            cancelled = batch.cancel()
            self._assign(uow, cancelled.case_references, None)
            saved = uow.batches.save(cancelled)
            record_action(uow, actor, self._clock.now(), "batch_cancelled", "batch", reference)
            uow.commit()
        return access.redact_batch(saved, actor)

    def get(self, actor: Actor, reference: str) -> HandoverBatch:
        """Load a batch as the actor may view it."""
        access.require(actor, Action.VIEW, FieldClass.BASIC)
        with self._uow_factory() as uow:
            return access.redact_batch(uow.batches.get(reference), actor)

    def list_recent(self, actor: Actor, limit: int = 100) -> list[HandoverBatch]:
        """Most recent batches, as the actor may view them."""
        access.require(actor, Action.VIEW, FieldClass.BASIC)
        with self._uow_factory() as uow:
            return [access.redact_batch(b, actor) for b in uow.batches.list_recent(limit)]
