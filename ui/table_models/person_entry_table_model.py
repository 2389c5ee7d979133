"""Persons typed at intake (quick add of a group, then language and literacy); editable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from enum import IntEnum
from typing import Any

from i18n import N_
from repatriation.domain.enums import Literacy, Sex
from repatriation.domain.text import nfc
from repatriation.services.intake_flow import PersonEntry, age_on
from ui.labels import Labels, suggested_language
from ui.table_models.base import RowTableModel


class PersonColumn(IntEnum):
    """Columns of the intake person table."""

    FAMILY = 0
    MIDDLE = 1
    GIVEN = 2
    SEX = 3
    DATE_OF_BIRTH = 4
    ESTIMATED_AGE = 5
    AGE = 6  # computed: from the date of birth or the estimate
    ETHNIC = 7
    LANGUAGE = 8
    LITERACY = 9
    INTERPRETER = 10


_HEADERS = (
    N_("Family name"),
    N_("Middle name"),
    N_("Given name"),
    N_("Sex"),
    N_("Date of birth"),
    N_("Estimated age"),
    N_("Age"),
    N_("Ethnic group"),
    N_("Language"),
    N_("Reading"),
    N_("Interpreter"),
)
_TEXT = {
    PersonColumn.FAMILY: "family_name",
    PersonColumn.MIDDLE: "middle_name",
    PersonColumn.GIVEN: "given_name",
}


class PersonEntryTableModel(RowTableModel[PersonEntry]):
    """Rows of ``IntakeAnswers.persons``."""

    Column = PersonColumn
    editable_columns = frozenset(set(PersonColumn) - {PersonColumn.AGE})

    def __init__(
        self,
        labels: Labels,
        today: Callable[[], date],
        received_on: Callable[[], date | None],
        ethnic_names: dict[str, str] | None = None,
    ) -> None:
        super().__init__(labels)
        self._today = today
        self._received_on = received_on
        self.ethnic_names = ethnic_names or {}

    def header(self, column: int) -> str:
        return self.labels.translator.gettext(_HEADERS[column])

    def display(self, row: PersonEntry, column: int) -> str:
        col, labels = PersonColumn(column), self.labels
        if col in _TEXT:
            return str(getattr(row, _TEXT[col]))
        if col is PersonColumn.SEX:
            return labels.enum(row.sex)
        if col is PersonColumn.DATE_OF_BIRTH:
            return "" if row.date_of_birth is None else row.date_of_birth.isoformat()
        if col is PersonColumn.ESTIMATED_AGE:
            return "" if row.estimated_age is None else str(row.estimated_age)
        if col is PersonColumn.AGE:
            age = age_on(row, self._received_on(), self._today())
            return "" if age is None else str(age)
        if col is PersonColumn.ETHNIC:
            return self.ethnic_names.get(row.ethnic_code, row.ethnic_code)
        if col is PersonColumn.LANGUAGE:
            return labels.spoken_language(row.preferred_language)
        if col is PersonColumn.LITERACY:
            return labels.enum(row.literacy)
        return labels.spoken_language(row.interpreter_language) if row.interpreter_needed else ""

    def edit_value(self, row: PersonEntry, column: int) -> Any:
        col = PersonColumn(column)
        raw = {
            PersonColumn.SEX: row.sex.value,
            PersonColumn.ETHNIC: row.ethnic_code,
            PersonColumn.LANGUAGE: row.preferred_language,
            PersonColumn.LITERACY: row.literacy.value,
            PersonColumn.INTERPRETER: row.interpreter_language if row.interpreter_needed else "",
        }
        return raw.get(col, self.display(row, column))

    def edit(self, row: PersonEntry, column: int, value: Any) -> PersonEntry | None:
        col, text = PersonColumn(column), nfc(str(value if value is not None else ""))
        try:
            if col in _TEXT:
                changed: dict[str, Any] = {_TEXT[col]: text}  # one of the text fields
                return replace(row, **changed)
            if col is PersonColumn.SEX:
                return replace(row, sex=Sex(text))
            if col is PersonColumn.DATE_OF_BIRTH:
                return replace(row, date_of_birth=date.fromisoformat(text) if text else None)
            if col is PersonColumn.ESTIMATED_AGE:
                return replace(row, estimated_age=int(text) if text else None)
            if col is PersonColumn.ETHNIC:
                code = text or "99"
                return replace(
                    row, ethnic_code=code, preferred_language=suggested_language(code, row.preferred_language)
                )
            if col is PersonColumn.LANGUAGE:
                return replace(row, preferred_language=text or "vi")
            if col is PersonColumn.LITERACY:
                return replace(row, literacy=Literacy(text))
        except ValueError:
            return None
        return replace(row, interpreter_needed=bool(text), interpreter_language=text)

    def setData(self, index: Any, value: Any, role: int = 2) -> bool:
        changed = super().setData(index, value, role)
        if changed:
            # The computed age follows the date of birth and the estimate.
            age = self.index(index.row(), PersonColumn.AGE)
            self.dataChanged.emit(age, age)
        return changed
