"""Read-side statistics: counts of cases or persons by any dimensions, exact inside, suppressed out.

Exact counts (``crosstab``) are for statisticians and supervisors at the post, and every look is
audited. Anything that leaves the post (exports, the 6-monthly/annual report, the CLI) is a
release made by ``statistics_releases`` (ledger, disclosure audit) from the values given here.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from repatriation.domain.actors import Actor
from repatriation.domain.permissions import Capability
from repatriation.domain.statistics_bands import UNKNOWN
from repatriation.domain.statistics_spec import CLOSED_CATEGORIES, Dimension, StatisticsSpec
from repatriation.domain.suppression import TOTAL, Key, SuppressedTable
from repatriation.services.access import require_capability_audited
from repatriation.services.ports import Clock, UnitOfWorkFactory


@dataclass(frozen=True)
class CrossTab:
    """Exact counts for internal views: one entry per non-empty combination of categories."""

    spec: StatisticsSpec
    counts: Mapping[Key, int]
    total: int

    def categories(self, position: int) -> tuple[str, ...]:
        """Codes at one position, closed lists first in their order, then those found."""
        return categories_for(self.spec, position, self.counts)


@dataclass(frozen=True)
class ReleasedTable:
    """A suppressed table (cells and every total) fit to leave the post."""

    spec: StatisticsSpec
    table: SuppressedTable
    categories: tuple[tuple[str, ...], ...]  # per dimension, in display order
    number: int | None = None  # its number in the release ledger
    period: str = ""  # "2026-H1" or "2026" for ledger releases
    method: str = "suppression"
    epsilon: float = 0.0  # the privacy loss of a noisy release (statistics_noise)

    @property
    def k(self) -> int:
        """The suppression threshold."""
        return self.table.k

    def display(self, key: Key) -> str:
        """Text to print for a cell or total (``TOTAL`` at totalled positions)."""
        return self.table.display(key)

    def entries(self) -> list[Key]:
        """Every entry in display order: categories first, then the total, per position."""
        axes = [(*cats, TOTAL) for cats in self.categories]
        return [tuple(key) for key in itertools.product(*axes)]


class StatisticsSource(Protocol):
    """Counts straight from the database (``storage.statistics_queries``)."""

    def counts(self, spec: StatisticsSpec) -> dict[Key, int]:
        """Counts per combination of the spec's dimension codes (non-empty ones only)."""
        ...

    def overdue_verifications(self, today: date, spec: StatisticsSpec) -> dict[Key, int]:
        """Open verification requests past due on ``today``, by the spec's dimensions."""
        ...


def categories_for(spec: StatisticsSpec, position: int, counts: Mapping[Key, int]) -> tuple[str, ...]:
    """Codes of one dimension: the closed list (or age bands), plus any code found in data."""
    dimension = spec.dimensions[position]
    found = sorted({key[position] for key in counts})
    if dimension in (Dimension.AGE_AT_RETURN, Dimension.AGE_AT_TRAFFICKING):
        closed: tuple[str, ...] = spec.age_bands.codes
    else:
        closed = CLOSED_CATEGORIES.get(dimension, ())
    extra = [code for code in found if code not in closed and code != UNKNOWN]
    tail = [UNKNOWN] if UNKNOWN in found and UNKNOWN not in closed else []
    return (*closed, *extra, *tail)


class StatisticsService:
    """Cross-tabs for the desk and suppressed releases for everything that leaves the post."""

    def __init__(self, source: StatisticsSource, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._source = source
        self._uow_factory = uow_factory
        self._clock = clock

    def crosstab(self, actor: Actor, spec: StatisticsSpec) -> CrossTab:
        """Exact counts: statisticians and supervisors only (the desk's internal views)."""
        self._exact_allowed(actor, spec, "crosstab")
        counts = self._source.counts(spec)
        total = self._total(spec, counts)
        return CrossTab(spec=spec, counts=counts, total=total)

    def _total(self, spec: StatisticsSpec, counts: Mapping[Key, int]) -> int:
        if not any(d.multi_response for d in spec.dimensions):
            return sum(counts.values())
        return sum(self._source.counts(_with_dimensions(spec, ())).values())

    def exact_values(self, actor: Actor, spec: StatisticsSpec) -> dict[Key, int]:
        """Every cell and total, exact: for the desk's internal tables (statisticians, supervisors)."""
        self._exact_allowed(actor, spec, "exact_values")
        return self._published_values(spec)

    def exact_values_for_release(self, spec: StatisticsSpec) -> dict[Key, int]:
        """Every cell and total, exact, for the release service to suppress (never shown)."""
        return self._published_values(spec)

    def _published_values(self, spec: StatisticsSpec) -> dict[Key, int]:
        """Every cell and total of the table: sums where additive, distinct counts otherwise."""
        n = len(spec.dimensions)
        full = self._source.counts(spec)
        values: dict[Key, int] = {}
        for kept in itertools.product((True, False), repeat=n):
            dropped_multi = any(
                not keep and d.multi_response for keep, d in zip(kept, spec.dimensions, strict=True)
            )
            if dropped_multi:
                sub = _with_dimensions(spec, tuple(d for keep, d in zip(kept, spec.dimensions,
                                                                         strict=True) if keep))
                for key, v in self._source.counts(sub).items():
                    values[_widen(key, kept)] = v
            else:
                for key, v in full.items():
                    wide = tuple(c if keep else TOTAL for c, keep in zip(key, kept, strict=True))
                    values[wide] = values.get(wide, 0) + v
        return values

    def overdue_verifications(self, actor: Actor, spec: StatisticsSpec) -> CrossTab:
        """Overdue verification requests today, by the spec's dimensions (internal view)."""
        self._exact_allowed(actor, spec, "overdue_verifications")
        counts = self._source.overdue_verifications(self._clock.today(), spec)
        return CrossTab(spec=spec, counts=counts, total=sum(counts.values()))

    def _exact_allowed(self, actor: Actor, spec: StatisticsSpec, view: str) -> None:
        """Exact counts only with the capability; every exact view (or refusal) is audited."""
        require_capability_audited(actor, Capability.VIEW_EXACT_STATISTICS, self._uow_factory, self._clock,
                                   "statistics", ",".join(spec.dimensions) or "total", view=view)


def _with_dimensions(spec: StatisticsSpec, dimensions: tuple[Dimension, ...]) -> StatisticsSpec:
    return StatisticsSpec(dimensions, spec.measure, spec.date_from, spec.date_to, spec.age_bands)


def _widen(key: Sequence[str], kept: Sequence[bool]) -> Key:
    parts = iter(key)
    return tuple(next(parts) if keep else TOTAL for keep in kept)
