"""Handover batches: the persons handed over together, both sides' officials, belongings, health."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from repatriation.domain.enums import (
    BatchStatus,
    Corridor,
    HandoverDirection,
    PlaceKind,
    SignatureMethod,
)
from repatriation.domain.errors import TransitionError, ValidationError
from repatriation.domain.events import DomainEvent


@dataclass(frozen=True)
class Official:
    """A representative signing for one side."""

    full_name: str
    rank: str = ""
    unit: str = ""
    side: str = "vn"  # "vn" or "foreign"


@dataclass(frozen=True)
class BatchMember:
    """A person in the batch with what is handed over with them."""

    case_reference: str
    belongings: str = ""
    documents: str = ""
    health_state: str = ""
    signature: SignatureMethod = SignatureMethod.NOT_TAKEN
    witnessed_by: str = ""


@dataclass(frozen=True)
class HandoverBatch:
    """A handover event at a gate, auxiliary gate or marker (or the internal post -> police one)."""

    reference: str
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
    status: BatchStatus = BatchStatus.PLANNED
    handed_over_at: datetime | None = None
    revision: int = 0

    def __post_init__(self) -> None:
        if not self.reference:
            raise ValidationError("missing_field", field="reference")
        refs = [m.case_reference for m in self.members]
        if len(refs) != len(set(refs)):
            raise ValidationError("duplicate_member", batch=self.reference)

    @property
    def case_references(self) -> tuple[str, ...]:
        """References of the cases in the batch, in list order."""
        return tuple(m.case_reference for m in self.members)

    def with_members(self, members: tuple[BatchMember, ...]) -> HandoverBatch:
        """Change the list of persons while the batch is still planned."""
        if self.status is not BatchStatus.PLANNED:
            raise TransitionError("batch_not_planned", batch=self.reference)
        return replace(self, members=members)

    def mark_handed_over(self, at: datetime) -> tuple[HandoverBatch, DomainEvent]:
        """Close the batch as handed over; it needs persons and an official on each side."""
        if self.status is not BatchStatus.PLANNED:
            raise TransitionError("batch_not_planned", batch=self.reference)
        if not self.members:
            raise TransitionError("batch_empty", batch=self.reference)
        sides = {o.side for o in self.officials}
        needed = {"vn"} if self.direction is HandoverDirection.INTERNAL else {"vn", "foreign"}
        if not needed <= sides:
            raise TransitionError("batch_needs_officials", batch=self.reference)
        event = DomainEvent(
            name="batch_handed_over",
            batch_reference=self.reference,
            on=at.date(),
            details={"persons": len(self.members), "direction": str(self.direction)},
        )
        return replace(self, status=BatchStatus.HANDED_OVER, handed_over_at=at), event

    def cancel(self) -> HandoverBatch:
        """Cancel a planned batch."""
        if self.status is not BatchStatus.PLANNED:
            raise TransitionError("batch_not_planned", batch=self.reference)
        return replace(self, status=BatchStatus.CANCELLED)
