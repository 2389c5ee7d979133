"""Record a consent, a refusal, or the legal exemption that allows processing without one."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from i18n import Translator
from repatriation.domain.care import ConsentRecord
from repatriation.domain.enums import ConsentScope, ConsentSubject
from ui.dialogs.form_dialog import FormDialog
from ui.labels import Labels
from ui.qt_helpers import date_edit, fill_combo, from_qdate, text_of


class ConsentDialog(FormDialog):
    """Returns a ``ConsentRecord`` through ``consent()``."""

    def __init__(self, translator: Translator, today: date, parent: QWidget | None = None) -> None:
        super().__init__(translator, translator.gettext("Record consent"), parent)
        labels = Labels(translator)
        self.subject = QComboBox(self)
        fill_combo(self.subject, labels.choices(ConsentSubject))
        self.scope = QComboBox(self)
        fill_combo(self.scope, labels.choices(ConsentScope))
        self.given = QComboBox(self)
        fill_combo(self.given, [(self.gt("Given"), True), (self.gt("Refused"), False)])
        self.recorded_on = date_edit(today, self)
        self.given_by = QLineEdit(self)
        self.exemption = QCheckBox(self.gt("Law-enforcement exemption (no consent needed)"), self)
        self.add_row(self.gt("Who"), self.subject)
        self.add_row(self.gt("For"), self.scope)
        self.add_row(self.gt("Answer"), self.given)
        self.add_row(self.gt("Recorded on"), self.recorded_on)
        self.add_row(self.gt("Given by (name)"), self.given_by)
        self.add_row("", self.exemption)

    def consent(self) -> ConsentRecord:
        return ConsentRecord(
            subject=ConsentSubject(self.subject.currentData()),
            scope=ConsentScope(self.scope.currentData()),
            given=bool(self.given.currentData()),
            recorded_on=from_qdate(self.recorded_on.date()),
            given_by=text_of(self.given_by.text()),
            law_enforcement_exemption=self.exemption.isChecked(),
        )
