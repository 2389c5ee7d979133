"""Small conversions between Qt widgets and plain values (dates, combo boxes, table views)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from enum import Enum
from typing import Any, TypeVar

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from repatriation.domain.text import nfc

E = TypeVar("E", bound=Enum)


def to_qdate(day: date) -> QDate:
    """A QDate for a date."""
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    """A date for a QDate."""
    return date(day.year(), day.month(), day.day())


def date_edit(day: date, parent: QWidget | None = None) -> QDateEdit:
    """A date field with a calendar pop-up, written dd/MM/yyyy as officers write dates."""
    edit = QDateEdit(to_qdate(day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    return edit


def fill_combo(combo: QComboBox, choices: Iterable[tuple[str, Any]], current: Any = None) -> None:
    """Replace a combo's items with (label, value) pairs and select ``current``."""
    combo.blockSignals(True)
    combo.clear()
    for label, value in choices:
        combo.addItem(label, value)
    combo.blockSignals(False)
    if current is not None:
        set_combo_value(combo, current)


def compact(*combos: QComboBox, chars: int = 14) -> None:
    """Let long item texts (gate names) not widen the window past the 1366 px laptops."""
    for combo in combos:
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(chars)


def combo_value(combo: QComboBox) -> Any:
    """The value behind the selected item."""
    return combo.currentData()


def combo_enum(combo: QComboBox, kind: type[E]) -> E | None:
    """The selected enum member (Qt hands StrEnum data back as plain ``str``), or None."""
    value = combo.currentData()
    return None if value is None or value == "" else kind(value)


def set_combo_value(combo: QComboBox, value: Any) -> bool:
    """Select the item whose value is ``value``; False when there is none."""
    for index in range(combo.count()):
        if combo.itemData(index) == value:
            combo.setCurrentIndex(index)
            return True
    return False


def text_of(value: str) -> str:
    """Text typed by the officer, NFC-normalised (docs/stack-notes.md, Text)."""
    return nfc(value)


def set_widths(
    view: QTableView, widths: Mapping[int, int], *, hidden: Iterable[int] = (), stretch: int | None = None
) -> None:
    """Starting widths (the officer can still drag them), hidden and stretched columns.

    Call it after ``setModel``: a header forgets settings made for sections it did not have.
    """
    for column, width in widths.items():
        view.setColumnWidth(int(column), width)
    for column in hidden:
        view.setColumnHidden(int(column), True)
    if stretch is not None:
        view.horizontalHeader().setSectionResizeMode(int(stretch), QHeaderView.ResizeMode.Stretch)


def setup_table(view: QTableView, *, stretch_column: int | None = None) -> None:
    """The common table look: whole rows selected, fixed row height (fast with 100k rows)."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
    vertical = view.verticalHeader()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(view.fontMetrics().height() + 10)
    vertical.hide()
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    if stretch_column is not None:
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)


def list_table(headers: list[str], stretch: int, parent: QWidget | None = None) -> QTableWidget:
    """A read-only table of whole rows, one selectable at a time (dialogs' lists)."""
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def fill_table(table: QTableWidget, rows: Iterable[Iterable[str]]) -> None:
    """Replace the table's rows by ``rows`` of texts; every column but the stretched one fits."""
    texts = [list(row) for row in rows]
    table.setRowCount(len(texts))
    for index, cells in enumerate(texts):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            table.setItem(index, column, item)
    header = table.horizontalHeader()
    for column in range(table.columnCount()):
        if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Stretch:
            table.resizeColumnToContents(column)


def selected_index(table: QTableWidget) -> int | None:
    """The index of the selected row, if any."""
    indexes = table.selectionModel().selectedRows()
    return indexes[0].row() if indexes else None
