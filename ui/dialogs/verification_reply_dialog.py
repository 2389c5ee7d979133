"""Record the reply to a verification request: when it came and what it says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QWidget

from i18n import Translator
from repatriation.domain.enums import VerificationOutcome
from ui.dialogs.form_dialog import FormDialog
from ui.labels import Labels
from ui.qt_helpers import date_edit, fill_combo, from_qdate, text_of


@dataclass(frozen=True)
class Reply:
    """What the reply dialog returns."""

    received_on: date
    outcome: VerificationOutcome
    reply: str


class VerificationReplyDialog(FormDialog):
    """Returns a ``Reply`` through ``reply()``."""

    def __init__(
        self, translator: Translator, today: date, question: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(translator, translator.gettext("Record the reply"), parent)
        labels = Labels(translator)
        self.outcome = QComboBox(self)
        fill_combo(
            self.outcome,
            [(t, v) for t, v in labels.choices(VerificationOutcome) if v is not VerificationOutcome.PENDING],
        )
        self.received_on = date_edit(today, self)
        self.text = QPlainTextEdit(self)
        self.text.setMaximumHeight(90)
        asked = QLabel(question, self)
        asked.setWordWrap(True)
        self.add_row(self.gt("Request"), asked)
        self.add_row(self.gt("Outcome"), self.outcome)
        self.add_row(self.gt("Received on"), self.received_on)
        self.add_row(self.gt("What the reply says"), self.text)

    def reply(self) -> Reply:
        return Reply(
            received_on=from_qdate(self.received_on.date()),
            outcome=VerificationOutcome(self.outcome.currentData()),
            reply=text_of(self.text.toPlainText()),
        )
