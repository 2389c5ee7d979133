"""Retention per record type, the anonymisation job that applies it, and consent-gated sharing.

No retention period is set in Vietnamese law for these records (domain.md section 5, to be
confirmed with MPS/MOH), so the periods are configurable and stored with the data; the defaults
are placeholders a supervisor is expected to review. The job anonymises rather than deletes, so
the statistics keep their counts (UNICEF policy: limited in time; IOM principle 9).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Protocol

from repatriation.domain.actors import Actor
from repatriation.domain.anonymise import (
    anonymise_batch,
    anonymise_case,
    batch_is_anonymised,
    is_anonymised,
    released_attachments,
)
from repatriation.domain.care import add_months
from repatriation.domain.case import Case
from repatriation.domain.enums import (
    CaseStatus,
    ConsentScope,
    ConsentSubject,
    Outcome,
    ScreeningStatus,
)
from repatriation.domain.errors import PermissionDenied, ValidationError
from repatriation.domain.permissions import Action, Capability
from repatriation.domain.sensitivity import FieldClass
from repatriation.services.access import require, require_capability
from repatriation.services.audit import record_action
from repatriation.services.ports import Clock, UnitOfWorkFactory
from repatriation.services.results import Changes

log = logging.getLogger(__name__)

CHUNK = 100  # cases per transaction: a crash mid-run leaves whole cases done or untouched
MAX_KEEP_MONTHS = 100 * 12


class RecordType(StrEnum):
    """Kinds of record with their own retention period."""

    CLOSED_CASE = "closed_case"  # counted from the closure date
    NOT_A_VICTIM_CASE = "not_a_victim_case"  # closed, found not to be a victim
    HANDOVER_BATCH = "handover_batch"  # handed over or cancelled, counted from the planned date


DEFAULT_KEEP_MONTHS: dict[RecordType, int] = {
    RecordType.CLOSED_CASE: 5 * 12,
    RecordType.NOT_A_VICTIM_CASE: 12,
    RecordType.HANDOVER_BATCH: 5 * 12,
}


@dataclass(frozen=True)
class RetentionPolicy:
    """Months each record type is kept whole before it is anonymised."""

    keep_months: dict[RecordType, int] = field(default_factory=lambda: dict(DEFAULT_KEEP_MONTHS))

    def __post_init__(self) -> None:
        for record_type in RecordType:
            months = self.keep_months.get(record_type)
            if months is None or not 1 <= months <= MAX_KEEP_MONTHS:
                raise ValidationError("retention_out_of_range", field=str(record_type))

    def cutoff(self, record_type: RecordType, today: date) -> date:
        """Records dated before this day are due."""
        return add_months(today, -self.keep_months[record_type])

    def to_json(self) -> str:
        """Canonical JSON for the settings table."""
        data = {str(k): v for k, v in sorted(self.keep_months.items())}
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> RetentionPolicy:
        """Parse stored JSON strictly (unknown record types or non-integers are refused).

        Raises:
            ValidationError: ``retention_unreadable`` or ``retention_out_of_range``.
        """
        try:
            data = json.loads(text)
            months = {RecordType(k): v for k, v in data.items()}
        except (ValueError, AttributeError):
            raise ValidationError("retention_unreadable") from None
        if not all(type(v) is int for v in months.values()):
            raise ValidationError("retention_unreadable")
        return cls(dict(DEFAULT_KEEP_MONTHS) | months)


class RetentionStore(Protocol):
    """Storage side of retention (``storage.retention_store``)."""

    def load_policy(self) -> str | None:
        """The stored policy JSON, or ``None`` for the defaults."""
        ...

    def save_policy(self, text: str) -> None:
        """Store the policy JSON."""
        ...

    def closed_cases(self, closed_before: date) -> list[str]:
        """References of closed, not yet anonymised cases closed before the day."""
        ...

    def finished_batches(self, planned_before: date) -> list[str]:
        """References of handed-over or cancelled batches planned before the day."""
        ...

    def purge_residue(self) -> None:
        """Drop leftovers of old values the database keeps outside the rows (search indexes)."""
        ...

    def pseudonym_key(self) -> bytes:
        """The desk's key for person pseudonyms (kept in the encrypted database)."""
        ...


@dataclass(frozen=True)
class RetentionReport:
    """What a run anonymised."""

    cases: tuple[str, ...]
    batches: tuple[str, ...]
    released_attachments: tuple[str, ...]
    changes: Changes


def record_type_of(case: Case) -> RecordType | None:
    """Which retention period applies to a case (``None`` while it is open)."""
    if case.status is not CaseStatus.CLOSED or case.closure is None:
        return None
    not_victim = (
        case.screening.status is ScreeningStatus.NOT_A_VICTIM
        or case.closure.outcome is Outcome.NOT_A_VICTIM_RELEASED
    )
    return RecordType.NOT_A_VICTIM_CASE if not_victim else RecordType.CLOSED_CASE


class RetentionService:
    """Reads and changes the policy; runs the anonymisation job."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock

    def policy(self) -> RetentionPolicy:
        """The stored policy, or the defaults."""
        with self._uow_factory() as uow:
            text = uow.retention.load_policy()
        return RetentionPolicy() if text is None else RetentionPolicy.from_json(text)

    def set_policy(self, actor: Actor, policy: RetentionPolicy) -> None:
        """Store a new policy (supervisors), audited with the new periods."""
        require_capability(actor, Capability.RUN_RETENTION)
        with self._uow_factory() as uow:
            uow.retention.save_policy(policy.to_json())
            months = {str(k): v for k, v in policy.keep_months.items()}
            record_action(
                uow, actor, self._clock.now(), "retention_policy_set", "settings", "retention", **months
            )
            uow.commit()

    def run(self, actor: Actor) -> RetentionReport:
        """Anonymise every record past its period; audits each record and the run itself."""
        require_capability(actor, Capability.RUN_RETENTION)
        policy, today = self.policy(), self._clock.today()
        cutoffs = {t: policy.cutoff(t, today) for t in RecordType}
        latest = max(cutoffs[RecordType.CLOSED_CASE], cutoffs[RecordType.NOT_A_VICTIM_CASE])
        with self._uow_factory() as uow:
            store = uow.retention
            case_refs = store.closed_cases(latest)
            batch_refs = store.finished_batches(cutoffs[RecordType.HANDOVER_BATCH])
        done: list[str] = []
        released: set[str] = set()
        for start in range(0, len(case_refs), CHUNK):
            done += self._cases(actor, case_refs[start : start + CHUNK], cutoffs, released)
        batches = self._batches(actor, batch_refs)
        with self._uow_factory() as uow:
            uow.retention.purge_residue()
            record_action(
                uow,
                actor,
                self._clock.now(),
                "retention_run",
                "settings",
                "retention",
                cases=len(done),
                batches=len(batches),
                attachments=len(released),
            )
            uow.commit()
        log.info("retention: %d cases, %d batches anonymised", len(done), len(batches))
        return RetentionReport(
            tuple(done),
            tuple(batches),
            tuple(sorted(released)),
            Changes(cases=frozenset(done), batches=frozenset(batches)),
        )

    def _cases(
        self,
        actor: Actor,
        refs: Sequence[str],
        cutoffs: dict[RecordType, date],
        released: set[str],
    ) -> list[str]:
        done = []
        now = self._clock.now()
        with self._uow_factory() as uow:
            key = uow.retention.pseudonym_key()
            for ref in refs:
                case = uow.cases.get(ref)
                kind = record_type_of(case)
                # Re-checked inside the transaction: the case may have been reopened meanwhile.
                if kind is None or is_anonymised(case) or case.closure is None:
                    continue
                if case.closure.closed_on >= cutoffs[kind]:
                    continue
                uow.cases.save(anonymise_case(case, key))
                released.update(released_attachments(case))
                record_action(uow, actor, now, "case_anonymised", "case", ref, rule=str(kind))
                done.append(ref)
            uow.commit()
        return done

    def _batches(self, actor: Actor, refs: Sequence[str]) -> list[str]:
        done = []
        now = self._clock.now()
        for start in range(0, len(refs), CHUNK):
            with self._uow_factory() as uow:
                for ref in refs[start : start + CHUNK]:
                    batch = uow.batches.get(ref)
                    if batch_is_anonymised(batch):
                        continue
                    uow.batches.save(anonymise_batch(batch))
                    record_action(uow, actor, now, "batch_anonymised", "batch", ref)
                    done.append(ref)
                uow.commit()
        return done


# -- consent-gated sharing -------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentDecision:
    """Whether sharing for a scope is allowed, on what basis, and whose consent is missing."""

    allowed: bool
    basis: str  # "law_enforcement", "consent" or "" when refused
    missing: tuple[ConsentSubject, ...]


def consent_decision(case: Case, scope: ConsentScope, on: date) -> ConsentDecision:
    """Explain :meth:`Case.has_consent`: the child aged 7+ and the representative, or an exemption."""
    allowed = case.has_consent(scope, on)
    relevant = [c for c in case.consents if c.scope is scope]
    if allowed and any(c.law_enforcement_exemption and c.recorded_on <= on for c in relevant):
        return ConsentDecision(True, "law_enforcement", ())
    given = {c.subject for c in relevant if c.active_on(on)}
    needed = [ConsentSubject.REPRESENTATIVE]
    if case.person.must_consent_personally(on):
        needed.insert(0, ConsentSubject.CHILD)
    missing = tuple(s for s in needed if s not in given)
    return ConsentDecision(allowed, "consent" if allowed else "", missing)


def may_share(case: Case, scope: ConsentScope, on: date) -> bool:
    """Whether the consent records allow sharing ``case`` for ``scope`` on ``on``.

    Args:
        case: the case to share.
        scope: what the sharing is for (agencies in Viet Nam, abroad, reporting, photos...).
        on: the day of sharing.

    Returns:
        True with the consent of the representative (and of the child aged 7 or more, or of
        unknown age), or with a recorded law-enforcement exemption.
    """
    return case.has_consent(scope, on)


def require_share(actor: Actor, case: Case, scope: ConsentScope, on: date) -> None:
    """Refuse a share the matrix or the consent records do not allow.

    Raises:
        PermissionDenied: ``permission_denied`` (role) or ``consent_missing`` with ``scope``
            and the ``missing`` subjects.
    """
    require(actor, Action.SHARE, FieldClass.BASIC)
    decision = consent_decision(case, scope, on)
    if not decision.allowed:
        raise PermissionDenied(
            "consent_missing",
            reference=case.reference,
            scope=str(scope),
            missing=",".join(str(s) for s in decision.missing),
        )

