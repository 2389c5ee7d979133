"""The case list as a lazily paged table: only the pages the view shows are ever queried.

With 100,000 cases the list keeps ``total`` rows but holds a few pages of summaries. A row
in a page not loaded yet shows a placeholder and asks for its page (``page_wanted``); the page
that owns the model runs the query through the task runner and hands the result back with the
query's generation, so answers to an outdated search are dropped. Sorting happens in SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)

from i18n import N_
from repatriation.services.results import CasePage, CaseSort, CaseSummary
from ui.labels import STATUS_COLOURS, Labels, due_colours
from ui.table_models.base import BADGE_ROLE, KEY_ROLE, ROW_ROLE, SORT_ROLE, sortable

AnyIndex = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 200
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ROLES = frozenset({_DISPLAY, _TOOLTIP, SORT_ROLE, BADGE_ROLE, ROW_ROLE, KEY_ROLE})
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class CaseColumn(IntEnum):
    """Columns of the case list."""

    REFERENCE = 0
    NAME = 1
    SEX = 2
    AGE = 3
    CORRIDOR = 4
    CHANNEL = 5
    STATUS = 6
    SCREENING = 7
    RECEIVED = 8
    GATE = 9
    DEADLINE = 10
    BATCH = 11


# Columns the database can sort by; the others keep the current order.
SERVER_SORT: dict[CaseColumn, CaseSort] = {
    CaseColumn.REFERENCE: CaseSort.REFERENCE,
    CaseColumn.NAME: CaseSort.NAME,
    CaseColumn.STATUS: CaseSort.STATUS,
    CaseColumn.RECEIVED: CaseSort.RECEIVED_ON,
    CaseColumn.DEADLINE: CaseSort.NEXT_DUE,
}

_HEADERS = {
    CaseColumn.REFERENCE: N_("Reference"),
    CaseColumn.NAME: N_("Name"),
    CaseColumn.SEX: N_("Sex"),
    CaseColumn.AGE: N_("Age"),
    CaseColumn.CORRIDOR: N_("Corridor"),
    CaseColumn.CHANNEL: N_("Channel"),
    CaseColumn.STATUS: N_("Status"),
    CaseColumn.SCREENING: N_("Identification"),
    CaseColumn.RECEIVED: N_("Received"),
    CaseColumn.GATE: N_("Gate"),
    CaseColumn.DEADLINE: N_("Next deadline"),
    CaseColumn.BATCH: N_("Batch"),
}


class CaseTableModel(QAbstractTableModel):
    """Case summaries, ``total`` rows long, loaded page by page."""

    page_wanted = Signal(int, int)  # offset, generation
    sort_wanted = Signal(object, bool)  # CaseSort, descending

    def __init__(self, labels: Labels, today: Callable[[], date], page_size: int = PAGE_SIZE) -> None:
        super().__init__()
        self.labels = labels
        self._today = today
        self.page_size = page_size
        self._total = 0
        self._pages: dict[int, tuple[CaseSummary, ...]] = {}
        self._pending: set[int] = set()
        self._texts: dict[str, tuple[str, ...]] = {}
        self.generation = 0

    # -- loading -------------------------------------------------------------------------------

    def reset_with(self, page: CasePage, generation: int) -> None:
        """Replace everything with the first page of a new query."""
        self.beginResetModel()
        self.generation = generation
        self._total = page.total
        self._pages = {page.offset // self.page_size: page.rows}
        self._pending = set()
        self._texts = {}
        self.endResetModel()

    def add_page(self, page: CasePage, generation: int) -> None:
        """Store a page the view asked for (ignored if the query changed meanwhile)."""
        if generation != self.generation:
            return
        number = page.offset // self.page_size
        self._pending.discard(number)
        self._pages[number] = page.rows
        first = number * self.page_size
        last = min(self._total, first + self.page_size) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(CaseColumn) - 1))

    def page_failed(self, offset: int, generation: int) -> None:
        """Let a failed page be asked for again."""
        if generation == self.generation:
            self._pending.discard(offset // self.page_size)

    @property
    def total(self) -> int:
        return self._total

    def summary(self, row: int) -> CaseSummary | None:
        """The summary on ``row`` if its page is loaded."""
        rows = self._pages.get(row // self.page_size)
        if rows is None:
            return None
        position = row % self.page_size
        return rows[position] if position < len(rows) else None

    def row_of(self, reference: str) -> int | None:
        """The row showing ``reference`` among the loaded pages."""
        for number, rows in self._pages.items():
            for position, item in enumerate(rows):
                if item.reference == reference:
                    return number * self.page_size + position
        return None

    def _want(self, row: int) -> None:
        number = row // self.page_size
        if number in self._pending:
            return
        self._pending.add(number)
        offset, generation = number * self.page_size, self.generation
        # Never change the model from inside data(): ask on the next event-loop turn.
        QTimer.singleShot(0, lambda: self.page_wanted.emit(offset, generation))

    # -- cells ---------------------------------------------------------------------------------

    def _display(self, item: CaseSummary, column: int) -> str:
        labels, col = self.labels, CaseColumn(column)
        values: dict[CaseColumn, Callable[[], str]] = {
            CaseColumn.REFERENCE: lambda: item.reference,
            CaseColumn.NAME: lambda: item.full_name,
            CaseColumn.SEX: lambda: labels.enum(item.sex),
            CaseColumn.AGE: lambda: "" if item.age is None else str(item.age),
            CaseColumn.CORRIDOR: lambda: labels.enum(item.corridor),
            CaseColumn.CHANNEL: lambda: labels.enum(item.channel),
            CaseColumn.STATUS: lambda: labels.enum(item.status),
            CaseColumn.SCREENING: lambda: labels.enum(item.screening),
            CaseColumn.RECEIVED: lambda: labels.date(item.received_on),
            CaseColumn.GATE: lambda: labels.gate(item.gate_code),
            CaseColumn.DEADLINE: lambda: labels.due(item.next_due, self._today()),
            CaseColumn.BATCH: lambda: item.batch_reference or "",
        }
        return values[col]()

    def _sort_value(self, item: CaseSummary, column: int) -> Any:
        col = CaseColumn(column)
        if col is CaseColumn.AGE:
            return -1 if item.age is None else item.age
        if col is CaseColumn.RECEIVED:
            return item.received_on
        if col is CaseColumn.DEADLINE:
            return item.next_due
        return self._display(item, column)

    def _badge(self, item: CaseSummary, column: int) -> tuple[str, str] | None:
        if column == CaseColumn.STATUS:
            return STATUS_COLOURS.get(item.status)
        if column == CaseColumn.DEADLINE and item.status.value not in ("closed",):
            return due_colours(item.next_due, self._today())
        return None

    # -- Qt model API --------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(CaseColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(CaseColumn):
            return self.labels.translator.gettext(_HEADERS[CaseColumn(section)])
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The view asks ~10 roles per cell on every paint: unhandled roles leave at once.
        if role not in _ROLES or not index.isValid():
            return None
        row = index.row()
        item = self.summary(row)
        if item is None:
            if role == _DISPLAY and 0 <= row < self._total:
                self._want(row)
                return "\u2026"
            return None
        column = index.column()
        if role in (_DISPLAY, _TOOLTIP):
            texts = self._texts.get(item.reference)
            if texts is None:
                # Formatted once per row and page, not once per paint.
                texts = tuple(self._display(item, c) for c in range(len(CaseColumn)))
                self._texts[item.reference] = texts
            return texts[column]
        if role == SORT_ROLE:
            return sortable(self._sort_value(item, column))
        if role == BADGE_ROLE:
            return self._badge(item, column)
        if role == ROW_ROLE:
            return item
        return item.reference

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        # Asked for every visible cell on every paint: a constant, not an enum OR each time.
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        sort = SERVER_SORT.get(CaseColumn(column)) if 0 <= column < len(CaseColumn) else None
        if sort is not None:
            self.sort_wanted.emit(sort, order == Qt.SortOrder.DescendingOrder)


class CaseProxyModel(QSortFilterProxyModel):
    """Passes sorting to the database (a client-side sort would need every page loaded)."""

    def __init__(self, source: CaseTableModel) -> None:
        super().__init__()
        self.setDynamicSortFilter(False)
        self.setSortRole(SORT_ROLE)
        self.setSourceModel(source)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, CaseTableModel):
            source.sort(column, order)
