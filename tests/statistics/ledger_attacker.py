"""An integer-program attacker over everything published, independent of the audit under test.

Its unknowns are the full joint counts (month x every dimension any table used), so it assumes
nothing about how tables link; each published JSON table adds its entries as constraints ("<k" as
0..k-1, "x" as k or more, a number exactly), and scipy's HiGHS MILP gives the smallest and largest
value of any quantity. Two data states can be modelled (before and after an import) with the
number of cases added known to the attacker.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

TOTAL = "total"
PERIOD_DIMS = {"month", "quarter", "half", "year"}


def period_of(dimension: str, month: str) -> str:
    """The period code of ``dimension`` a month ("2026-03") falls in."""
    year, number = month[:4], int(month[5:])
    return {"month": month, "quarter": f"{year}-Q{(number + 2) // 3}",
            "half": f"{year}-H{(number + 5) // 6}", "year": year}[dimension]


@dataclass
class Attacker:
    """Joint integer unknowns per data state; tables and known facts become linear constraints."""

    months: Sequence[str]
    codes: Mapping[str, Sequence[str]]  # every dimension -> every code it can take
    states: int = 1
    index: dict[tuple[Any, ...], int] = field(default_factory=dict)
    rows: list[tuple[dict[int, float], float, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.dims = sorted(self.codes)
        for state in range(self.states):
            for month in self.months:
                for combo in itertools.product(*(self.codes[d] for d in self.dims)):
                    self.index[(state, month, *combo)] = len(self.index)

    def select(
        self, state: int, where: Mapping[str, str], months: Sequence[str] | None = None
    ) -> dict[int, float]:
        """The unknowns of ``state`` matching fixed codes (and period codes) in ``months``."""
        out: dict[int, float] = {}
        wanted = months if months is not None else self.months
        for (s, month, *combo), i in self.index.items():
            if s != state or month not in wanted:
                continue
            fixed = dict(zip(self.dims, combo, strict=True))
            ok = True
            for d, code in where.items():
                ok = ok and period_of(d, month) == code if d in PERIOD_DIMS else ok and fixed[d] == code
            if ok:
                out[i] = 1.0
        return out

    def add_table(self, document: Mapping[str, Any], state: int, months: Sequence[str]) -> None:
        """One published JSON table (``stats --format json``) counted from data ``state``."""
        k = int(document["k"])
        for entry in document["entries"]:
            count = entry["count"]
            where = {d: str(c) for d, c in entry.items() if d in self.codes or d in PERIOD_DIMS}
            where = {d: c for d, c in where.items() if c != TOTAL}
            row = self.select(state, where, months)
            if isinstance(count, int):
                self.rows.append((row, count, count))
            elif count == f"<{k}":
                self.rows.append((row, 0, k - 1))
            else:
                self.rows.append((row, k, np.inf))

    def add_change(self, before: int, after: int, added: int, months: Sequence[str]) -> None:
        """``after`` is ``before`` plus ``added`` new cases (nothing removed or edited)."""
        total = self.select(after, {}, months)
        for i in list(self.select(before, {}, months)):
            key = next(k for k, v in self.index.items() if v == i)
            j = self.index[(after, *key[1:])]
            self.rows.append(({j: 1.0, i: -1.0}, 0, np.inf))
        diff = dict(total)
        for i in self.select(before, {}, months):
            diff[i] = diff.get(i, 0.0) - 1.0
        self.rows.append((diff, added, added))

    def interval(self, objective: Mapping[int, float]) -> tuple[int, int]:
        """Smallest and largest integer value of a linear quantity."""
        n = len(self.index)
        matrix = np.zeros((len(self.rows), n))
        lows, highs = [], []
        for r, (row, low, high) in enumerate(self.rows):
            for i, v in row.items():
                matrix[r, i] += v
            lows.append(low)
            highs.append(high)
        constraint = LinearConstraint(matrix, lows, highs)
        c = np.zeros(n)
        for i, v in objective.items():
            c[i] = v
        found = []
        for sign in (1, -1):
            result = milp(sign * c, constraints=constraint, integrality=np.ones(n),
                          bounds=Bounds(0, np.inf))
            assert result.status == 0, result.message
            found.append(round(sign * result.fun))
        return found[0], found[1]

    def difference(self, before: int, after: int, where: Mapping[str, str]) -> dict[int, float]:
        """The new cases with ``where`` codes: after minus before."""
        row = self.select(after, where)
        for i in self.select(before, where):
            row[i] = row.get(i, 0.0) - 1.0
        return row


def small_entries(document: Mapping[str, Any]) -> list[dict[str, str]]:
    """The "<k" entries of a published table, as code filters (totals left out)."""
    k = document["k"]
    out = []
    for entry in document["entries"]:
        if entry["count"] == f"<{k}":
            out.append({d: str(c) for d, c in entry.items() if d != "count" and c != TOTAL
                        and not d.endswith("_label")})
    return out
