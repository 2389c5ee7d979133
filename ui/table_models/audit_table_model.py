"""A case's history: the audit entries about it, oldest first."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from i18n import N_
from repatriation.services.results import AuditEntry
from ui.table_models.base import RowTableModel


class AuditColumn(IntEnum):
    """Columns of the history table."""

    WHEN = 0
    WHO = 1
    ACTION = 2
    DETAILS = 3


_HEADERS = (N_("When"), N_("Who"), N_("What"), N_("Details"))
ACTIONS: dict[str, str] = {
    "case_opened": N_("Case opened"),
    "case_viewed": N_("Case viewed"),
    "person_updated": N_("Particulars changed"),
    "notes_updated": N_("Notes changed"),
    "status_changed": N_("Status changed"),
    "screening_recorded": N_("Identification recorded"),
    "verification_requested": N_("Verification requested"),
    "verification_replied": N_("Verification reply recorded"),
    "reception_recorded": N_("Arrival at the centre recorded"),
    "consent_recorded": N_("Consent recorded"),
    "support_recorded": N_("Support recorded"),
    "follow_up_recorded": N_("Follow-up recorded"),
    "family_assessed": N_("Family assessed"),
    "referred": N_("Referred"),
    "batch_handed_over": N_("Batch handed over"),
    "cases_imported": N_("Imported"),
}


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
            message = ACTIONS.get(row.action)
            return self.labels.translator.gettext(message) if message else row.action
        return row.details

    def sort_value(self, row: AuditEntry, column: int) -> Any:
        return row.sequence if column == AuditColumn.WHEN else self.display(row, column)

    def key(self, row: AuditEntry) -> str:
        return str(row.sequence)
