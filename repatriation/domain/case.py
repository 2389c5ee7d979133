"""The Case aggregate: one per person received, from the border to closure."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date

from repatriation.domain import lifecycle
from repatriation.domain.care import (
    Closure,
    ConsentRecord,
    FamilyAssessment,
    FollowUp,
    Reception,
    Referral,
    Screening,
    SupportDelivered,
    follow_up_schedule,
)
from repatriation.domain.corrections import CorrectionLog
from repatriation.domain.enums import (
    CaseStatus,
    ConsentScope,
    ConsentSubject,
    Corridor,
    PlaceKind,
    ReturnChannel,
    Route,
    ScreeningStatus,
    VerificationOutcome,
)
from repatriation.domain.errors import TransitionError, ValidationError
from repatriation.domain.events import DomainEvent, case_event
from repatriation.domain.fields import ExtraFields
from repatriation.domain.people import Person
from repatriation.domain.verification import VerificationRequest


def new_global_id() -> str:
    """A fresh random case identity (UUID version 4, canonical lower-case form)."""
    return str(uuid.uuid4())


def is_global_id(text: str) -> bool:
    """Whether ``text`` is a UUID in canonical lower-case form."""
    try:
        return str(uuid.UUID(text)) == text
    except ValueError:
        return False


# Screening moves forward only; a decision may be revised between the two final states.
_SCREENING_NEXT: dict[ScreeningStatus, frozenset[ScreeningStatus]] = {
    ScreeningStatus.RETURNED_CITIZEN: frozenset(
        {ScreeningStatus.UNDER_IDENTIFICATION, ScreeningStatus.NOT_A_VICTIM}
    ),
    ScreeningStatus.UNDER_IDENTIFICATION: frozenset(
        {ScreeningStatus.IDENTIFIED_VICTIM, ScreeningStatus.NOT_A_VICTIM}
    ),
    ScreeningStatus.IDENTIFIED_VICTIM: frozenset({ScreeningStatus.NOT_A_VICTIM}),
    ScreeningStatus.NOT_A_VICTIM: frozenset({ScreeningStatus.IDENTIFIED_VICTIM}),
}


@dataclass(frozen=True)
class Case:
    """A returned person's case. Immutable: every change returns a new Case and its event."""

    reference: str
    person: Person
    channel: ReturnChannel
    corridor: Corridor
    received_on: date
    place_kind: PlaceKind = PlaceKind.GATE
    gate_code: str | None = None
    place_detail: str = ""  # marker number, auxiliary gate name, town...
    post_code: str = ""  # the border post that opened the case
    trafficked_on: date | None = None  # when the person left or was taken (age at trafficking)
    # Age when trafficked, as told, where the date is not known (imports of older records).
    age_at_trafficking: int | None = None
    route: Route | None = None  # not recorded (older cases): they went abroad, see the corridor
    status: CaseStatus = CaseStatus.RECEIVED
    screening: Screening = field(default_factory=Screening)
    verifications: tuple[VerificationRequest, ...] = ()
    batch_reference: str | None = None
    handed_over_on: date | None = None
    reception: Reception | None = None
    consents: tuple[ConsentRecord, ...] = ()
    support: tuple[SupportDelivered, ...] = ()
    family_assessment: FamilyAssessment | None = None
    referrals: tuple[Referral, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    closure: Closure | None = None
    health_notes: str = ""  # sensitive
    exploitation_narrative: str = ""  # child-private (Decree 56/2017 art. 33)
    notes: str = ""
    revision: int = 0  # bumped by storage on every save; bundles refuse rollbacks
    # The case's identity across desks (bundles match on it, never on the human reference).
    # Created once when the case is first built; stored and carried in every bundle.
    global_id: str = ""
    # Fields corrected after intake, with the old values (domain/corrections.py).
    corrections: CorrectionLog = field(default_factory=CorrectionLog)
    # Values of fields registered after the fact (domain/case_fields.py), by name. Left out
    # of the stored document and bundles when empty, so older documents and hashes stay as
    # they were.
    extra_fields: ExtraFields = field(default_factory=ExtraFields, metadata={"omit_empty": True})

    def __post_init__(self) -> None:
        if not self.reference:
            raise ValidationError("missing_field", field="reference")
        if not self.global_id:
            object.__setattr__(self, "global_id", new_global_id())
        elif not is_global_id(self.global_id):
            raise ValidationError("bad_global_id", field="global_id")
        if self.place_kind is PlaceKind.BORDER_MARKER and not self.place_detail:
            raise ValidationError("missing_field", field="place_detail")

    # -- queries -----------------------------------------------------------------------------

    @property
    def has_refused_verification(self) -> bool:
        """A verification came back refused: the person may not be handed over."""
        return any(v.outcome is VerificationOutcome.REFUSED for v in self.verifications)

    def open_verifications(self) -> tuple[VerificationRequest, ...]:
        """Requests still waiting for a reply."""
        return tuple(v for v in self.verifications if v.is_open)

    def overdue_verifications(self, today: date) -> tuple[VerificationRequest, ...]:
        """Open requests past their due date."""
        return tuple(v for v in self.verifications if v.is_overdue(today))

    def next_due(self) -> date | None:
        """Earliest due date among open requests."""
        dues = [v.due_on for v in self.verifications if v.is_open and v.due_on is not None]
        return min(dues) if dues else None

    def has_consent(self, scope: ConsentScope, on: date) -> bool:
        """Whether sharing for ``scope`` is allowed on ``on``.

        The representative must consent, and the child too when aged 7+, unless a
        law-enforcement exemption is recorded for the scope.
        """
        active = [c for c in self.consents if c.scope is scope]
        if any(c.law_enforcement_exemption and c.recorded_on <= on for c in active):
            return True
        subjects = {c.subject for c in active if c.active_on(on)}
        needed = {ConsentSubject.REPRESENTATIVE}
        if self.person.must_consent_personally(on):
            needed.add(ConsentSubject.CHILD)
        return needed <= subjects

    # -- changes -----------------------------------------------------------------------------

    def transition(
        self, target: CaseStatus, on: date, *, closure: Closure | None = None, reason: str = ""
    ) -> tuple[Case, DomainEvent]:
        """Move to ``target`` if the table allows it and the guard holds."""
        if not lifecycle.is_allowed(self.status, target):
            raise TransitionError("transition_not_allowed", source=self.status, target=target)
        self._check_guard(target, closure, reason)
        changed = replace(self, status=target)
        if target is CaseStatus.CLOSED:
            changed = replace(changed, closure=closure)
        elif self.status is CaseStatus.CLOSED:
            changed = replace(changed, closure=None)
        if target is CaseStatus.REINTEGRATION and not self.follow_ups:
            changed = replace(changed, follow_ups=follow_up_schedule(on))
        event = case_event(
            "status_changed", self.reference, on, source=str(self.status), target=str(target)
        )
        return changed, event

    def _check_guard(self, target: CaseStatus, closure: Closure | None, reason: str) -> None:
        if target is CaseStatus.CLOSED and closure is None:
            raise TransitionError("closing_needs_outcome", case=self.reference)
        handover_targets = (CaseStatus.AWAITING_HANDOVER, CaseStatus.HANDED_OVER)
        if target in handover_targets and self.has_refused_verification:
            raise TransitionError("verification_refused", case=self.reference)
        if target is CaseStatus.HANDED_OVER and self.batch_reference is None:
            raise TransitionError("handover_needs_batch", case=self.reference)
        if target is CaseStatus.VERIFICATION and not self.verifications:
            raise TransitionError("verification_needs_request", case=self.reference)
        if target is CaseStatus.IN_CARE and self.reception is None:
            raise TransitionError("care_needs_reception", case=self.reference)
        if self.status is CaseStatus.CLOSED and not reason.strip():
            raise TransitionError("reopen_needs_reason", case=self.reference)

    def record_screening(self, screening: Screening) -> tuple[Case, DomainEvent]:
        """Change the identification status along the allowed path."""
        current = self.screening.status
        if screening.status is not current and screening.status not in _SCREENING_NEXT[current]:
            raise TransitionError("screening_not_allowed", source=current, target=screening.status)
        if screening.status is ScreeningStatus.IDENTIFIED_VICTIM and screening.decided_on is None:
            raise ValidationError("missing_field", field="decided_on")
        forms = sorted(str(f) for f in screening.exploitation_forms)
        event = case_event(
            "screening_recorded",
            self.reference,
            screening.decided_on,
            status=str(screening.status),
            forms=forms,
        )
        return replace(self, screening=screening), event

    def add_verification(self, request: VerificationRequest) -> tuple[Case, DomainEvent]:
        """Attach a new verification request (ids are unique within the case)."""
        if any(v.request_id == request.request_id for v in self.verifications):
            raise ValidationError("duplicate_request", request=request.request_id)
        event = case_event(
            "verification_requested",
            self.reference,
            request.sent_on,
            request=request.request_id,
            kind=str(request.kind),
            due_on=str(request.due_on),
        )
        return replace(self, verifications=(*self.verifications, request)), event

    def replace_verification(self, request: VerificationRequest) -> tuple[Case, DomainEvent]:
        """Store an updated request (e.g. with its reply)."""
        if not any(v.request_id == request.request_id for v in self.verifications):
            raise ValidationError("unknown_request", request=request.request_id)
        updated = tuple(
            request if v.request_id == request.request_id else v for v in self.verifications
        )
        event = case_event(
            "verification_replied",
            self.reference,
            request.received_on,
            request=request.request_id,
            outcome=str(request.outcome),
        )
        return replace(self, verifications=updated), event

    def assign_batch(self, batch_reference: str | None) -> Case:
        """Put the case in a handover batch (or take it out with ``None``)."""
        if batch_reference is not None and self.has_refused_verification:
            raise TransitionError("verification_refused", case=self.reference)
        return replace(self, batch_reference=batch_reference)

    def record_reception(self, reception: Reception) -> tuple[Case, DomainEvent]:
        """The reception facility acknowledges receipt of the person."""
        if reception.arrived_on < self.received_on:
            raise ValidationError("arrival_before_receipt", case=self.reference)
        event = case_event(
            "reception_recorded", self.reference, reception.arrived_on, facility=reception.facility
        )
        return replace(self, reception=reception), event

    def add_consent(self, consent: ConsentRecord) -> tuple[Case, DomainEvent]:
        """Record a consent, a refusal or a legal exemption."""
        event = case_event(
            "consent_recorded",
            self.reference,
            consent.recorded_on,
            subject=str(consent.subject),
            scope=str(consent.scope),
            given=consent.given,
        )
        return replace(self, consents=(*self.consents, consent)), event

    def add_support(self, item: SupportDelivered) -> tuple[Case, DomainEvent]:
        """Record a support item delivered."""
        event = case_event(
            "support_recorded", self.reference, item.delivered_on, kind=str(item.kind)
        )
        return replace(self, support=(*self.support, item)), event

    def record_follow_up(self, follow_up: FollowUp) -> tuple[Case, DomainEvent]:
        """Replace the follow-up scheduled for the same month count."""
        if not any(f.months == follow_up.months for f in self.follow_ups):
            raise ValidationError("unknown_follow_up", months=follow_up.months)
        updated = tuple(follow_up if f.months == follow_up.months else f for f in self.follow_ups)
        event = case_event(
            "follow_up_recorded",
            self.reference,
            follow_up.done_on,
            months=follow_up.months,
            status=str(follow_up.status),
        )
        return replace(self, follow_ups=updated), event
