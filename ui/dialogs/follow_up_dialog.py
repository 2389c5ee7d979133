"""Record a follow-up visit (3, 6 or 12 months after reintegration started)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from i18n import Translator
from repatriation.domain.care import FollowUp
from repatriation.domain.enums import FollowUpStatus
from ui.dialogs.form_dialog import FormDialog
from ui.labels import Labels
from ui.qt_helpers import date_edit, fill_combo, from_qdate, set_combo_value, text_of


class FollowUpDialog(FormDialog):
    """Returns the updated ``FollowUp`` through ``follow_up()``."""

    def __init__(
        self,
        translator: Translator,
        scheduled: Sequence[FollowUp],
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(translator, translator.gettext("Record follow-up"), parent)
        labels = Labels(translator)
        self._scheduled = {f.months: f for f in scheduled}
        self.visit = QComboBox(self)
        for item in scheduled:
            text = self.tr_.ngettext("After {count} month", "After {count} months", item.months)
            self.visit.addItem(f"{text.format(count=item.months)} ({labels.date(item.due_on)})", item.months)
        due = next((f.months for f in scheduled if f.status is FollowUpStatus.DUE), None)
        if due is not None:
            set_combo_value(self.visit, due)
        self.status = QComboBox(self)
        fill_combo(
            self.status, [(t, v) for t, v in labels.choices(FollowUpStatus) if v is not FollowUpStatus.DUE]
        )
        self.done_on = date_edit(today, self)
        self.notes = QLineEdit(self)
        self.add_row(self.gt("Visit"), self.visit)
        self.add_row(self.gt("Result"), self.status)
        self.add_row(self.gt("On"), self.done_on)
        self.add_row(self.gt("Notes"), self.notes)

    def check(self) -> str:
        return "" if self.visit.count() else self.gt("No follow-up is scheduled yet.")

    def follow_up(self) -> FollowUp:
        scheduled = self._scheduled[int(self.visit.currentData())]
        return replace(
            scheduled,
            status=FollowUpStatus(self.status.currentData()),
            done_on=from_qdate(self.done_on.date()),
            notes=text_of(self.notes.text()),
        )
