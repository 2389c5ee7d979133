"""Correct what intake recorded: the person's identity and how they came back, with a reason.

Only the fields the role may edit are shown. The dialog returns the changed values typed
(``values``) and the reason; the case service keeps old and new value, who, when and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QWidget

from repatriation.domain.case import Case
from repatriation.services.intake_fields import IntakeField
from ui.dialogs.form_dialog import FormDialog
from ui.labels import Labels
from ui.qt_helpers import text_of
from ui.widgets.field_editors import Editor, editor_for

# The return and place fields go in the right-hand column; the person's in the left one.
RETURN_FIELDS = frozenset({"received_on", "channel", "corridor", "place_kind", "gate_code",
                           "place_detail"})


class CorrectionDialog(FormDialog):
    """Two columns of editors (person | return) and the mandatory reason."""

    def __init__(self, labels: Labels, case: Case, fields: Sequence[IntakeField], today: date,
                 choices: dict[str, Sequence[tuple[str, Any]]], parent: QWidget | None = None) -> None:
        translator = labels.translator
        super().__init__(translator, translator.gettext("Correct the intake record"), parent)
        self.case = case
        self.fields = {f.name: f for f in fields}
        self.editors: dict[str, Editor] = {}
        columns = QWidget(self)
        row = QHBoxLayout(columns)
        row.setContentsMargins(0, 0, 0, 0)
        person, arrival = QFormLayout(), QFormLayout()
        row.addLayout(person, 1)
        row.addLayout(arrival, 1)
        for spec in fields:
            editor = editor_for(spec, self, labels, today, choices)
            editor.put(spec.get(case))
            self.editors[spec.name] = editor
            target = arrival if spec.name in RETURN_FIELDS else person
            target.addRow(_capital(labels.field(spec.name)), editor.widget)
        self.form.addRow(columns)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.gt("Why: e.g. checked against the birth certificate"))
        self.add_row(self.gt("Reason"), self.reason)

    def values(self) -> dict[str, Any]:
        """The fields whose value differs from the record, typed."""
        changed = {}
        for name, editor in self.editors.items():
            value = editor.get()
            if value != self.fields[name].get(self.case):
                changed[name] = value
        return changed

    def reason_text(self) -> str:
        return text_of(self.reason.text()).strip()

    def check(self) -> str:
        if not self.values():
            return self.gt("Nothing was changed: the values are those recorded.")
        if not self.reason_text():
            return self.gt("Say why the record is corrected: the reason is kept with the change.")
        return ""


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
