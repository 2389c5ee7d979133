"""The disclosure audit: what an attacker can infer about each withheld count from every release.

Each published table constrains integer counts per month. Tables of the same dimension set share
variables; tables of different sets are linked through their common margins month by month, which
is exact when the sets form an acyclic hypergraph (the release templates are chosen so, see
``statistics_releases.TEMPLATES`` and its test). A table counted from data that has changed since
is linked to today's counts through change variables whose monthly sums (cases added, cases
removed) the attacker is assumed to know. The interval of each withheld entry is then the minimum
and maximum of an integer program solved by HiGHS (``scipy.optimize.milp``): an integer attacker,
never weaker than the linear relaxation.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from repatriation.domain.statistics_spec import PERIODS, Dimension
from repatriation.domain.suppression import TOTAL, CellState, Key

_INF = float("inf")


@dataclass(frozen=True)
class AuditTable:
    """One published table as an attacker sees it."""

    ident: str  # "candidate" or the ledger number of an earlier release
    dimensions: tuple[Dimension, ...]  # at most one period dimension, which is derived from months
    months: tuple[str, ...]  # "YYYY-MM" covered by the table's period
    categories: tuple[tuple[str, ...], ...]  # per dimension (period dimension: its codes)
    entries: Mapping[Key, tuple[CellState, int | None]]  # published state and shown value
    k: int
    # Months whose data changed since the table was counted: month -> (cases in, cases out).
    changes: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    floor: int = 0  # the smallest value "<k" stands for (0: zeros beside small counts are masked)
    listed: frozenset[Dimension] = frozenset()  # dimensions listing only the codes that occur

    @property
    def family(self) -> frozenset[Dimension]:
        """The non-period dimensions: tables with the same family share variables."""
        return frozenset(d for d in self.dimensions if d not in PERIODS)


@dataclass(frozen=True)
class Exposure:
    """A withheld entry narrowed below its protection interval."""

    table: str
    key: Key
    low: int
    high: int
    required: int  # how many values the interval must hold


def protection(k: int) -> int:
    """How many values a "<k" entry's interval must keep: k-2, and never fewer than two.

    Not the whole legend (1..k-1): a "<k" entry says "not zero", so two small entries beside each
    other already tell their total is at least 2; what must not happen is narrowing to one value
    or to a couple of values out of the legend's range (k = 5: three of 1..4; k = 3: both of 1..2).
    """
    return max(2, k - 2)


def period_code(dimension: Dimension, month: str) -> str:
    """The code of the period of ``dimension`` a month falls in ("2026-Q1", "2026-H2", "2026-03")."""
    year, number = month[:4], int(month[5:])
    return {
        Dimension.MONTH: month,
        Dimension.QUARTER: f"{year}-Q{(number + 2) // 3}",
        Dimension.HALF: f"{year}-H{(number + 5) // 6}",
        Dimension.YEAR: year,
    }[dimension]


def period_months(dimension: Dimension, code: str, months: Sequence[str]) -> tuple[str, ...]:
    """The months of ``months`` that fall in one period code (all of them for the total)."""
    if code == TOTAL:
        return tuple(months)
    return tuple(m for m in months if period_code(dimension, m) == code)


def _blocks(months: Sequence[str], first: Mapping[str, str], second: Mapping[str, str]) -> list[list[str]]:
    """The finest blocks of months that are unions of atoms of both families."""
    parent = {m: m for m in months}

    def root(m: str) -> str:
        while parent[m] != m:
            parent[m] = parent[parent[m]]
            m = parent[m]
        return m

    for atoms in (first, second):
        for month, atom in atoms.items():
            parent[root(month)] = root(atom)
    out: dict[str, list[str]] = {}
    for month in months:
        out.setdefault(root(month), []).append(month)
    return list(out.values())


class _Model:
    """Variables and constraints of the attacker's integer program (sparse rows)."""

    def __init__(self) -> None:
        self.count = 0
        self.rows: list[tuple[dict[int, float], float, float]] = []

    def new(self) -> int:
        self.count += 1
        return self.count - 1

    def add(self, row: Mapping[int, float], low: float, high: float) -> None:
        clean = {i: v for i, v in row.items() if v}
        if clean:
            self.rows.append((clean, low, high))


@dataclass
class _Family:
    """Variables of one dimension set in one data state: cells, and distinct totals if multi."""

    dims: tuple[Dimension, ...]  # sorted, no period dimension
    multi: int | None  # position of the multi-response dimension
    atom_of: dict[str, str]  # month -> the first month of its atom
    cells: dict[tuple[str, tuple[str, ...]], int] = field(default_factory=dict)  # (atom, codes)
    distinct: dict[tuple[str, tuple[str, ...]], int] = field(default_factory=dict)


class Auditor:
    """Builds the attacker's program over a set of tables and bounds any published entry."""

    def __init__(self, tables: Sequence[AuditTable]) -> None:
        self.tables = list(tables)
        self.model = _Model()
        self._highs: Any = None
        self.codes = self._codes()
        self.families: dict[tuple[frozenset[Dimension], str], _Family] = {}
        self.months = sorted({m for table in self.tables for m in table.months})
        for family in {table.family for table in self.tables}:
            self._family(family, "now", self._atoms(family))
        for table in self.tables:
            if table.changes:
                self._changed_state(table)
        self._link()
        for table in self.tables:
            self._publish(table)

    # -- variables ---------------------------------------------------------------------------

    def _codes(self) -> dict[Dimension, tuple[str, ...]]:
        out: dict[Dimension, list[str]] = {}
        for table in self.tables:
            for dimension, cats in zip(table.dimensions, table.categories, strict=True):
                known = out.setdefault(dimension, [])
                known.extend(c for c in cats if c not in known)
        return {d: tuple(c) for d, c in out.items()}

    def _atoms(self, family: frozenset[Dimension]) -> dict[str, str]:
        """Month -> its atom: months no table of the family tells apart share one set of variables."""
        signature: dict[str, list[object]] = {m: [] for m in self.months}
        for table in self.tables:
            if table.family != family:
                continue
            period = next((d for d in table.dimensions if d in PERIODS), None)
            for month in self.months:
                inside = month in table.months
                code = period_code(period, month) if period is not None and inside else ""
                signature[month].append((inside, code))
        first: dict[tuple[object, ...], str] = {}
        return {m: first.setdefault(tuple(signature[m]), m) for m in self.months}

    def _family(self, family: frozenset[Dimension], state: str, atom_of: Mapping[str, str]) -> _Family:
        dims = tuple(sorted(family))
        multi = next((i for i, d in enumerate(dims) if d.multi_response), None)
        fam = _Family(dims, multi, dict(atom_of))
        axes = [self.codes.get(d, ()) for d in dims]
        for atom in sorted(set(atom_of.values())):
            for codes in itertools.product(*axes):
                fam.cells[(atom, codes)] = self.model.new()
            if multi is not None:
                others = [(TOTAL,) if i == multi else axis for i, axis in enumerate(axes)]
                for codes in itertools.product(*others):
                    d = self.model.new()
                    fam.distinct[(atom, codes)] = d
                    members = [fam.cells[(atom, (*codes[:multi], c, *codes[multi + 1:]))]
                               for c in axes[multi]]
                    for m in members:  # each category <= distinct total <= their sum
                        self.model.add({m: 1, d: -1}, -_INF, 0)
                    self.model.add({d: 1, **{m: -1 for m in members}}, -_INF, 0)
        self.families[(family, state)] = fam
        return fam

    def _changed_state(self, table: AuditTable) -> None:
        """Counts as they were when ``table`` was made: today's minus cases in plus cases out."""
        now = self.families[(table.family, "now")]
        old = self._family(table.family, table.ident,
                           {m: a for m, a in now.atom_of.items() if m in table.months})
        for atom in sorted(set(old.atom_of.values())):
            months = [m for m, a in old.atom_of.items() if a == atom]
            came = sum(table.changes.get(m, (0, 0))[0] for m in months)
            went = sum(table.changes.get(m, (0, 0))[1] for m in months)
            came_vars, went_vars = [], []
            pairs = [(old.cells, now.cells)]
            if old.multi is not None:
                pairs.append((old.distinct, now.distinct))
            for old_vars, now_vars in pairs:
                for key, var in old_vars.items():
                    if key[0] != atom:
                        continue
                    a, b = self.model.new(), self.model.new()
                    if (old_vars is old.cells and old.multi is None) or old_vars is old.distinct:
                        came_vars.append(a)
                        went_vars.append(b)
                    self.model.add({var: 1, now_vars[key]: -1, a: 1, b: -1}, 0, 0)
            self.model.add(dict.fromkeys(came_vars, 1), came, came)
            self.model.add(dict.fromkeys(went_vars, 1), went, went)

    def _margin(self, fam: _Family, months: Iterable[str], fixed: Mapping[Dimension, str]) -> list[int]:
        """Variables summing to the count of cases with ``fixed`` codes in ``months``."""
        uses_distinct = fam.multi is not None and fam.dims[fam.multi] not in fixed
        source = fam.distinct if uses_distinct else fam.cells
        atoms = {fam.atom_of[m] for m in months if m in fam.atom_of}
        positions = [(i, fixed[d]) for i, d in enumerate(fam.dims) if d in fixed]
        return [var for (atom, codes), var in source.items()
                if atom in atoms and all(codes[i] == c for i, c in positions)]

    def _link(self) -> None:
        """Families of today's data agree on every common margin, over blocks of atoms."""
        now = [(f, fam) for (f, state), fam in self.families.items() if state == "now"]
        for (f1, fam1), (f2, fam2) in itertools.combinations(now, 2):
            shared = sorted(d for d in f1 & f2 if not d.multi_response)
            for block in _blocks(self.months, fam1.atom_of, fam2.atom_of):
                for codes in itertools.product(*(self.codes[d] for d in shared)):
                    fixed = dict(zip(shared, codes, strict=True))
                    row = dict.fromkeys(self._margin(fam1, block, fixed), 1.0)
                    for var in self._margin(fam2, block, fixed):
                        row[var] = row.get(var, 0.0) - 1
                    self.model.add(row, 0, 0)

    # -- what each table published ------------------------------------------------------------

    def expression(self, table: AuditTable, key: Key) -> dict[int, float]:
        """The variables whose sum is the published entry ``key`` of ``table``."""
        state = table.ident if table.changes else "now"
        fam = self.families[(table.family, state)]
        months: Sequence[str] = table.months
        fixed: dict[Dimension, str] = {}
        for dimension, code in zip(table.dimensions, key, strict=True):
            if dimension in PERIODS:
                months = period_months(dimension, code, table.months)
            elif code != TOTAL:
                fixed[dimension] = code
        return dict.fromkeys(self._margin(fam, months, fixed), 1.0)

    def _publish(self, table: AuditTable) -> None:
        for key, (state, value) in table.entries.items():
            row = self.expression(table, key)
            if state is CellState.SHOWN:
                if row:
                    self.model.add(row, value or 0, value or 0)
            elif state is CellState.PRIMARY:
                self.model.add(row, table.floor, table.k - 1)
            else:
                self.model.add(row, table.k, _INF)
        self._listed_codes(table)

    def _listed_codes(self, table: AuditTable) -> None:
        """Codes an open list does not show have no case in the table's months; those it shows have."""
        for position, dimension in enumerate(table.dimensions):
            if dimension in PERIODS:
                continue

            def margin(code: str, at: int = position) -> dict[int, float]:
                key = tuple(code if i == at else TOTAL for i in range(len(table.dimensions)))
                return self.expression(table, key)

            if dimension in table.listed:
                for code in table.categories[position]:
                    self.model.add(margin(code), 1, _INF)
            for code in set(self.codes[dimension]) - set(table.categories[position]):
                self.model.add(margin(code), 0, 0)

    # -- bounds -------------------------------------------------------------------------------

    def bounds(self, table: AuditTable, key: Key) -> tuple[int, int] | None:
        """The smallest and largest value of one entry (LP bounds rounded inward); None if unproven."""
        import highspy  # heavy: imported on the first audit only

        solver = self._solver()
        objective = self.expression(table, key)
        columns = sorted(objective)
        found: list[int] = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            solver.changeObjectiveSense(sense)
            solver.changeColsCost(len(columns), columns, [objective[c] for c in columns])
            solver.run()
            ok = solver.getModelStatus() == highspy.HighsModelStatus.kOptimal
            value = solver.getInfo().objective_function_value
            solver.changeColsCost(len(columns), columns, [0.0] * len(columns))
            if not ok:
                return None
            found.append(math.ceil(value - 1e-6) if not found else math.floor(value + 1e-6))
        return found[0], found[1]

    def _solver(self) -> Any:
        """One HiGHS model per audit: only the objective changes between bounds (warm starts)."""
        if self._highs is None:
            import highspy

            solver = highspy.Highs()  # type: ignore[no-untyped-call]
            solver.setOptionValue("output_flag", False)
            n = self.model.count
            solver.addVars(n, [0.0] * n, [highspy.kHighsInf] * n)
            starts: list[int] = []
            indices: list[int] = []
            values: list[float] = []
            lows: list[float] = []
            highs: list[float] = []
            for row, low, high in self.model.rows:
                starts.append(len(indices))
                for c, v in row.items():
                    indices.append(c)
                    values.append(v)
                lows.append(max(low, -highspy.kHighsInf))
                highs.append(min(high, highspy.kHighsInf))
            solver.addRows(len(lows), lows, highs, len(indices), starts, indices, values)
            self._highs = solver
        return self._highs


def exposures(tables: Sequence[AuditTable], only: str | None = None) -> list[Exposure]:
    """"<k" entries (of every table, or of table ``only``) narrowed below their protection.

    An unproven bound counts as exposed.
    """
    auditor = Auditor(tables)
    out = []
    for table in tables:
        if only is not None and table.ident != only:
            continue
        for key, (state, _) in sorted(table.entries.items()):
            if state is not CellState.PRIMARY:
                continue  # "x" holds a count of k or more: withheld only to protect the "<k"
            found = auditor.bounds(table, key)
            low, high = found if found is not None else (0, 0)
            if found is None or high - low + 1 < protection(table.k):
                out.append(Exposure(table.ident, key, low, high, protection(table.k)))
    return out
