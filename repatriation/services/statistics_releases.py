"""Releases: tables that leave the post, recorded in a ledger and audited against every earlier one.

A release is a fixed choice: dimensions within one of :data:`TEMPLATES` (plus at most one period
dimension), the standard age bands, cases counted over a whole half-year or year that has ended,
and k between :data:`MIN_RELEASE_K` and :data:`MAX_RELEASE_K`. Free choices stay inside the post
(``StatisticsService.crosstab``). Before a table is recorded, the disclosure audit
(``statistics_audit``) bounds every "<k" entry of it and of every earlier release of the same
months; if one is narrowed below its legend, more entries are withheld, and if the whole table
withheld still narrows one, the release is refused with the entry named. The same release asked
again is the recorded one, published again unchanged, so re-running it after an import says nothing.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from datetime import date

from repatriation.domain.actors import Actor
from repatriation.domain.errors import DomainError, PermissionDenied, ValidationError
from repatriation.domain.permissions import Capability, has_capability
from repatriation.domain.statistics_bands import AgeBands
from repatriation.domain.statistics_spec import CLOSED_CATEGORIES, PERIODS, Dimension, Measure, StatisticsSpec
from repatriation.domain.suppression import (
    DEFAULT_K,
    TOTAL,
    CellState,
    Key,
    SuppressedTable,
    mask_zeros,
    suppress,
)
from repatriation.services.access import require_capability
from repatriation.services.audit import record_action
from repatriation.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from repatriation.services.statistics import ReleasedTable, StatisticsService, categories_for
from repatriation.services.statistics_audit import AuditTable, Exposure, exposures
from repatriation.services.statistics_periods import months_of, parse_period, period_of
from repatriation.services.statistics_ports import LedgerRecord, ReleaseLedger, ScopeSource

D = Dimension
MIN_RELEASE_K = 3
MAX_RELEASE_K = 25  # past this a post's half-year is withheld whole: a typo, not a choice
METHOD = "suppression"
# Dimension sets a release may draw from. Their hypergraph is acyclic (tested), which keeps the
# audit's margin-by-margin linking exact; a set outside would let releases close a cycle.
TEMPLATES: tuple[frozenset[Dimension], ...] = (
    frozenset({D.CORRIDOR, D.CHANNEL}),
    frozenset({D.CORRIDOR, D.PROVINCE_NEW}),
    frozenset({D.CORRIDOR, D.EXPLOITATION}),
    frozenset({D.CORRIDOR, D.SCREENING}),
    frozenset({D.CORRIDOR, D.SERVICES}),
    frozenset({D.CORRIDOR, D.OUTCOME}),
    frozenset({D.CORRIDOR, D.FOLLOW_UP}),
    frozenset({D.SEX, D.AGE_AT_RETURN}),
    frozenset({D.SEX, D.AGE_AT_TRAFFICKING}),
    frozenset({D.ETHNIC_GROUP, D.AGE_AT_RETURN}),
    frozenset({D.AGE_AT_TRAFFICKING, D.ROUTE}),
)


class ReleaseRefused(DomainError):
    """The audit found an entry no suppression of this table can protect."""

    code = "release_refused"


def check_releasable(spec: StatisticsSpec, k: int, today: date) -> str:
    """The period code of a spec fit to leave the post; raises with the reason otherwise."""
    if not MIN_RELEASE_K <= k <= MAX_RELEASE_K:
        raise ValidationError("release_threshold", k=k, low=MIN_RELEASE_K, high=MAX_RELEASE_K)
    if spec.measure is not Measure.CASES:
        raise ValidationError("release_measure")
    if spec.age_bands != AgeBands():
        raise ValidationError("release_age_bands")
    periods = [d for d in spec.dimensions if d in PERIODS]
    others = frozenset(d for d in spec.dimensions if d not in PERIODS)
    if len(periods) > 1 or not others or not any(others <= t for t in TEMPLATES):
        raise ValidationError("release_dimensions", dimensions=",".join(spec.dimensions))
    period = period_of(spec)
    if not period:
        raise ValidationError("release_period")
    if parse_period(period)[1] >= today:
        raise ValidationError("release_period_open", period=period)
    if periods and periods[0] is D.YEAR and "-H" in period:
        raise ValidationError("release_dimensions", dimensions=",".join(spec.dimensions))
    return period


class ReleaseService:
    """Publishes releases through the ledger and the disclosure audit."""

    def __init__(self, statistics: StatisticsService, scope: ScopeSource, ledger: ReleaseLedger,
                 uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._statistics = statistics
        self._scope = scope
        self._ledger = ledger
        self._uow_factory = uow_factory
        self._clock = clock

    def records(self, actor: Actor) -> list[LedgerRecord]:
        """The ledger (roles with exact access; others see published tables only)."""
        if not has_capability(actor.role, Capability.VIEW_EXACT_STATISTICS):
            raise PermissionDenied("release_ledger", role=str(actor.role))
        with self._uow_factory() as uow:
            return self._ledger.records(uow)

    def find(self, actor: Actor, spec: StatisticsSpec, k: int = DEFAULT_K) -> ReleasedTable | None:
        """The recorded release of this spec, if any: what every role allowed statistics may see."""
        require_capability(actor, Capability.VIEW_STATISTICS)
        period = period_of(spec)
        with self._uow_factory() as uow:
            same = _find(self._ledger.records(uow), spec, period, k) if period else None
        return released_from(same, spec) if same is not None else None

    def publish(self, actor: Actor, spec: StatisticsSpec, k: int, purpose: str) -> ReleasedTable:
        """Audit and record a release, or return the same release recorded before.

        Raises:
            PermissionDenied: the role may not make releases.
            ValidationError: the spec is a free choice (see :func:`check_releasable`).
            ReleaseRefused: a "<k" entry would be narrowed whatever this table withholds.
        """
        if not has_capability(actor.role, Capability.VIEW_EXACT_STATISTICS):
            raise PermissionDenied("make_release", role=str(actor.role))
        period = check_releasable(spec, k, self._clock.today())
        with self._uow_factory() as uow:
            records = self._ledger.records(uow)
            same = _find(records, spec, period, k)
            if same is not None:
                return republish(uow, actor, self._clock, same, spec, purpose)
            table = self._protected(spec, period, k, records)
            categories = _categories(spec, table)
            record = LedgerRecord(
                number=0, released_at=self._clock.now(), actor=actor.username, purpose=purpose,
                dimensions=tuple(str(d) for d in spec.dimensions), period=period,
                measure=str(spec.measure), k=k, method=METHOD, categories=categories,
                entries=tuple((key, table.display(key)) for key in sorted(table.values)),
                scope=self._scope_of(spec),
            )
            number = self._ledger.append(uow, record)
            record_action(uow, actor, self._clock.now(), "statistics_released", "statistics",
                          str(number), purpose=purpose, period=period,
                          dimensions=",".join(spec.dimensions), k=k, method=METHOD,
                          withheld=len(table.withheld))
            uow.commit()
        return ReleasedTable(spec=spec, table=table, categories=categories, number=number,
                             period=period, method=METHOD)

    def _scope_of(self, spec: StatisticsSpec) -> dict[str, str]:
        return {case: f"{month}|{_digest(codes)}"
                for case, (month, codes) in self._scope.case_codes(spec).items()}

    def _protected(self, spec: StatisticsSpec, period: str, k: int,
                   records: Sequence[LedgerRecord]) -> SuppressedTable:
        values = self._statistics.exact_values_for_release(spec)
        additive = [not d.multi_response for d in spec.dimensions]
        months = months_of(period)
        # Noisy releases are not constraints: their figures are not the counts, and what they
        # tell is bounded by their privacy loss instead (statistics_noisy_releases).
        earlier = [self._audit_table(r) for r in records
                   if r.method == METHOD and set(months_of(r.period)) & set(months)]
        known = {(e.table, e.key) for e in exposures(earlier)} if earlier else set()
        table = suppress(values, additive, k)
        while True:
            table = mask_zeros(table, _grid(spec, table))
            candidate = _audit_table(spec, table, months, "candidate")
            # The candidate's own entries first (cheap); earlier releases once it holds.
            found = exposures([*earlier, candidate], only="candidate") or [
                e for e in exposures([*earlier, candidate]) if (e.table, e.key) not in known
            ]
            if not found:
                return table
            extra = _complements(spec, table, found, earlier)
            if not extra:
                raise ReleaseRefused(**_reason(found[0], earlier, spec))
            forced = {key for key in table.withheld | extra if values.get(key, 0)}
            table = suppress(values, additive, k, forced=forced)

    def _audit_table(self, record: LedgerRecord) -> AuditTable:
        spec = record_spec(record)
        now = self._scope_of(spec)
        came: dict[str, int] = {}
        went: dict[str, int] = {}
        for case in set(now) | set(record.scope):
            before, after = record.scope.get(case), now.get(case)
            if before == after:
                continue
            if after is not None:
                came[after[:7]] = came.get(after[:7], 0) + 1
            if before is not None:
                went[before[:7]] = went.get(before[:7], 0) + 1
        changes = {m: (came.get(m, 0), went.get(m, 0)) for m in set(came) | set(went)}
        entries = {key: _state(text, record.k) for key, text in record.entries}
        return AuditTable(str(record.number), spec.dimensions, months_of(record.period),
                          record.categories, entries, record.k, changes,
                          listed=_listed(spec.dimensions))


def record_spec(record: LedgerRecord) -> StatisticsSpec:
    """The statistics spec a ledger record was counted with."""
    start, end = parse_period(record.period)
    return StatisticsSpec(tuple(Dimension(d) for d in record.dimensions), Measure(record.measure),
                          start, end)


def republish(uow: UnitOfWork, actor: Actor, clock: Clock, record: LedgerRecord, spec: StatisticsSpec,
              purpose: str) -> ReleasedTable:
    """The recorded release published again, unchanged (audited): nothing new can be learnt."""
    record_action(uow, actor, clock.now(), "statistics_republished", "statistics", str(record.number),
                  purpose=purpose)
    uow.commit()
    return released_from(record, spec)


def released_from(record: LedgerRecord, spec: StatisticsSpec | None = None) -> ReleasedTable:
    """A recorded release as a table to export or print (shown values only; no exact counts)."""
    values, states = {}, {}
    for key, text in record.entries:
        state, value = _state(text, record.k)
        values[key] = value or 0
        if state is not CellState.SHOWN:
            states[key] = state
    table = SuppressedTable(k=record.k, values=values, states=states)
    return ReleasedTable(spec=spec or record_spec(record), table=table, categories=record.categories,
                         number=record.number, period=record.period, method=record.method,
                         epsilon=record.epsilon)


def withheld_table(spec: StatisticsSpec, k: int) -> ReleasedTable:
    """A table printed with nothing shown: what a report prints for a release the audit refused."""
    categories = tuple(categories_for(spec, i, {}) for i in range(len(spec.dimensions)))
    keys = [tuple(key) for key in itertools.product(*((*c, TOTAL) for c in categories))]
    states = dict.fromkeys(keys, CellState.SECONDARY)
    table = SuppressedTable(k=k, values=dict.fromkeys(keys, k), states=states)
    return ReleasedTable(spec=spec, table=table, categories=categories, method="refused")


def _find(records: Sequence[LedgerRecord], spec: StatisticsSpec, period: str, k: int) -> LedgerRecord | None:
    wanted = tuple(str(d) for d in spec.dimensions)
    for record in records:
        if (record.dimensions, record.period, record.k, record.measure, record.method) == (
            wanted, period, k, str(spec.measure), METHOD
        ):
            return record
    return None


def _digest(codes: str) -> str:
    return hashlib.sha256(codes.encode("utf-8")).hexdigest()[:16]


def _state(text: str, k: int) -> tuple[CellState, int | None]:
    if text.isdigit():
        return CellState.SHOWN, int(text)
    return (CellState.PRIMARY if text == f"<{k}" else CellState.SECONDARY), None


def _categories(spec: StatisticsSpec, table: SuppressedTable) -> tuple[tuple[str, ...], ...]:
    cells = {key: n for key, n in table.values.items() if TOTAL not in key}
    return tuple(categories_for(spec, i, cells) for i in range(len(spec.dimensions)))


def _audit_table(spec: StatisticsSpec, table: SuppressedTable, months: tuple[str, ...],
                 ident: str) -> AuditTable:
    entries = {key: (table.states.get(key, CellState.SHOWN), table.published(key)) for key in table.values}
    return AuditTable(ident, spec.dimensions, months, _categories(spec, table), entries, table.k,
                      listed=_listed(spec.dimensions))


def _listed(dimensions: Sequence[Dimension]) -> frozenset[Dimension]:
    """Dimensions whose releases list only the codes that occur (so each listed one is non-zero)."""
    ages = (D.AGE_AT_RETURN, D.AGE_AT_TRAFFICKING)
    return frozenset(d for d in dimensions
                     if d not in CLOSED_CATEGORIES and d not in PERIODS and d not in ages)


def _grid(spec: StatisticsSpec, table: SuppressedTable) -> list[Key]:
    """Every cell and total of the table's grid, zeros included."""
    axes = [(*codes, TOTAL) for codes in _categories(spec, table)]
    return [tuple(key) for key in itertools.product(*axes)]


def _compatible(spec: StatisticsSpec, key: Key, other: AuditTable, other_key: Key) -> bool:
    """Whether a candidate entry and an exposed entry count some of the same cases."""
    theirs = dict(zip(other.dimensions, other_key, strict=True))
    for dimension, code in zip(spec.dimensions, key, strict=True):
        if dimension in PERIODS or code == TOTAL:
            continue
        if theirs.get(dimension, TOTAL) not in (TOTAL, code):
            return False
    return True


def _complements(spec: StatisticsSpec, table: SuppressedTable, found: Sequence[Exposure],
                 earlier: Sequence[AuditTable]) -> set[Key]:
    """One more entry of the candidate to withhold per exposed entry (the cheapest related one)."""
    by_ident = {t.ident: t for t in earlier}
    added: set[Key] = set()
    for exposure in found:
        other = by_ident.get(exposure.table)
        options = [
            key for key, v in table.values.items()
            if v > 0 and key not in table.withheld and key not in added
            and (other is None or _compatible(spec, key, other, exposure.key))
        ]
        if exposure.table == "candidate":
            options = [key for key in options if _compatible(spec, key, _self(spec), exposure.key)]
        if options:
            added.add(min(options, key=lambda key: (sum(c == TOTAL for c in key), table.values[key], key)))
    return added


def _self(spec: StatisticsSpec) -> AuditTable:
    return AuditTable("candidate", spec.dimensions, (), (), {}, 0)


def _reason(exposure: Exposure, earlier: Sequence[AuditTable], spec: StatisticsSpec) -> dict[str, str]:
    table = next((t for t in earlier if t.ident == exposure.table), None)
    dims = table.dimensions if table is not None else spec.dimensions
    where = ", ".join(f"{d}={c}" for d, c in zip(dims, exposure.key, strict=True) if c != TOTAL)
    return {
        "release": exposure.table, "entry": where or "total",
        "low": str(exposure.low), "high": str(exposure.high),
        "required": str(exposure.required),
    }
