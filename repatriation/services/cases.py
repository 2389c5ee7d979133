"""Case use cases: open, read, edit, screen, move through the lifecycle, reception and care."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from repatriation.domain.actors import Actor
from repatriation.domain.care import (
    Closure,
    ConsentRecord,
    FamilyAssessment,
    FollowUp,
    Reception,
    Referral,
    Screening,
    SupportDelivered,
)
from repatriation.domain.case import Case
from repatriation.domain.enums import CaseStatus, Corridor, PlaceKind, ReturnChannel, Route
from repatriation.domain.errors import ConflictError, NotFoundError, ValidationError
from repatriation.domain.events import DomainEvent, case_event
from repatriation.domain.fields import ExtraFields
from repatriation.domain.people import Person
from repatriation.domain.permissions import Action
from repatriation.domain.sensitivity import FieldClass
from repatriation.domain.text import fold
from repatriation.services import access, intake_fields
from repatriation.services.audit import record_action, record_event
from repatriation.services.ports import Clock, ReferenceLookup, UnitOfWorkFactory
from repatriation.services.results import (
    AuditEntry,
    CasePage,
    CaseQuery,
    Changes,
    SearchExpansion,
)
from repatriation.services.same_person_check import PossibleMatch, possible_matches


@dataclass(frozen=True)
class CaseDraft:
    """What intake knows about a person received, before the case has a reference."""

    person: Person
    channel: ReturnChannel
    corridor: Corridor
    received_on: date
    place_kind: PlaceKind = PlaceKind.GATE
    gate_code: str | None = None
    place_detail: str = ""
    notes: str = ""
    trafficked_on: date | None = None
    age_at_trafficking: int | None = None
    route: Route | None = None
    # Values of registered added fields (domain/case_fields.py).
    extra_fields: ExtraFields = dataclasses.field(default_factory=ExtraFields)


def validate_codes(reference: ReferenceLookup, draft: CaseDraft) -> None:
    """Refuse unknown gate or ethnic codes with the field named."""
    if draft.gate_code is not None:
        try:
            reference.gate(draft.gate_code)
        except NotFoundError:
            raise ValidationError(
                "unknown_code", field="gate_code", value=draft.gate_code
            ) from None
    try:
        reference.ethnic(draft.person.ethnic_code)
    except NotFoundError:
        raise ValidationError(
            "unknown_code", field="ethnic_code", value=draft.person.ethnic_code
        ) from None
    address = draft.person.address
    for field, code, scheme in (("province_old", address.province_old, "old"),
                                ("province_new", address.province_new, "new")):
        # An old-scheme code in the new column (or the reverse) is as wrong as an unknown one.
        if code is not None and reference.province_scheme(code) != scheme:
            raise ValidationError("unknown_code", field=field, value=code)


def case_from_draft(draft: CaseDraft, reference: str, post_code: str) -> Case:
    """Build the new Case aggregate for a draft."""
    return Case(
        reference=reference,
        person=draft.person,
        channel=draft.channel,
        corridor=draft.corridor,
        received_on=draft.received_on,
        place_kind=draft.place_kind,
        gate_code=draft.gate_code,
        place_detail=draft.place_detail,
        post_code=post_code,
        notes=draft.notes,
        trafficked_on=draft.trafficked_on,
        age_at_trafficking=draft.age_at_trafficking,
        route=draft.route,
        extra_fields=draft.extra_fields,
    )


class CaseService:
    """Use cases on single cases; each runs in one unit of work with its audit entry."""

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

    # -- reading -----------------------------------------------------------------------------

    def get(self, actor: Actor, reference: str, action: Action = Action.VIEW) -> Case:
        """Open a case as the role may use it for ``action``; every opening (or refusal) is audited.

        The desk views (``Action.VIEW``); the CLI's JSON is a file leaving the desk (``EXPORT``).
        """
        with self._uow_factory() as uow:
            if not access.can(actor, action, FieldClass.BASIC):
                record_action(uow, actor, self._clock.now(), "case_view_refused", "case", reference)
                uow.commit()
                access.require(actor, action, FieldClass.BASIC)
            view = access.minimise(uow.cases.get(reference), actor, action)
            hidden = sorted(str(k) for k in view.hidden_classes)
            record_action(uow, actor, self._clock.now(), "case_viewed", "case", reference,
                          hidden=hidden, **({} if action is Action.VIEW else {"used_for": str(action)}))
            uow.commit()
        return view.case

    def list_cases(self, query: CaseQuery, actor: Actor, action: Action = Action.VIEW) -> CasePage:
        """A page of the case list; the search text also matches ethnic and province names.

        Rows are redacted for the actor's role and ``action`` (the CLI's CSV/JSON is an export),
        and a role that may not see ethnicity or residence may neither filter nor search by them.
        """
        access.require(actor, action, FieldClass.BASIC)
        sees_sensitive = access.can(actor, action, FieldClass.SENSITIVE)
        if not sees_sensitive and (query.ethnic_code or query.province_new):
            access.require(actor, Action.VIEW, FieldClass.SENSITIVE, field="filter")
        folded = fold(query.text)
        expansion = SearchExpansion()
        if len(folded) >= 3 and sees_sensitive:
            expansion = SearchExpansion(
                ethnic_codes=self._reference.ethnic_codes_matching(folded),
                province_codes=self._reference.province_codes_matching(folded),
            )
        with self._uow_factory() as uow:
            page = uow.queries.page(query, self._clock.today(), expansion)
            if action is not Action.VIEW:  # a list leaving the desk: what it held is on record
                record_action(uow, actor, self._clock.now(), "cases_exported", "case", "",
                              used_for=str(action), count=len(page.rows),
                              cases=[row.reference for row in page.rows],
                              hidden=sorted(str(k) for k in access.hidden_for(actor, action)))
                uow.commit()
        return replace(page, rows=tuple(access.redact_summary(r, actor, action) for r in page.rows))

    def history(self, actor: Actor, reference: str) -> list[AuditEntry]:
        """The audit entries about one case (codes and user names, never case text)."""
        access.require(actor, Action.VIEW, FieldClass.BASIC)
        with self._uow_factory() as uow:
            return [access.redact_audit_entry(e, actor) for e in uow.audit.entries(reference)]

    def count(self, actor: Actor) -> int:
        """Number of cases stored."""
        access.require(actor, Action.VIEW, FieldClass.BASIC)
        with self._uow_factory() as uow:
            return uow.cases.count()

    def possible_same_persons(self, actor: Actor,
                              persons: Sequence[Person]) -> list[tuple[int, PossibleMatch]]:
        """Stored cases that may be one of ``persons`` (intake), as (index, match), with reasons.

        Shown to the officer before registering; nothing is merged.
        """
        access.require(actor, Action.VIEW, FieldClass.BASIC)
        today = self._clock.today()
        with self._uow_factory() as uow:
            return [(index, match) for index, person in enumerate(persons)
                    for match in possible_matches(uow, person, today)]

    # -- writing -----------------------------------------------------------------------------

    def open_case(self, actor: Actor, draft: CaseDraft) -> Case:
        """Register a person received; allocates the case reference."""
        validate_codes(self._reference, draft)
        with self._uow_factory() as uow:
            ref = uow.cases.next_reference(self.post_code, draft.received_on.year)
            new = access.guard_new(actor, case_from_draft(draft, ref, self.post_code))
            case = uow.cases.add(new)
            record_event(
                uow,
                actor,
                self._clock.now(),
                case_event(
                    "case_opened",
                    ref,
                    draft.received_on,
                    channel=str(draft.channel),
                    corridor=str(draft.corridor),
                ),
            )
            uow.commit()
        return access.redact(case, actor)

    def _change(
        self,
        actor: Actor,
        reference: str,
        revision: int | None,
        change: Callable[[Case], tuple[Case, DomainEvent | tuple[DomainEvent, ...]]],
    ) -> Case:
        access.require(actor, Action.VIEW, FieldClass.BASIC)
        with self._uow_factory() as uow:
            case = uow.cases.get(reference)
            if revision is not None and revision != case.revision:
                raise ConflictError("case_changed", reference=reference)
            changed, events = change(case)
            # Refuses fields the role may not edit; puts back hidden fields echoed as blanks.
            saved = uow.cases.save(access.guard_change(actor, case, changed))
            for event in events if isinstance(events, tuple) else (events,):
                record_event(uow, actor, self._clock.now(), event)
            uow.commit()
        return access.redact(saved, actor)

    def update_person(
        self, actor: Actor, reference: str, person: Person, revision: int | None = None
    ) -> Case:
        """Replace the person's particulars (names, age, origin, family, documents)."""
        return self._change(
            actor,
            reference,
            revision,
            lambda c: (replace(c, person=person), case_event("person_updated", reference)),
        )

    def correct(self, actor: Actor, reference: str, values: Mapping[str, Any], reason: str,
                revision: int | None = None) -> Case:
        """Correct intake fields (``intake_fields.FIELDS``) with a reason; each change is kept.

        The old and new value, the account, the time and the reason go into the case's
        correction history under the field's class; the audit entry names the fields only.
        Refused, with nothing written, without a reason, for an unknown field or code, or
        when nothing would change.
        """
        wanted = intake_fields.checked(self._reference, values, reason)
        now, by = self._clock.now(), actor.username
        return self._change(actor, reference, revision,
                            lambda case: intake_fields.corrected(case, wanted, by, now, reason))

    def update_notes(
        self,
        actor: Actor,
        reference: str,
        *,
        notes: str | None = None,
        health_notes: str | None = None,
        exploitation_narrative: str | None = None,
    ) -> Case:
        """Change the free-text notes (health and narrative are sensitive fields)."""

        def change(case: Case) -> tuple[Case, DomainEvent]:
            fields: dict[str, Any] = {
                k: v
                for k, v in (
                    ("notes", notes),
                    ("health_notes", health_notes),
                    ("exploitation_narrative", exploitation_narrative),
                )
                if v is not None
            }
            return replace(case, **fields), case_event(
                "notes_updated", reference, fields=sorted(fields)
            )

        return self._change(actor, reference, None, change)

    def record_screening(self, actor: Actor, reference: str, screening: Screening) -> Case:
        """Record an identification decision."""
        return self._change(actor, reference, None, lambda c: c.record_screening(screening))

    def transition(
        self,
        actor: Actor,
        reference: str,
        target: CaseStatus,
        *,
        closure: Closure | None = None,
        reason: str = "",
    ) -> Case:
        """Move a case through its lifecycle."""
        today = self._clock.today()
        return self._change(
            actor,
            reference,
            None,
            lambda c: c.transition(target, today, closure=closure, reason=reason),
        )

    def close(self, actor: Actor, reference: str, closure: Closure) -> Case:
        """Close a case with its outcome."""
        return self.transition(actor, reference, CaseStatus.CLOSED, closure=closure)

    def record_reception(self, actor: Actor, reference: str, reception: Reception) -> Case:
        """The centre acknowledges receipt; the case moves into care when it can."""
        today = self._clock.today()

        def change(case: Case) -> tuple[Case, DomainEvent]:
            received, event = case.record_reception(reception)
            if received.status in (
                CaseStatus.HANDED_OVER,
                CaseStatus.RECEIVED,
                CaseStatus.VERIFICATION,
            ):
                received, _ = received.transition(CaseStatus.IN_CARE, today)
            return received, event

        return self._change(actor, reference, None, change)

    def add_consent(self, actor: Actor, reference: str, consent: ConsentRecord) -> Case:
        """Record a consent, refusal or exemption."""
        return self._change(actor, reference, None, lambda c: c.add_consent(consent))

    def add_consents(self, actor: Actor, reference: str, consents: Sequence[ConsentRecord]) -> Case:
        """Record the child's and the representative's answers together: both or neither."""

        def change(case: Case) -> tuple[Case, tuple[DomainEvent, ...]]:
            events = []
            for consent in consents:
                case, event = case.add_consent(consent)
                events.append(event)
            return case, tuple(events)

        return self._change(actor, reference, None, change)

    def add_support(self, actor: Actor, reference: str, item: SupportDelivered) -> Case:
        """Record support delivered."""
        return self._change(actor, reference, None, lambda c: c.add_support(item))

    def record_follow_up(self, actor: Actor, reference: str, follow_up: FollowUp) -> Case:
        """Record a follow-up visit."""
        return self._change(actor, reference, None, lambda c: c.record_follow_up(follow_up))

    def record_family_assessment(
        self, actor: Actor, reference: str, assessment: FamilyAssessment
    ) -> Case:
        """Record family tracing and the assessment before return."""
        return self._change(
            actor,
            reference,
            None,
            lambda c: (
                replace(c, family_assessment=assessment),
                case_event(
                    "family_assessed",
                    reference,
                    assessment.traced_on,
                    safe=assessment.safe_to_return,
                ),
            ),
        )

    def add_referral(self, actor: Actor, reference: str, referral: Referral) -> Case:
        """Record a referral to another body."""
        return self._change(
            actor,
            reference,
            None,
            lambda c: (
                replace(c, referrals=(*c.referrals, referral)),
                case_event("referred", reference, referral.referred_on),
            ),
        )

    @staticmethod
    def changes_for(*cases: Case) -> Changes:
        """The change summary for some cases."""
        return Changes(cases=frozenset(c.reference for c in cases))
