"""Noisy releases: a release table with OpenDP noise on every cell, paid from a yearly privacy budget.

The alternative to suppression (``statistics_releases``): nothing is withheld, every count is
off by a random amount whose size the legend states (``statistics_noise.bounds``). The privacy
loss of each noisy release (epsilon) is recorded in the release ledger; the noisy releases of
one year's cases may spend at most :data:`YEARLY_EPSILON` together (losses add up when the same
cases are counted again). The same release asked again is the recorded one, published again
unchanged: drawing fresh noise would let an average of many draws find the true counts.
"""

from __future__ import annotations

from collections.abc import Sequence

from repatriation.domain.actors import Actor
from repatriation.domain.errors import PermissionDenied, ValidationError
from repatriation.domain.permissions import Capability, has_capability
from repatriation.domain.statistics_spec import CLOSED_CATEGORIES, Dimension, StatisticsSpec
from repatriation.domain.suppression import DEFAULT_K, TOTAL, SuppressedTable
from repatriation.services.audit import record_action
from repatriation.services.ports import Clock, UnitOfWorkFactory
from repatriation.services.statistics import ReleasedTable, StatisticsService
from repatriation.services.statistics_noise import METHOD, noisy_values
from repatriation.services.statistics_periods import months_of, parse_period
from repatriation.services.statistics_ports import LedgerRecord, ReleaseLedger
from repatriation.services.statistics_releases import check_releasable, republish

D = Dimension
# Privacy loss the noisy releases of one calendar year's cases may spend together, and what one
# release spends unless asked otherwise (four releases a year; a cell is then within 6 of the
# truth in 95 of 100 releases).
YEARLY_EPSILON = 2.0
DEFAULT_EPSILON = 0.5
MIN_EPSILON = 0.1  # below this a half-year's cells are mostly noise: a typo, not a choice
_SLACK = 1e-9  # float sums of recorded losses


def noise_grid(spec: StatisticsSpec, period: str) -> tuple[tuple[str, ...], ...]:
    """Per dimension, the codes of the grid: closed lists and the period's own codes, never the data's.

    Raises:
        ValidationError: a dimension whose codes come from the data, or a multi-response one.
    """
    start, _ = parse_period(period)
    months = months_of(period)
    out = []
    for dimension in spec.dimensions:
        if dimension is D.MONTH:
            out.append(months)
        elif dimension is D.QUARTER:
            out.append(tuple(dict.fromkeys(f"{m[:4]}-Q{(int(m[5:]) + 2) // 3}" for m in months)))
        elif dimension is D.HALF:
            out.append(tuple(dict.fromkeys(f"{m[:4]}-H{(int(m[5:]) + 5) // 6}" for m in months)))
        elif dimension is D.YEAR:
            out.append((str(start.year),))
        elif dimension in (D.AGE_AT_RETURN, D.AGE_AT_TRAFFICKING):
            out.append(spec.age_bands.codes)
        elif dimension in CLOSED_CATEGORIES and not dimension.multi_response:
            out.append(CLOSED_CATEGORIES[dimension])
        else:
            raise ValidationError("release_noise_dimensions", dimensions=",".join(spec.dimensions))
    return tuple(out)


def year_of(period: str) -> int:
    """The calendar year whose budget a release of ``period`` spends."""
    return parse_period(period)[0].year


def spent(records: Sequence[LedgerRecord], year: int) -> float:
    """Privacy loss already spent on the noisy releases of ``year``'s cases."""
    return sum(r.epsilon for r in records if r.method == METHOD and year_of(r.period) == year)


class NoisyReleaseService:
    """Publishes noisy releases through the ledger, within the yearly privacy budget."""

    def __init__(self, statistics: StatisticsService, ledger: ReleaseLedger,
                 uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._statistics = statistics
        self._ledger = ledger
        self._uow_factory = uow_factory
        self._clock = clock

    def budget(self, actor: Actor, year: int) -> tuple[float, float]:
        """(spent, yearly budget) for ``year``'s cases."""
        _allowed(actor)
        with self._uow_factory() as uow:
            return spent(self._ledger.records(uow), year), YEARLY_EPSILON

    def publish(self, actor: Actor, spec: StatisticsSpec, epsilon: float, purpose: str) -> ReleasedTable:
        """Record a noisy release, or return the same one recorded before.

        Raises:
            PermissionDenied: the role may not make releases.
            ValidationError: not a release table, a dimension without a closed code list,
                epsilon out of range, or the year's budget would be overspent.
        """
        _allowed(actor)
        period = check_releasable(spec, DEFAULT_K, self._clock.today())
        categories = noise_grid(spec, period)
        if not MIN_EPSILON <= epsilon <= YEARLY_EPSILON:
            raise ValidationError("release_epsilon", epsilon=epsilon, low=MIN_EPSILON, high=YEARLY_EPSILON)
        with self._uow_factory() as uow:
            records = self._ledger.records(uow)
            same = _find(records, spec, period, epsilon)
            if same is not None:
                return republish(uow, actor, self._clock, same, spec, purpose)
            year = year_of(period)
            used = spent(records, year)
            if used + epsilon > YEARLY_EPSILON + _SLACK:
                raise ValidationError("privacy_budget_spent", year=year, spent=f"{used:g}",
                                      budget=f"{YEARLY_EPSILON:g}", asked=f"{epsilon:g}")
            exact = self._statistics.exact_values_for_release(spec)
            cells = {key: n for key, n in exact.items() if TOTAL not in key}
            grid = {key for key in cells if on_grid(key, categories)}
            if len(grid) != len(cells):  # a code outside the closed lists: not countable here
                raise ValidationError("release_noise_dimensions", dimensions=",".join(spec.dimensions))
            values, loss = noisy_values(cells, categories, epsilon)
            table = SuppressedTable(k=0, values=values, states={})
            record = LedgerRecord(
                number=0, released_at=self._clock.now(), actor=actor.username, purpose=purpose,
                dimensions=tuple(str(d) for d in spec.dimensions), period=period,
                measure=str(spec.measure), k=0, method=METHOD, categories=categories,
                entries=tuple((key, str(values[key])) for key in sorted(values)),
                scope={}, epsilon=loss,
            )
            number = self._ledger.append(uow, record)
            record_action(uow, actor, self._clock.now(), "statistics_released", "statistics",
                          str(number), purpose=purpose, period=period,
                          dimensions=",".join(spec.dimensions), method=METHOD, epsilon=f"{loss:g}",
                          budget_spent=f"{used + loss:g}")
            uow.commit()
        return ReleasedTable(spec=spec, table=table, categories=categories, number=number,
                             period=period, method=METHOD, epsilon=loss)


def on_grid(key: tuple[str, ...], categories: Sequence[Sequence[str]]) -> bool:
    """Whether a cell's codes are all on the grid."""
    return all(code in codes for code, codes in zip(key, categories, strict=True))


def _allowed(actor: Actor) -> None:
    if not has_capability(actor.role, Capability.VIEW_EXACT_STATISTICS):
        raise PermissionDenied("make_release", role=str(actor.role))


def _find(records: Sequence[LedgerRecord], spec: StatisticsSpec, period: str,
          epsilon: float) -> LedgerRecord | None:
    wanted = tuple(str(d) for d in spec.dimensions)
    for record in records:
        if (record.method == METHOD and record.dimensions == wanted and record.period == period
                and record.measure == str(spec.measure) and abs(record.epsilon - epsilon) < _SLACK):
            return record
    return None

