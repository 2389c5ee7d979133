"""A case's history: the audit entries about it, oldest first."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from i18n import N_
from repatriation.services.results import AuditEntry
from ui.history_text import action_text, details_text
from ui.table_models.base import RowTableModel


class AuditColumn(IntEnum):
    """Columns of the history table."""

    WHEN = 0
    WHO = 1
    ACTION = 2
    DETAILS = 3


_HEADERS = (N_("When"), N_("Who"), N_("What"), N_("Details"))


class AuditTableModel(RowTableModel[AuditEntry]):
    """Rows of ``CaseService.history``."""

    Column = AuditColumn

    def header(self, column: int) -> str:
        return self.labels.translator.gettext(_HEADERS[column])

    def display(self, row: AuditEntry, column: int) -> str:
        col = AuditColumn(column)
        if col is AuditColumn.WHEN:
            return row.at.strftime("%d/%m/%Y %H:%M")
        if col is AuditColumn.WHO:
            return row.actor
        if col is AuditColumn.ACTION:
            return action_text(row.action, self.labels)
        return details_text(row.details, self.labels)

    def sort_value(self, row: AuditEntry, column: int) -> Any:
        return row.sequence if column == AuditColumn.WHEN else self.display(row, column)

    def key(self, row: AuditEntry) -> str:
        return str(row.sequence)
