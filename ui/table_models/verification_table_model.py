"""A case's verification requests: to whom, when sent, the deadline and the reply."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import IntEnum
from typing import Any

from i18n import N_
from repatriation.domain.verification import VerificationRequest
from ui.labels import Labels, due_colours
from ui.table_models.base import RowTableModel


class VerificationColumn(IntEnum):
    """Columns of the request table."""

    ID = 0
    KIND = 1
    TO = 2
    SENT = 3
    DUE = 4
    OUTCOME = 5
    RECEIVED = 6
    LEGAL = 7


_HEADERS = (
    N_("No."),
    N_("Request"),
    N_("Sent to"),
    N_("Sent"),
    N_("Deadline"),
    N_("Reply"),
    N_("Reply on"),
    N_("Legal basis"),
)


class VerificationTableModel(RowTableModel[VerificationRequest]):
    """Rows of ``Case.verifications``."""

    Column = VerificationColumn

    def __init__(self, labels: Labels, today: Callable[[], date]) -> None:
        super().__init__(labels)
        self._today = today

    def header(self, column: int) -> str:
        return self.labels.translator.gettext(_HEADERS[column])

    def display(self, row: VerificationRequest, column: int) -> str:
        col, labels = VerificationColumn(column), self.labels
        values = {
            VerificationColumn.ID: lambda: row.request_id,
            VerificationColumn.KIND: lambda: labels.enum(row.kind),
            VerificationColumn.TO: lambda: row.requested_to,
            VerificationColumn.SENT: lambda: labels.date(row.sent_on),
            VerificationColumn.DUE: lambda: (
                labels.due(row.due_on, self._today()) if row.is_open else labels.date(row.due_on)
            ),
            VerificationColumn.OUTCOME: lambda: labels.enum(row.outcome),
            VerificationColumn.RECEIVED: lambda: labels.date(row.received_on),
            VerificationColumn.LEGAL: lambda: row.legal_reference,
        }
        return values[col]()

    def sort_value(self, row: VerificationRequest, column: int) -> Any:
        col = VerificationColumn(column)
        if col is VerificationColumn.SENT:
            return row.sent_on
        if col is VerificationColumn.DUE:
            return row.due_on
        if col is VerificationColumn.RECEIVED:
            return row.received_on
        return self.display(row, column)

    def badge(self, row: VerificationRequest, column: int) -> tuple[str, str] | None:
        if column == VerificationColumn.DUE and row.is_open:
            return due_colours(row.due_on, self._today())
        return None

    def key(self, row: VerificationRequest) -> str:
        return row.request_id
