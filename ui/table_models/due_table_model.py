"""Verifications due or overdue, for the tracker: who is waited on, since when, until when."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import IntEnum
from typing import Any

from i18n import N_
from repatriation.services.results import DueVerification
from ui.labels import Labels, due_colours
from ui.table_models.base import RowTableModel


class DueColumn(IntEnum):
    """Columns of the tracker."""

    DEADLINE = 0
    CASE = 1
    NAME = 2
    KIND = 3
    WAITING_ON = 4
    SENT = 5
    DUE = 6
    LEGAL = 7


_HEADERS = (
    N_("Deadline"),
    N_("Case"),
    N_("Name"),
    N_("Request"),
    N_("Waiting on"),
    N_("Sent"),
    N_("Due"),
    N_("Legal basis"),
)


class DueTableModel(RowTableModel[DueVerification]):
    """Rows of ``VerificationService.due``."""

    Column = DueColumn

    def __init__(self, labels: Labels, today: Callable[[], date]) -> None:
        super().__init__(labels)
        self._today = today

    def header(self, column: int) -> str:
        return self.labels.translator.gettext(_HEADERS[column])

    def display(self, row: DueVerification, column: int) -> str:
        col, labels = DueColumn(column), self.labels
        if col is DueColumn.DEADLINE:
            return labels.due(row.due_on, self._today())
        if col is DueColumn.CASE:
            return row.case_reference
        if col is DueColumn.NAME:
            return row.full_name
        if col is DueColumn.KIND:
            return labels.enum(row.kind)
        if col is DueColumn.WAITING_ON:
            return row.requested_to
        if col is DueColumn.SENT:
            return labels.date(row.sent_on)
        if col is DueColumn.DUE:
            return labels.date(row.due_on)
        return row.legal_reference

    def sort_value(self, row: DueVerification, column: int) -> Any:
        col = DueColumn(column)
        if col in (DueColumn.DEADLINE, DueColumn.DUE):
            return row.due_on
        if col is DueColumn.SENT:
            return row.sent_on
        return self.display(row, column)

    def badge(self, row: DueVerification, column: int) -> tuple[str, str] | None:
        return due_colours(row.due_on, self._today()) if column == DueColumn.DEADLINE else None

    def key(self, row: DueVerification) -> str:
        return row.case_reference
