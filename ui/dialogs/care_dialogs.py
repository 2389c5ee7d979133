"""Care records that forms print but the desk could not record: family assessment, referral, notes."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from i18n import Translator
from repatriation.domain.care import FamilyAssessment, Referral
from ui.dialogs.form_dialog import FormDialog
from ui.qt_helpers import date_edit, fill_combo, from_qdate, text_of


def _text_box(parent: QWidget, text: str = "", height: int = 90) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setPlainText(text)
    box.setFixedHeight(height)
    return box


class FamilyAssessmentDialog(FormDialog):
    """Family tracing and whether return is safe; returns a ``FamilyAssessment``."""

    def __init__(
        self,
        translator: Translator,
        today: date,
        current: FamilyAssessment | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(translator, translator.gettext("Family assessment"), parent)
        current = current or FamilyAssessment()
        self.traced_on = date_edit(current.traced_on or today, self)
        self.family_found = QCheckBox(self.gt("The family was found"), self)
        self.family_found.setChecked(current.family_found)
        self.safe = QComboBox(self)
        fill_combo(
            self.safe,
            [(self.gt("Not decided yet"), None), (self.gt("Yes"), True), (self.gt("No"), False)],
            current.safe_to_return,
        )
        self.notes = _text_box(self, current.notes)
        self.add_row(self.gt("Traced on"), self.traced_on)
        self.add_row("", self.family_found)
        self.add_row(self.gt("Safe to return"), self.safe)
        self.add_row(self.gt("Notes"), self.notes)

    def assessment(self) -> FamilyAssessment:
        safe = self.safe.currentData()
        return FamilyAssessment(
            traced_on=from_qdate(self.traced_on.date()),
            family_found=self.family_found.isChecked(),
            safe_to_return=None if safe is None else bool(safe),
            notes=text_of(self.notes.toPlainText()),
        )


class ReferralDialog(FormDialog):
    """A referral to another body (health, legal aid, school...); returns a ``Referral``."""

    def __init__(self, translator: Translator, today: date, parent: QWidget | None = None) -> None:
        super().__init__(translator, translator.gettext("Add referral"), parent)
        self.to_body = QLineEdit(self)
        self.referred_on = date_edit(today, self)
        self.reason = _text_box(self, height=70)
        self.add_row(self.gt("Referred to"), self.to_body)
        self.add_row(self.gt("Referred on"), self.referred_on)
        self.add_row(self.gt("Reason"), self.reason)

    def check(self) -> str:
        return "" if self.to_body.text().strip() else self.gt("Please fill in the body referred to.")

    def referral(self) -> Referral:
        return Referral(
            to_body=text_of(self.to_body.text()),
            referred_on=from_qdate(self.referred_on.date()),
            reason=text_of(self.reason.toPlainText()),
        )


class NotesDialog(FormDialog):
    """Health notes (sensitive) and the child's account of exploitation (child-private)."""

    def __init__(
        self, translator: Translator, health: str, narrative: str, notes: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(translator, translator.gettext("Health and account"), parent)
        warning = QLabel(
            self.gt(
                "These notes are confidential: health notes are sensitive data, the account of "
                "exploitation is the child's private information. Write only what the child's care needs."
            ),
            self,
        )
        warning.setWordWrap(True)
        self.form.addRow(warning)
        self.health = _text_box(self, health)
        self.narrative = _text_box(self, narrative, 120)
        self.notes = _text_box(self, notes, 70)
        self.add_row(self.gt("Health notes"), self.health)
        self.add_row(self.gt("Account of exploitation"), self.narrative)
        self.add_row(self.gt("Other notes"), self.notes)

    def values(self) -> dict[str, str]:
        """Each text as typed (NFC), keyed by the service's parameter name."""
        return {
            "health_notes": text_of(self.health.toPlainText()),
            "exploitation_narrative": text_of(self.narrative.toPlainText()),
            "notes": text_of(self.notes.toPlainText()),
        }
