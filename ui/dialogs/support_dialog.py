"""Record a support item delivered (Law 53/2024 art. 37) as part of the care plan."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from i18n import Translator
from repatriation.domain.care import SupportDelivered
from repatriation.domain.enums import SupportKind
from ui.dialogs.form_dialog import FormDialog
from ui.labels import Labels
from ui.qt_helpers import date_edit, fill_combo, from_qdate, text_of


class SupportDialog(FormDialog):
    """Returns a ``SupportDelivered`` through ``support()``."""

    def __init__(self, translator: Translator, today: date, parent: QWidget | None = None) -> None:
        super().__init__(translator, translator.gettext("Add support"), parent)
        self.kind = QComboBox(self)
        fill_combo(self.kind, Labels(translator).choices(SupportKind))
        self.delivered_on = date_edit(today, self)
        self.provider = QLineEdit(self)
        self.notes = QLineEdit(self)
        self.add_row(self.gt("Support"), self.kind)
        self.add_row(self.gt("Delivered on"), self.delivered_on)
        self.add_row(self.gt("Provided by"), self.provider)
        self.add_row(self.gt("Notes"), self.notes)

    def support(self) -> SupportDelivered:
        return SupportDelivered(
            kind=SupportKind(self.kind.currentData()),
            delivered_on=from_qdate(self.delivered_on.date()),
            provider=text_of(self.provider.text()),
            notes=text_of(self.notes.text()),
        )
