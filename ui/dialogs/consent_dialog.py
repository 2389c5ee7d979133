"""Record consent for one purpose: the child's answer and the representative's, explained.

A child's private information may be shared only with the consent of the parent or legal
representative and, from the age of 7, of the child as well (Law on Children; Personal Data
Protection Law 91/2025 art. 24). Silence is not consent. The law-enforcement exemption
allows processing without consent and is recorded as such.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from i18n import Translator
from repatriation.domain.care import ConsentRecord
from repatriation.domain.enums import ConsentScope, ConsentSubject
from ui.dialogs.form_dialog import FormDialog
from ui.labels import Labels
from ui.qt_helpers import date_edit, fill_combo, from_qdate, text_of

NOT_ASKED = "not_asked"


class ConsentDialog(FormDialog):
    """Returns the records to add through ``consents()`` (one per person who answered)."""

    def __init__(
        self,
        translator: Translator,
        today: date,
        child_must_consent: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(translator, translator.gettext("Record consent"), parent)
        labels = Labels(translator)
        explanation = QLabel(
            self.gt(
                "Sharing a child's information needs the consent of the parent or legal "
                "representative AND, from the age of 7, of the child too. Ask each of them; "
                "silence is not consent, and consent can be withdrawn later."
            ),
            self,
        )
        explanation.setWordWrap(True)
        self.form.addRow(explanation)
        self.scope = QComboBox(self)
        fill_combo(self.scope, labels.choices(ConsentScope))
        answers = [
            (self.gt("Not asked yet"), NOT_ASKED),
            (self.gt("Gives consent"), True),
            (self.gt("Refuses"), False),
        ]
        self.child = QComboBox(self)
        fill_combo(self.child, answers, True if child_must_consent else NOT_ASKED)
        self.representative = QComboBox(self)
        fill_combo(self.representative, answers, True)
        self.representative_name = QLineEdit(self)
        self.recorded_on = date_edit(today, self)
        self.exemption = QCheckBox(self.gt("Law-enforcement exemption (no consent needed)"), self)
        self.add_row(self.gt("For"), self.scope)
        self.add_row(self.gt("The child"), self.child)
        self.add_row(self.gt("Parent or legal representative"), self.representative)
        self.add_row(self.gt("Representative's name"), self.representative_name)
        self.add_row(self.gt("Recorded on"), self.recorded_on)
        self.add_row("", self.exemption)

    def check(self) -> str:
        if self.exemption.isChecked():
            return ""
        if self.child.currentData() == NOT_ASKED and self.representative.currentData() == NOT_ASKED:
            return self.gt("Record the answer of the child, of the representative, or both.")
        if self.representative.currentData() != NOT_ASKED and not self.representative_name.text().strip():
            return self.gt("Write the name of the representative who answered.")
        return ""

    def consents(self) -> list[ConsentRecord]:
        scope = ConsentScope(self.scope.currentData())
        on = from_qdate(self.recorded_on.date())
        if self.exemption.isChecked():
            return [
                ConsentRecord(
                    ConsentSubject.REPRESENTATIVE, scope, given=False, recorded_on=on,
                    law_enforcement_exemption=True,
                )
            ]  # fmt: skip
        records = []
        for subject, combo, name in (
            (ConsentSubject.CHILD, self.child, ""),
            (ConsentSubject.REPRESENTATIVE, self.representative, text_of(self.representative_name.text())),
        ):
            answer = combo.currentData()
            if answer != NOT_ASKED:
                records.append(
                    ConsentRecord(subject, scope, given=bool(answer), recorded_on=on, given_by=name)
                )
        return records
