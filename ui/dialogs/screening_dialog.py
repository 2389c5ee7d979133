"""Record an identification decision: status, forms of exploitation found, who decided and when."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLineEdit, QWidget

from i18n import Translator
from repatriation.domain.care import Screening
from repatriation.domain.enums import ExploitationForm, ScreeningStatus
from ui.dialogs.form_dialog import FormDialog
from ui.labels import Labels
from ui.qt_helpers import date_edit, fill_combo, from_qdate, text_of


class ScreeningDialog(FormDialog):
    """Returns a ``Screening`` through ``screening()``."""

    def __init__(
        self, translator: Translator, current: Screening, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(translator, translator.gettext("Identification"), parent)
        labels = Labels(translator)
        self.status = QComboBox(self)
        fill_combo(self.status, labels.choices(ScreeningStatus), current.status)
        self.forms: dict[ExploitationForm, QCheckBox] = {}
        box = QWidget(self)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        for position, form in enumerate(ExploitationForm):
            check = QCheckBox(labels.enum(form), box)
            check.setChecked(form in current.exploitation_forms)
            self.forms[form] = check
            grid.addWidget(check, position // 2, position % 2)
        self.decided_on = date_edit(current.decided_on or today, self)
        self.decided_by = QLineEdit(current.decided_by, self)
        self.legal_basis = QLineEdit(current.legal_basis or "Law 53/2024/QH15", self)
        self.add_row(self.gt("Status"), self.status)
        self.add_row(self.gt("Forms of exploitation"), box)
        self.add_row(self.gt("Decided on"), self.decided_on)
        self.add_row(self.gt("Decided by"), self.decided_by)
        self.add_row(self.gt("Legal basis"), self.legal_basis)

    def screening(self) -> Screening:
        return Screening(
            status=ScreeningStatus(self.status.currentData()),
            exploitation_forms=tuple(f for f, c in self.forms.items() if c.isChecked()),
            decided_on=from_qdate(self.decided_on.date()),
            decided_by=text_of(self.decided_by.text()),
            legal_basis=text_of(self.legal_basis.text()),
        )
