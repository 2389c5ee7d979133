"""Acknowledge receipt of a child at a reception facility."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from i18n import Translator
from repatriation.domain.care import Reception
from ui.dialogs.form_dialog import FormDialog
from ui.qt_helpers import date_edit, from_qdate, text_of


class ReceptionDialog(FormDialog):
    """Returns a ``Reception`` through ``reception()``."""

    def __init__(
        self,
        translator: Translator,
        today: date,
        facilities: list[str],
        officer: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(translator, translator.gettext("Acknowledge receipt"), parent)
        self.facility = QComboBox(self)
        self.facility.setEditable(True)
        self.facility.addItems(facilities)
        self.arrived_on = date_edit(today, self)
        self.received_by = QLineEdit(officer, self)
        self.add_row(self.gt("Facility"), self.facility)
        self.add_row(self.gt("Arrived on"), self.arrived_on)
        self.add_row(self.gt("Received by"), self.received_by)

    def check(self) -> str:
        return "" if text_of(self.facility.currentText()) else self.gt("Name the facility.")

    def reception(self) -> Reception:
        return Reception(
            facility=text_of(self.facility.currentText()),
            arrived_on=from_qdate(self.arrived_on.date()),
            received_by=text_of(self.received_by.text()),
        )
