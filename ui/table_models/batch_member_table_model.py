"""The persons of a handover batch with what goes with them; editable during the session."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from enum import IntEnum
from typing import Any

from i18n import N_
from repatriation.domain.enums import SignatureMethod
from repatriation.domain.handover import BatchMember
from repatriation.domain.text import nfc
from ui.labels import Labels
from ui.table_models.base import RowTableModel


class MemberColumn(IntEnum):
    """Columns of the member table."""

    CASE = 0
    NAME = 1
    BELONGINGS = 2
    DOCUMENTS = 3
    HEALTH = 4
    SIGNATURE = 5
    WITNESS = 6


_HEADERS = (
    N_("Case"),
    N_("Name"),
    N_("Belongings"),
    N_("Documents"),
    N_("Health state"),
    N_("Signed by"),
    N_("Witness"),
)
_TEXT_FIELDS = {
    MemberColumn.BELONGINGS: "belongings",
    MemberColumn.DOCUMENTS: "documents",
    MemberColumn.HEALTH: "health_state",
    MemberColumn.WITNESS: "witnessed_by",
}


class BatchMemberTableModel(RowTableModel[BatchMember]):
    """Rows of ``HandoverBatch.members``; names come from the case list."""

    Column = MemberColumn
    editable_columns = frozenset(
        {
            MemberColumn.BELONGINGS,
            MemberColumn.DOCUMENTS,
            MemberColumn.HEALTH,
            MemberColumn.SIGNATURE,
            MemberColumn.WITNESS,
        }
    )

    def __init__(self, labels: Labels, names: Mapping[str, str] | None = None) -> None:
        super().__init__(labels)
        self.names: dict[str, str] = dict(names or {})
        self.read_only = False

    def header(self, column: int) -> str:
        return self.labels.translator.gettext(_HEADERS[column])

    def display(self, row: BatchMember, column: int) -> str:
        col = MemberColumn(column)
        if col is MemberColumn.CASE:
            return row.case_reference
        if col is MemberColumn.NAME:
            return self.names.get(row.case_reference, "")
        if col is MemberColumn.SIGNATURE:
            return self.labels.enum(row.signature)
        return str(getattr(row, _TEXT_FIELDS[col]))

    def edit_value(self, row: BatchMember, column: int) -> Any:
        if column == MemberColumn.SIGNATURE:
            return row.signature.value
        return self.display(row, column)

    def edit(self, row: BatchMember, column: int, value: Any) -> BatchMember | None:
        if self.read_only:
            return None
        col = MemberColumn(column)
        if col is MemberColumn.SIGNATURE:
            try:
                return replace(row, signature=SignatureMethod(str(value)))
            except ValueError:
                return None
        changed: dict[str, Any] = {_TEXT_FIELDS[col]: nfc(str(value))}  # one of the text fields
        return replace(row, **changed)

    def key(self, row: BatchMember) -> str:
        return row.case_reference

    def has(self, reference: str) -> bool:
        return any(m.case_reference == reference for m in self._rows)
