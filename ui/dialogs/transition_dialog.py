"""Move a case on in its lifecycle: only the moves the lifecycle table allows are offered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from i18n import Translator
from repatriation.domain.care import Closure
from repatriation.domain.enums import CaseStatus, Outcome
from repatriation.domain.lifecycle import ALLOWED_TRANSITIONS
from ui.dialogs.form_dialog import FormDialog
from ui.labels import Labels
from ui.qt_helpers import fill_combo, text_of


@dataclass(frozen=True)
class Move:
    """What the dialog returns."""

    target: CaseStatus
    closure: Closure | None
    reason: str


class TransitionDialog(FormDialog):
    """Returns a ``Move`` through ``decision()``."""

    def __init__(
        self, translator: Translator, current: CaseStatus, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(translator, translator.gettext("Change status"), parent)
        labels = Labels(translator)
        self._today = today
        self._current = current
        self.target = QComboBox(self)
        targets = [s for s in CaseStatus if s in ALLOWED_TRANSITIONS[current]]
        fill_combo(self.target, [(labels.enum(s), s) for s in targets])
        self.outcome = QComboBox(self)
        fill_combo(self.outcome, labels.choices(Outcome))
        self.reason = QLineEdit(self)
        self.add_row(self.gt("New status"), self.target)
        self.add_row(self.gt("Outcome (to close)"), self.outcome)
        self.add_row(self.gt("Reason or notes"), self.reason)
        self.target.currentIndexChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        closing = self.target.currentData() is CaseStatus.CLOSED
        self.outcome.setEnabled(closing)

    def check(self) -> str:
        if self.target.count() == 0:
            return self.gt("This case cannot change status.")
        if self._current is CaseStatus.CLOSED and not text_of(self.reason.text()):
            return self.gt("Give a reason to reopen a closed case.")
        return ""

    def decision(self) -> Move:
        target = CaseStatus(self.target.currentData())
        closure = (
            Closure(
                closed_on=self._today,
                outcome=Outcome(self.outcome.currentData()),
                notes=text_of(self.reason.text()),
            )
            if target is CaseStatus.CLOSED
            else None
        )
        return Move(target=target, closure=closure, reason=text_of(self.reason.text()))
