"""Officials of both sides who sign the handover minutes; editable during the session."""

from __future__ import annotations

from dataclasses import replace
from enum import IntEnum
from typing import Any

from i18n import N_
from repatriation.domain.handover import Official
from repatriation.domain.text import nfc
from ui.table_models.base import RowTableModel

SIDES: dict[str, str] = {"vn": N_("Viet Nam"), "foreign": N_("Counterpart")}


class OfficialColumn(IntEnum):
    """Columns of the officials table."""

    SIDE = 0
    NAME = 1
    RANK = 2
    UNIT = 3


_HEADERS = (N_("Side"), N_("Full name"), N_("Rank"), N_("Unit"))
_FIELDS = {OfficialColumn.NAME: "full_name", OfficialColumn.RANK: "rank", OfficialColumn.UNIT: "unit"}


class OfficialTableModel(RowTableModel[Official]):
    """Rows of ``HandoverBatch.officials``."""

    Column = OfficialColumn
    editable_columns = frozenset(OfficialColumn)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.read_only = False

    def header(self, column: int) -> str:
        return self.labels.translator.gettext(_HEADERS[column])

    def display(self, row: Official, column: int) -> str:
        if column == OfficialColumn.SIDE:
            return self.labels.translator.gettext(SIDES.get(row.side, row.side))
        return str(getattr(row, _FIELDS[OfficialColumn(column)]))

    def edit_value(self, row: Official, column: int) -> Any:
        return row.side if column == OfficialColumn.SIDE else self.display(row, column)

    def edit(self, row: Official, column: int, value: Any) -> Official | None:
        if self.read_only:
            return None
        if column == OfficialColumn.SIDE:
            return replace(row, side=str(value)) if str(value) in SIDES else None
        return replace(row, **{_FIELDS[OfficialColumn(column)]: nfc(str(value))})

    def key(self, row: Official) -> str:
        return f"{row.side}:{row.full_name}"
