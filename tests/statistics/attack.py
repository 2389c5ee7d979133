"""An attacker's tools against a published table: differencing, linear algebra and integer search.

Independent of the implementation under test: numpy ranks for the linear algebra, and a small
exhaustive integer search (with bounds) for small tables.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np

from repatriation.domain.suppression import TOTAL, CellState, Key, SuppressedTable, lines_of


def full_table(cells: Mapping[Key, int]) -> dict[Key, int]:
    """Cells plus every total (sum over any set of positions) for additive dimensions."""
    values: dict[Key, int] = {}
    for key, v in cells.items():
        for mask in itertools.product((False, True), repeat=len(key)):
            wide = tuple(TOTAL if m else c for m, c in zip(mask, key, strict=True))
            values[wide] = values.get(wide, 0) + v
    return values


def differencing(table: SuppressedTable, additive: Sequence[bool]) -> set[Key]:
    """Withheld entries alone on an additive line: total minus the rest gives them away."""
    found = set()
    for line in lines_of(table.values, additive):
        if not line.additive:
            continue
        hidden = [e for e in (line.total, *line.members) if table.published(e) is None]
        if len(hidden) == 1:
            found.add(hidden[0])
    return found


def linear_algebra(table: SuppressedTable, additive: Sequence[bool]) -> set[Key]:
    """Withheld entries whose unit vector lies in the row space of the equations (numpy rank)."""
    hidden = sorted(table.withheld)
    if not hidden:
        return set()
    index = {key: i for i, key in enumerate(hidden)}
    rows = []
    for line in lines_of(table.values, additive):
        if not line.additive:
            continue
        row = np.zeros(len(hidden))
        for key, sign in ((line.total, -1.0), *((m, 1.0) for m in line.members)):
            if key in index:
                row[index[key]] += sign
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    matrix = np.array(rows)
    rank = np.linalg.matrix_rank(matrix)
    found = set()
    for key, i in index.items():
        unit = np.zeros(len(hidden))
        unit[i] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.add(key)
    return found


def integer_search(table: SuppressedTable, additive: Sequence[bool], limit: int = 200_000) -> set[Key]:
    """Withheld entries with exactly one feasible integer value given everything published.

    The attacker knows: "<k" is 1..k-1, "x" is at least k (only non-zero entries are chosen),
    every additive total is the sum of its line and a multi-response total lies between the
    largest member and the sum. Exhaustive depth-first search; small tables only.
    """
    k = table.k
    hidden = sorted(table.withheld)
    grand = max(table.values.values())
    lines = lines_of(table.values, additive)
    domains = {
        key: range(1, k) if table.states[key] is CellState.PRIMARY else range(k, grand + 1)
        for key in hidden
    }
    solutions: dict[Key, set[int]] = {key: set() for key in hidden}
    budget = [limit]

    def value(key: Key, assigned: dict[Key, int]) -> int | None:
        if key in domains:
            return assigned.get(key)
        return table.values.get(key, 0)

    def bounds(key: Key, assigned: dict[Key, int]) -> tuple[int, int]:
        v = value(key, assigned)
        if v is not None:
            return v, v
        return domains[key][0], domains[key][-1]

    def consistent(assigned: dict[Key, int]) -> bool:
        # Interval check of every line with the unknowns at their domain bounds: prunes early.
        for line in lines:
            t_lo, t_hi = bounds(line.total, assigned)
            spans = [bounds(m, assigned) for m in line.members]
            s_lo, s_hi = sum(a for a, _ in spans), sum(b for _, b in spans)
            if line.additive and (s_hi < t_lo or s_lo > t_hi):
                return False
            if not line.additive and (max(a for a, _ in spans) > t_hi or s_hi < t_lo):
                return False
        return True

    def forced(assigned: dict[Key, int]) -> tuple[Key, int] | None:
        # An additive line with one unknown left fixes it: that keeps the search small.
        for line in lines:
            if not line.additive:
                continue
            open_keys = [e for e in (line.total, *line.members) if value(e, assigned) is None]
            if len(open_keys) == 1:
                key = open_keys[0]
                members = sum(value(m, assigned) or 0 for m in line.members)
                total = value(line.total, assigned) or 0
                return key, (total - members if key != line.total else members)
        return None

    def search(assigned: dict[Key, int]) -> dict[Key, int] | None:
        """One complete feasible assignment extending ``assigned``, or None."""
        budget[0] -= 1
        if budget[0] < 0:
            raise RuntimeError("search budget exhausted: table too large for exhaustive search")
        if len(assigned) == len(hidden):
            return dict(assigned)
        push = forced(assigned)
        if push is not None:
            key, v = push
            choices: Sequence[int] = [v] if v in domains[key] else []
        else:
            key = next(h for h in hidden if h not in assigned)
            choices = domains[key]
        for v in choices:
            assigned[key] = v
            found = consistent(assigned) and search(assigned)
            del assigned[key]
            if found:
                return found
        return None

    for key in hidden:
        solutions[key].add(table.values[key])
    for key in hidden:
        if len(solutions[key]) > 1:
            continue  # an earlier solution already showed a second value
        for v in domains[key]:
            if v == table.values[key]:
                continue
            found = search({key: v}) if consistent({key: v}) else None
            if found:
                for other, w in found.items():
                    solutions[other].add(w)
                break
    return {key for key, values in solutions.items() if len(values) < 2}
