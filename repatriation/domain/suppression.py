"""Small-cell suppression of published tables: "<k" for counts 1..k-1, plus complementary cells.

A published table is every cell of a cross-tab *and* every total (the sum over any set of its
dimensions), each keyed by a tuple whose totalled positions hold :data:`TOTAL`. Counts from 1 to
k-1 are primary suppressions (shown "<k"); further cells are then withheld (shown "x") until no
withheld value can be worked out from what is shown: neither exactly, by linear algebra over all
the additivity equations, nor by narrowing its bounds to one value (an attacker knows a "<k" cell
lies in 1..k-1 and an "x" cell is at least k, because only non-zero cells are chosen as
complements). Zero cells are shown: a zero is not a person.

A dimension may be *multi-response* (a case with two forms of exploitation counts under both), so
its total is the number of distinct cases, not the sum of its categories; such lines give the
attacker inequalities (each category <= total <= their sum), which the bound audit uses too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

TOTAL = "*"
DEFAULT_K = 5
_UNBOUNDED = 1 << 62

Key = tuple[str, ...]


class CellState(StrEnum):
    """Why a published entry shows what it shows."""

    SHOWN = "shown"
    PRIMARY = "primary"  # 1..k-1: shown as "<k"
    SECONDARY = "secondary"  # withheld to protect a primary cell: shown as "x"


@dataclass(frozen=True)
class Line:
    """One additivity relation: ``total`` against its ``members`` along one dimension."""

    total: Key
    members: tuple[Key, ...]
    additive: bool  # False: multi-response, members <= total <= sum(members)


@dataclass(frozen=True)
class SuppressedTable:
    """A table ready to leave the post: every entry with its state, and the display text."""

    k: int
    values: Mapping[Key, int]  # exact values: never published for withheld keys
    states: Mapping[Key, CellState]

    def display(self, key: Key) -> str:
        """What the published table prints for ``key`` (absent keys are zero)."""
        state = self.states.get(key, CellState.SHOWN)
        if state is CellState.PRIMARY:
            return f"<{self.k}"
        if state is CellState.SECONDARY:
            return "x"
        return str(self.values.get(key, 0))

    def published(self, key: Key) -> int | None:
        """The value as published: ``None`` when withheld."""
        if self.states.get(key, CellState.SHOWN) is not CellState.SHOWN:
            return None
        return self.values.get(key, 0)

    @property
    def withheld(self) -> frozenset[Key]:
        """Keys not shown (primary and secondary)."""
        return frozenset(k for k, s in self.states.items() if s is not CellState.SHOWN)


def lines_of(values: Mapping[Key, int], additive: Sequence[bool]) -> list[Line]:
    """Every relation between published entries (sparse: absent entries are zero).

    For each entry with a total at position ``d``, its members are the entries that agree on
    every other position and hold a category at ``d``.
    """
    members: dict[tuple[Key, int], list[Key]] = {}
    for key in values:
        for d, code in enumerate(key):
            if code != TOTAL:
                parent = (*key[:d], TOTAL, *key[d + 1 :])
                members.setdefault((parent, d), []).append(key)
    out = []
    for (parent, d), keys in sorted(members.items()):
        out.append(Line(parent, tuple(sorted(keys)), additive[d]))
    return out


def suppress(
    values: Mapping[Key, int], additive: Sequence[bool], k: int = DEFAULT_K
) -> SuppressedTable:
    """Suppress a published table (cells and all its totals) so no withheld value is recoverable.

    Args:
        values: every published entry (cells and totals) with its exact count; absent keys are 0.
        additive: per dimension, False when it is multi-response (totals are distinct counts).
        k: the threshold; counts 1..k-1 are withheld.

    Returns:
        The table with each entry's state; ``display`` gives the text to print.
    """
    if k < 2:
        raise ValueError("k must be at least 2")
    values = {key: v for key, v in values.items() if v}
    lines = lines_of(values, additive)
    by_key: dict[Key, list[int]] = {}
    for index, line in enumerate(lines):
        for key in (line.total, *line.members):
            by_key.setdefault(key, []).append(index)
    primary = {key for key, v in values.items() if 0 < v < k}
    withheld = set(primary)
    pending = set(range(len(lines)))
    while True:
        _close_single_lines(values, lines, by_key, withheld, pending)
        exposed = audit(values, lines, withheld, primary, k)
        if not exposed:
            break
        added = _protect(values, lines, by_key, withheld, exposed)
        if not added:
            withheld |= set(values)  # nothing left to add: withhold the whole table
            break
        pending = {i for key in added for i in by_key.get(key, [])}
    states = {
        key: CellState.PRIMARY
        if key in primary
        else CellState.SECONDARY
        if key in withheld
        else CellState.SHOWN
        for key in values
    }
    return SuppressedTable(k=k, values=dict(values), states=states)


def _rank(key: Key, value: int) -> tuple[int, int, Key]:
    # Cheapest complement first: fewest totalled positions (keep totals), then smallest count.
    return (sum(1 for c in key if c == TOTAL), value, key)


def _close_single_lines(
    values: Mapping[Key, int],
    lines: Sequence[Line],
    by_key: Mapping[Key, list[int]],
    withheld: set[Key],
    pending: set[int],
) -> None:
    """A line with exactly one withheld entry gives it away by subtraction: withhold a second."""
    queue = sorted(pending)
    pending.clear()
    while queue:
        line = lines[queue.pop()]
        entries = (line.total, *line.members)
        hidden = [e for e in entries if e in withheld]
        if len(hidden) != 1:
            continue
        candidates = [e for e in entries if e not in withheld and values.get(e, 0) > 0]
        if not candidates:
            continue
        chosen = min(candidates, key=lambda e: _rank(e, values[e]))
        withheld.add(chosen)
        queue.extend(by_key.get(chosen, []))


def _protect(
    values: Mapping[Key, int],
    lines: Sequence[Line],
    by_key: Mapping[Key, list[int]],
    withheld: set[Key],
    exposed: Iterable[Key],
) -> set[Key]:
    """Withhold one more entry on a line through each exposed key; returns what was added."""
    added: set[Key] = set()
    for key in sorted(exposed):
        options = []
        for index in by_key.get(key, []):
            line = lines[index]
            for entry in (line.total, *line.members):
                if entry not in withheld and values.get(entry, 0) > 0:
                    options.append(entry)
        if options:
            chosen = min(options, key=lambda e: _rank(e, values[e]))
            withheld.add(chosen)
            added.add(chosen)
    return added


def audit(
    values: Mapping[Key, int],
    lines: Sequence[Line],
    withheld: Iterable[Key],
    primary: Iterable[Key],
    k: int,
) -> frozenset[Key]:
    """Withheld keys an attacker can pin to one value from the published entries.

    Two attacks: solving the additivity equations exactly (:func:`determined`), and narrowing
    bounds line by line (:func:`pinned`) knowing "<k" means 1..k-1 and "x" means at least k.
    """
    hidden = set(withheld)
    equations = [line for line in lines if line.additive]
    exact = determined(values, equations, hidden)
    return exact | pinned(values, lines, hidden, set(primary), k)


def _equations(
    values: Mapping[Key, int], lines: Sequence[Line], hidden: set[Key], index: Mapping[Key, int]
) -> list[tuple[dict[int, Fraction], Fraction]]:
    rows = []
    for line in lines:
        row: dict[int, Fraction] = {}
        rhs = Fraction(0)
        for key, sign in ((line.total, -1), *((m, 1) for m in line.members)):
            if key in hidden:
                row[index[key]] = row.get(index[key], Fraction(0)) + sign
            else:
                rhs -= sign * values.get(key, 0)
        if row:
            rows.append((row, rhs))
    return rows


def determined(values: Mapping[Key, int], lines: Sequence[Line], hidden: set[Key]) -> frozenset[Key]:
    """Withheld keys whose value follows exactly from the equations (reduced row echelon form).

    A variable is determined iff its pivot row in the reduced echelon form has no free variable.
    """
    order = sorted(hidden)
    index = {key: i for i, key in enumerate(order)}
    pivots: dict[int, tuple[dict[int, Fraction], Fraction]] = {}
    for row, rhs in _equations(values, lines, hidden, index):
        for col, pivot in pivots.items():  # reduce by the pivots found so far
            if row.get(col):
                row, rhs = _subtract((row, rhs), pivot, col)
        if not row:
            continue
        col = min(row)
        factor = row[col]
        reduced = ({c: v / factor for c, v in row.items()}, rhs / factor)
        for other, pivot in list(pivots.items()):  # keep the form reduced
            if pivot[0].get(col):
                pivots[other] = _subtract(pivot, reduced, col)
        pivots[col] = reduced
    return frozenset(order[col] for col, (row, _) in pivots.items() if len(row) == 1)


def _subtract(
    target: tuple[dict[int, Fraction], Fraction], pivot: tuple[dict[int, Fraction], Fraction], col: int
) -> tuple[dict[int, Fraction], Fraction]:
    """``target - target[col] * pivot`` (the pivot row has 1 at ``col``)."""
    row, rhs = dict(target[0]), target[1]
    factor = row[col]
    for c, v in pivot[0].items():
        row[c] = row.get(c, Fraction(0)) - factor * v
        if not row[c]:
            del row[c]
    return row, rhs - factor * pivot[1]


def pinned(
    values: Mapping[Key, int],
    lines: Sequence[Line],
    hidden: set[Key],
    primary: set[Key],
    k: int,
    rounds: int = 50,
) -> frozenset[Key]:
    """Withheld keys whose bounds shrink to a single value by propagation along the lines."""
    low = {key: (1 if key in primary else k) for key in hidden}
    high = {key: (k - 1 if key in primary else _UNBOUNDED) for key in hidden}

    def lo(key: Key) -> int:
        return low[key] if key in hidden else values.get(key, 0)

    def hi(key: Key) -> int:
        return high[key] if key in hidden else values.get(key, 0)

    for _ in range(rounds):
        changed = False
        for line in lines:
            terms = line.members
            if line.additive:
                # total = sum(members): bound each side by the others.
                changed |= _tighten(line.total, sum(lo(m) for m in terms),
                                    sum(hi(m) for m in terms), hidden, low, high)
                for m in terms:
                    rest_lo = sum(lo(o) for o in terms if o != m)
                    rest_hi = sum(hi(o) for o in terms if o != m)
                    changed |= _tighten(m, lo(line.total) - rest_hi, hi(line.total) - rest_lo,
                                        hidden, low, high)
            else:
                # Multi-response: max(members) <= total <= sum(members).
                changed |= _tighten(line.total, max(lo(m) for m in terms),
                                    sum(hi(m) for m in terms), hidden, low, high)
                for m in terms:
                    rest_hi = sum(hi(o) for o in terms if o != m)
                    changed |= _tighten(m, lo(line.total) - rest_hi, hi(line.total),
                                        hidden, low, high)
        if not changed:
            break
    return frozenset(key for key in hidden if low[key] >= high[key])


def _tighten(
    key: Key, new_lo: int, new_hi: int, hidden: set[Key], low: dict[Key, int], high: dict[Key, int]
) -> bool:
    if key not in hidden:
        return False
    changed = False
    if new_lo > low[key]:
        low[key] = new_lo
        changed = True
    if new_hi < high[key]:
        high[key] = new_hi
        changed = True
    return changed
