"""Send a verification request: what is asked, to whom, when; the deadline follows the rule."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from i18n import Translator
from repatriation.domain.enums import VerificationKind
from repatriation.services.verifications import VerificationDraft
from ui.dialogs.form_dialog import FormDialog
from ui.labels import Labels
from ui.qt_helpers import date_edit, fill_combo, from_qdate, text_of


class VerificationRequestDialog(FormDialog):
    """Returns a ``VerificationDraft`` through ``draft()``."""

    def __init__(
        self,
        translator: Translator,
        today: date,
        requested_by: str,
        agencies: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(translator, translator.gettext("Request verification"), parent)
        labels = Labels(translator)
        self.kind = QComboBox(self)
        fill_combo(self.kind, labels.choices(VerificationKind))
        self.requested_to = QComboBox(self)
        self.requested_to.setEditable(True)
        self.requested_to.addItems(list(agencies))
        self.requested_to.setCurrentText("")
        self.requested_by = QLineEdit(requested_by, self)
        self.sent_on = date_edit(today, self)
        self.subject = QLineEdit(self)
        self.add_row(self.gt("What is asked"), self.kind)
        self.add_row(self.gt("Sent to"), self.requested_to)
        self.add_row(self.gt("Sent by"), self.requested_by)
        self.add_row(self.gt("Sent on"), self.sent_on)
        self.add_row(self.gt("Subject"), self.subject)

    def check(self) -> str:
        if not text_of(self.requested_to.currentText()):
            return self.gt("Say who the request is sent to.")
        return ""

    def draft(self) -> VerificationDraft:
        return VerificationDraft(
            kind=VerificationKind(self.kind.currentData()),
            requested_by=text_of(self.requested_by.text()),
            requested_to=text_of(self.requested_to.currentText()),
            sent_on=from_qdate(self.sent_on.date()),
            subject=text_of(self.subject.text()),
        )
