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

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

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
    values: Mapping[Key, int],
    additive: Sequence[bool],
    k: int = DEFAULT_K,
    forced: Iterable[Key] = (),
) -> SuppressedTable:
    """Suppress a published table (cells and all its totals) so no withheld value is recoverable.

    Args:
        values: every published entry (cells and totals) with its exact count; absent keys are 0.
        additive: per dimension, False when it is multi-response (totals are distinct counts).
        k: the threshold; counts 1..k-1 are withheld.
        forced: entries to withhold anyway, e.g. a total withheld in another table of the same
            release (linked tables must withhold a shared total everywhere or nowhere).

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
    withheld = set(primary) | {key for key in forced if values.get(key, 0) > 0}
    pending = set(range(len(lines)))
    while True:
        _close_single_lines(values, lines, by_key, withheld, pending)
        # The cheap bound attack first; the exact linear algebra only once that finds nothing.
        exposed = pinned(values, lines, withheld, primary, k) or determined(
            values, [line for line in lines if line.additive], withheld
        )
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


def mask_zeros(table: SuppressedTable, keys: Iterable[Key]) -> SuppressedTable:
    """Show a zero as "<k" too when it shares a line with a "<k" entry (the legend becomes 0..k-1).

    Otherwise the number of "<k" entries under a withheld total tells its lower bound (three
    "<k" cells: at least 3), which a second table's "<k" total cannot afford.
    """
    primary = {key for key, state in table.states.items() if state is CellState.PRIMARY}
    states = dict(table.states)
    values = dict(table.values)
    for key in keys:
        if table.values.get(key, 0) or not _near(key, primary):
            continue
        states[key] = CellState.PRIMARY
        values[key] = 0
    return SuppressedTable(k=table.k, values=values, states=states)


def _near(key: Key, primary: set[Key]) -> bool:
    for d, code in enumerate(key):
        if code != TOTAL:
            parent = (*key[:d], TOTAL, *key[d + 1 :])
            if parent in primary:
                return True
            if any(p[:d] == key[:d] and p[d + 1 :] == key[d + 1 :] and p[d] != TOTAL for p in primary):
                return True
        elif any(p[:d] == key[:d] and p[d + 1 :] == key[d + 1 :] for p in primary):
            return True
    return False


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


# Elimination runs modulo this prime: exact, and far faster than fractions. A variable fixed over
# the rationals stays fixed modulo p, so working modulo p can only over-protect, never under.
_PRIME = (1 << 61) - 1


def _coefficients(lines: Sequence[Line], hidden: set[Key], index: Mapping[Key, int]) -> list[dict[int, int]]:
    rows = []
    for line in lines:
        row: dict[int, int] = {}
        for key, sign in ((line.total, -1), *((m, 1) for m in line.members)):
            if key in hidden:
                col = index[key]
                row[col] = (row.get(col, 0) + sign) % _PRIME
                if not row[col]:
                    del row[col]
        if row:
            rows.append(row)
    return rows


def determined(values: Mapping[Key, int], lines: Sequence[Line], hidden: set[Key]) -> frozenset[Key]:
    """Withheld keys whose value follows exactly from the equations (reduced row echelon form).

    Only the coefficients matter: a variable is determined iff its pivot row in the reduced
    echelon form has no free variable, whatever the published values are.
    """
    del values  # the right-hand sides never decide determinacy
    order = sorted(hidden)
    index = {key: i for i, key in enumerate(order)}
    pivots: dict[int, dict[int, int]] = {}
    holders: dict[int, set[int]] = {}  # free column -> pivot rows that mention it
    for row in _coefficients(lines, hidden, index):
        for col in [c for c in row if c in pivots]:
            # Pivot rows hold no other pivot column, so one pass reduces the row fully.
            _subtract(row, pivots[col], col)
        if not row:
            continue
        # Pivot on the column fewest pivot rows mention: less back-substitution and fill-in.
        col = min(row, key=lambda c: (len(holders.get(c, ())), c))
        inverse = pow(row[col], _PRIME - 2, _PRIME)
        reduced = {c: v * inverse % _PRIME for c, v in row.items()}
        for other in holders.pop(col, set()):  # keep the form reduced
            target = pivots[other]
            before = set(target)
            _subtract(target, reduced, col)
            for c in set(target) - before:
                holders.setdefault(c, set()).add(other)
            for c in before - set(target):
                if c != other and c in holders:
                    holders[c].discard(other)
        pivots[col] = reduced
        for c in reduced:
            if c != col:
                holders.setdefault(c, set()).add(col)
    return frozenset(order[col] for col, row in pivots.items() if len(row) == 1)


def _subtract(target: dict[int, int], pivot: Mapping[int, int], col: int) -> None:
    """``target -= target[col] * pivot`` in place (the pivot row has 1 at ``col``)."""
    factor = target[col]
    for c, v in pivot.items():
        value = (target.get(c, 0) - factor * v) % _PRIME
        if value:
            target[c] = value
        else:
            target.pop(c, None)


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

    relevant = [ln for ln in lines if ln.total in hidden or any(m in hidden for m in ln.members)]
    touching: dict[Key, list[int]] = {}
    for i, line in enumerate(relevant):
        for key in (line.total, *line.members):
            if key in hidden:
                touching.setdefault(key, []).append(i)
    queue = set(range(len(relevant)))
    budget = rounds * max(1, len(relevant))
    while queue and budget > 0:
        budget -= 1
        line = relevant[queue.pop()]
        changed = _propagate(line, lo, hi, hidden, low, high)
        for key in changed:
            queue.update(touching.get(key, ()))
    return frozenset(key for key in hidden if low[key] >= high[key])


def _propagate(
    line: Line,
    lo: Callable[[Key], int],
    hi: Callable[[Key], int],
    hidden: set[Key],
    low: dict[Key, int],
    high: dict[Key, int],
) -> set[Key]:
    """Tighten the bounds of one line's entries; returns the keys whose bounds moved."""
    terms = line.members
    sum_lo = sum(lo(m) for m in terms)
    sum_hi = sum(hi(m) for m in terms)
    changed: set[Key] = set()
    if line.additive:
        # total = sum(members): bound each side by the others.
        if _tighten(line.total, sum_lo, sum_hi, hidden, low, high):
            changed.add(line.total)
        t_lo, t_hi = lo(line.total), hi(line.total)
        for m in terms:
            m_lo, m_hi = lo(m), hi(m)
            if _tighten(m, t_lo - (sum_hi - m_hi), t_hi - (sum_lo - m_lo), hidden, low, high):
                changed.add(m)
    else:
        # Multi-response: max(members) <= total <= sum(members).
        if _tighten(line.total, max(lo(m) for m in terms), sum_hi, hidden, low, high):
            changed.add(line.total)
        t_lo, t_hi = lo(line.total), hi(line.total)
        for m in terms:
            if _tighten(m, t_lo - (sum_hi - hi(m)), t_hi, hidden, low, high):
                changed.add(m)
    return changed


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
