"""Handover batches: planned, done or cancelled, newest first."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from i18n import N_
from repatriation.domain.enums import BatchStatus
from repatriation.domain.handover import HandoverBatch
from ui.table_models.base import RowTableModel

_STATUS_COLOURS = {
    BatchStatus.PLANNED: ("#ede9fe", "#5b21b6"),
    BatchStatus.HANDED_OVER: ("#dcfce7", "#166534"),
    BatchStatus.CANCELLED: ("#e5e7eb", "#374151"),
}


class BatchColumn(IntEnum):
    """Columns of the batch list."""

    REFERENCE = 0
    STATUS = 1
    DIRECTION = 2
    CORRIDOR = 3
    PLANNED = 4
    PLACE = 5
    PERSONS = 6


_HEADERS = (
    N_("Batch"),
    N_("Status"),
    N_("Direction"),
    N_("Corridor"),
    N_("Planned"),
    N_("Place"),
    N_("Persons"),
)


class BatchTableModel(RowTableModel[HandoverBatch]):
    """Rows of ``HandoverService.list_recent``."""

    Column = BatchColumn

    def header(self, column: int) -> str:
        return self.labels.translator.gettext(_HEADERS[column])

    def display(self, row: HandoverBatch, column: int) -> str:
        col, labels = BatchColumn(column), self.labels
        values = {
            BatchColumn.REFERENCE: row.reference,
            BatchColumn.STATUS: labels.enum(row.status),
            BatchColumn.DIRECTION: labels.enum(row.direction),
            BatchColumn.CORRIDOR: labels.enum(row.corridor),
            BatchColumn.PLANNED: labels.date(row.planned_on),
            BatchColumn.PLACE: labels.gate(row.gate_code) or row.place_detail,
            BatchColumn.PERSONS: str(len(row.members)),
        }
        return values[col]

    def sort_value(self, row: HandoverBatch, column: int) -> Any:
        if column == BatchColumn.PLANNED:
            return row.planned_on
        if column == BatchColumn.PERSONS:
            return len(row.members)
        return self.display(row, column)

    def badge(self, row: HandoverBatch, column: int) -> tuple[str, str] | None:
        return _STATUS_COLOURS.get(row.status) if column == BatchColumn.STATUS else None

    def key(self, row: HandoverBatch) -> str:
        return row.reference
