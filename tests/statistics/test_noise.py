"""Noisy releases: 1,000 repeated releases stay inside the stated error bounds and always add up."""

from __future__ import annotations

import json
import math
from datetime import date, datetime

import pytest

from repatriation.domain.actors import Actor, Role
from repatriation.domain.clock import FixedClock
from repatriation.domain.errors import PermissionDenied, ValidationError
from repatriation.domain.statistics_spec import Dimension, StatisticsSpec
from repatriation.domain.suppression import TOTAL, Key
from repatriation.services.statistics_noise import bounds, grid_keys, noisy_values
from repatriation.services.statistics_noisy_releases import (
    YEARLY_EPSILON,
    NoisyReleaseService,
    noise_grid,
)
from repatriation.services.statistics_ports import LedgerRecord
from tests.fakes import FakeDatabase

RUNS = 1000
EPSILON = 0.5
# Sex x age band at return, with empty cells (where raising negatives to 0 biases upwards).
CATEGORIES = (("F", "M", "U"), ("<10", "10-14", "15", "16-17", "18+", "unknown"))
TRUE = {("F", "<10"): 2, ("F", "10-14"): 9, ("F", "15"): 4, ("F", "16-17"): 31, ("M", "10-14"): 3,
        ("M", "15"): 1, ("M", "16-17"): 12, ("U", "16-17"): 1}


def _sums(values: dict[Key, int], key: Key) -> int:
    """The sum of the cells under ``key`` (``TOTAL`` matches every code)."""
    return sum(v for k, v in values.items() if TOTAL not in k
               and all(w in (TOTAL, c) for w, c in zip(key, k, strict=True)))


def _margin(sample: Key, position: int) -> Key:
    return tuple(TOTAL if i == position else c for i, c in enumerate(sample))


def test_a_thousand_noisy_releases_keep_the_stated_bounds_and_add_up() -> None:
    cells = grid_keys(CATEGORIES)
    stated = bounds(EPSILON, len(cells))
    truth_total = sum(TRUE.values())
    within = {key: 0 for key in cells}
    total_within = 0
    errors_big_cell: list[int] = []
    for _ in range(RUNS):
        values, loss = noisy_values(TRUE, CATEGORIES, EPSILON)
        assert loss == pytest.approx(EPSILON)  # what OpenDP says one case can move the output
        assert all(v >= 0 for v in values.values())
        # Consistent: every total is the sum of its published cells, at every level.
        for key, value in values.items():
            if TOTAL in key:
                assert value == _sums(values, key)
        for key in cells:
            within[key] += abs(values[key] - TRUE.get(key, 0)) <= stated.cell
        error = values[(TOTAL, TOTAL)] - truth_total
        total_within += -stated.total_low <= error <= stated.total_high
        errors_big_cell.append(values[("F", "16-17")] - TRUE[("F", "16-17")])
    # A 95% bound: over 18,000 cells the share inside sits at 95% or above, less three standard
    # errors of sampling (0.5 points); each cell alone less four (2.8 points).
    pooled = sum(within.values()) / (RUNS * len(cells))
    assert pooled >= 1 - stated.alpha - 3 * math.sqrt(0.05 * 0.95 / (RUNS * len(cells)))
    assert min(within.values()) / RUNS >= 1 - stated.alpha - 4 * math.sqrt(0.05 * 0.95 / RUNS)
    assert total_within / RUNS >= 1 - stated.alpha - 4 * math.sqrt(0.05 * 0.95 / RUNS)
    # Calibrated, not merely bounded: a large cell's errors have the discrete Laplace's spread.
    r = math.exp(-EPSILON)
    variance = 2 * r / (1 - r) ** 2
    observed = sum(e * e for e in errors_big_cell) / RUNS
    assert 0.8 * variance <= observed <= 1.2 * variance
    assert abs(sum(errors_big_cell) / RUNS) < 4 * math.sqrt(variance / RUNS)


def test_stated_bounds_follow_the_budget() -> None:
    tight, loose = bounds(1.0, 18), bounds(0.25, 18)
    assert tight.cell < bounds(EPSILON, 18).cell < loose.cell
    assert tight.total_high < loose.total_high and tight.total_low < loose.total_low
    one = bounds(EPSILON, 1)
    assert one.total_low == one.total_high <= one.cell  # one cell: one-sided 2.5% vs two-sided 5%
    r = math.exp(-EPSILON)
    assert 2 * r ** (one.cell + 1) / (1 + r) <= 0.05 < 2 * r ** one.cell / (1 + r)  # exact tail


class _Ledger:
    def __init__(self) -> None:
        self.rows: list[LedgerRecord] = []

    def records(self, uow: object) -> list[LedgerRecord]:
        return list(self.rows)

    def append(self, uow: object, record: LedgerRecord) -> int:
        from dataclasses import replace

        self.rows.append(replace(record, number=len(self.rows) + 1))
        return len(self.rows)


class _Statistics:
    def exact_values_for_release(self, spec: StatisticsSpec) -> dict[Key, int]:
        values = dict(TRUE)
        values[(TOTAL, TOTAL)] = sum(TRUE.values())
        return values


def _service() -> tuple[NoisyReleaseService, _Ledger, FakeDatabase]:
    ledger, db = _Ledger(), FakeDatabase()
    clock = FixedClock(datetime(2026, 7, 3, 9, 0))
    service = NoisyReleaseService(_Statistics(), ledger, db.uow, clock)  # type: ignore[arg-type]
    return service, ledger, db


def test_the_yearly_budget_is_spent_in_the_ledger_and_refused_past_it() -> None:
    service, ledger, db = _service()
    statistician = Actor("thu.stat", Role.STATISTICIAN)
    h1 = StatisticsSpec((Dimension.SEX, Dimension.AGE_AT_RETURN), date_from=date(2026, 1, 1),
                        date_to=date(2026, 6, 30))
    first = service.publish(statistician, h1, 1.5, purpose="test")
    assert first.method == "noise" and first.epsilon == pytest.approx(1.5)
    assert service.publish(statistician, h1, 1.5, purpose="test").display((TOTAL, TOTAL)) == (
        first.display((TOTAL, TOTAL)))  # asked again: the recorded one, no fresh noise
    # OpenDP rounds the loss it reports upwards (1.5000000000000002): the ledger keeps its figure.
    assert len(ledger.rows) == 1
    assert service.budget(statistician, 2026) == (pytest.approx(1.5), YEARLY_EPSILON)
    h2 = StatisticsSpec(h1.dimensions, date_from=date(2025, 7, 1), date_to=date(2025, 12, 31))
    service.publish(statistician, h2, 1.5, purpose="test")  # another year's cases: its own budget
    year = StatisticsSpec((Dimension.CORRIDOR, Dimension.CHANNEL), date_from=date(2026, 1, 1),
                          date_to=date(2026, 12, 31))
    with pytest.raises(ValidationError) as refused:
        service.publish(statistician, StatisticsSpec(year.dimensions, date_from=h1.date_from,
                                                     date_to=h1.date_to), 1.0, purpose="test")
    assert refused.value.code == "privacy_budget_spent"
    with pytest.raises(ValidationError):  # free choices and data-listed codes stay inside the post
        service.publish(statistician, StatisticsSpec((Dimension.ETHNIC_GROUP, Dimension.AGE_AT_RETURN),
                                                     date_from=h1.date_from, date_to=h1.date_to),
                        0.5, purpose="test")
    with pytest.raises(PermissionDenied):
        service.publish(Actor("an", Role.BORDER_GUARD), h1, 0.5, purpose="test")
    assert len(ledger.rows) == 2
    spends = [json.loads(e.details) for e in db.audit if e.action == "statistics_released"]
    assert [d["epsilon"] for d in spends] == ["1.5", "1.5"] and spends[0]["method"] == "noise"


def test_the_grid_never_comes_from_the_data() -> None:
    spec = StatisticsSpec((Dimension.MONTH, Dimension.CORRIDOR), date_from=date(2026, 1, 1),
                          date_to=date(2026, 6, 30))
    months, corridors = noise_grid(spec, "2026-H1")
    assert months == tuple(f"2026-{m:02d}" for m in range(1, 7)) and "none" in corridors
    quarters = noise_grid(StatisticsSpec((Dimension.QUARTER, Dimension.SEX)), "2026")[0]
    assert quarters == ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
