"""Plan or record a follow-up visit (3, 6 or 12 months after reintegration started).

A visit is "planned" (with its date, which can be moved) until the officer says it took place
or was missed; nothing is marked done by default.
"""

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
from ui.qt_helpers import date_edit, fill_combo, from_qdate, set_combo_value, text_of, to_qdate


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
        self.status = QComboBox(self)
        fill_combo(
            self.status,
            [(self.gt("Planned (not visited yet)") if v is FollowUpStatus.DUE else t, v)
             for t, v in labels.choices(FollowUpStatus)],
        )  # fmt: skip
        self.planned_on = date_edit(today, self)
        self.done_on = date_edit(today, self)
        self.notes = QLineEdit(self)
        self.add_row(self.gt("Visit"), self.visit)
        self.add_row(self.gt("Planned for"), self.planned_on)
        self.add_row(self.gt("Result"), self.status)
        self.done_label = self.gt("Visited on")
        self.add_row(self.done_label, self.done_on)
        self.add_row(self.gt("Notes"), self.notes)
        self.visit.currentIndexChanged.connect(self._show_visit)
        self.status.currentIndexChanged.connect(self._show_status)
        due = next((f.months for f in scheduled if f.status is FollowUpStatus.DUE), None)
        if due is not None:
            set_combo_value(self.visit, due)
        self._show_visit()

    def _show_visit(self) -> None:
        """Show the chosen visit as stored: planned date, result, notes."""
        months = self.visit.currentData()
        if months is None:
            return
        item = self._scheduled[int(months)]
        self.planned_on.setDate(to_qdate(item.due_on))
        set_combo_value(self.status, item.status)
        if item.done_on is not None:
            self.done_on.setDate(to_qdate(item.done_on))
        self.notes.setText(item.notes)
        self._show_status()

    def _show_status(self) -> None:
        self.done_on.setEnabled(self.status.currentData() != FollowUpStatus.DUE)

    def check(self) -> str:
        return "" if self.visit.count() else self.gt("No follow-up is scheduled yet.")

    def follow_up(self) -> FollowUp:
        scheduled = self._scheduled[int(self.visit.currentData())]
        status = FollowUpStatus(self.status.currentData())
        return replace(
            scheduled,
            due_on=from_qdate(self.planned_on.date()),
            status=status,
            done_on=None if status is FollowUpStatus.DUE else from_qdate(self.done_on.date()),
            notes=text_of(self.notes.text()),
        )
