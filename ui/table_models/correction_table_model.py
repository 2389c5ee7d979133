"""A case's corrections, field by field: when, what, old value, new value, who and why."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from i18n import N_
from repatriation.domain.corrections import Correction
from repatriation.reference import ReferenceData
from ui.correction_text import kept_text
from ui.labels import Labels
from ui.table_models.base import RowTableModel


class CorrectionColumn(IntEnum):
    """Columns of the corrections table."""

    WHEN = 0
    FIELD = 1
    BEFORE = 2
    AFTER = 3
    WHO = 4
    REASON = 5


_HEADERS = (N_("When"), N_("Field"), N_("Old value"), N_("New value"), N_("Who"), N_("Reason"))


class CorrectionTableModel(RowTableModel[Correction]):
    """Rows of ``Case.corrections.all()`` (the classes the role may not see are empty)."""

    Column = CorrectionColumn

    def __init__(self, labels: Labels, reference: ReferenceData | None = None) -> None:
        super().__init__(labels)
        self.reference = reference

    def header(self, column: int) -> str:
        return self.labels.translator.gettext(_HEADERS[column])

    def display(self, row: Correction, column: int) -> str:
        col = CorrectionColumn(column)
        if col is CorrectionColumn.WHEN:
            return row.at.strftime("%d/%m/%Y %H:%M")
        if col is CorrectionColumn.FIELD:
            text = self.labels.field(row.field)
            return text[:1].upper() + text[1:]
        if col in (CorrectionColumn.BEFORE, CorrectionColumn.AFTER):
            which = "before" if col is CorrectionColumn.BEFORE else "after"
            return kept_text(row, which, self.labels, self.reference)
        return row.by if col is CorrectionColumn.WHO else row.reason

    def sort_value(self, row: Correction, column: int) -> Any:
        return row.at.isoformat() if column == CorrectionColumn.WHEN else self.display(row, column)

    def key(self, row: Correction) -> str:
        return f"{row.at.isoformat()}|{row.field}|{row.by}"
