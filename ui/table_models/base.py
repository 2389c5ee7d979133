"""Shared roles and a list-backed table model that the small models specialise."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ui.labels import Labels

SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1  # raw value to sort by (dates, ints, codes)
BADGE_ROLE = int(Qt.ItemDataRole.UserRole) + 2  # (background, text) colours for a badge
ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 3  # the DTO behind the row
KEY_ROLE = int(Qt.ItemDataRole.UserRole) + 4  # the row's stable key (a reference)

T = TypeVar("T")
AnyIndex = QModelIndex | QPersistentModelIndex


def sortable(value: Any) -> Any:
    """A value QSortFilterProxyModel can compare: None sorts first as an empty string."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value if isinstance(value, int | float | str) else str(value)


class RowTableModel(QAbstractTableModel, Generic[T]):
    """Rows of one DTO type; subclasses name the columns and say what each cell shows."""

    Column: type[IntEnum]
    editable_columns: frozenset[int] = frozenset()

    def __init__(self, labels: Labels, rows: Sequence[T] = ()) -> None:
        super().__init__()
        self.labels = labels
        self._rows: list[T] = list(rows)

    # -- subclass hooks ------------------------------------------------------------------------

    def header(self, column: int) -> str:
        raise NotImplementedError

    def display(self, row: T, column: int) -> str:
        raise NotImplementedError

    def sort_value(self, row: T, column: int) -> Any:
        return self.display(row, column)

    def badge(self, row: T, column: int) -> tuple[str, str] | None:
        del row, column
        return None

    def key(self, row: T) -> str:
        return str(id(row))

    def edit(self, row: T, column: int, value: Any) -> T | None:
        """The row with ``value`` set, or None to refuse the edit."""
        del row, column, value
        return None

    def edit_value(self, row: T, column: int) -> Any:
        return self.display(row, column)

    # -- rows ----------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def append_row(self, item: T) -> None:
        position = len(self._rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.append(item)
        self.endInsertRows()

    def remove_row_at(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    # -- Qt model API --------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.Column):
            return self.header(section)
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.display(row, column)
        if role == Qt.ItemDataRole.EditRole:
            return self.edit_value(row, column)
        if role == SORT_ROLE:
            return sortable(self.sort_value(row, column))
        if role == BADGE_ROLE:
            return self.badge(row, column)
        if role == ROW_ROLE:
            return row
        if role == KEY_ROLE:
            return self.key(row)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in self.editable_columns:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows in Python (one key per row), so no per-row proxy callbacks are needed."""
        if not 0 <= column < len(self.Column):
            return

        def key(item: T) -> tuple[bool, Any]:
            value = sortable(self.sort_value(item, column))
            return (isinstance(value, str), value)  # numbers and dates first, never mixed

        self.layoutAboutToBeChanged.emit()
        self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        if index.column() not in self.editable_columns:
            return False
        changed = self.edit(self._rows[index.row()], index.column(), value)
        if changed is None:
            return False
        self._rows[index.row()] = changed
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True
