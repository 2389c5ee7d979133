"""The person's family: relation, name, year of birth, phone and who is the guardian.

Returns the changed ``family`` list and the mandatory reason; the old list is kept in the
corrections history (family is sensitive: only roles that may see it edit it or its history).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLineEdit, QPushButton, QSpinBox, QWidget

from repatriation.domain.case import Case
from repatriation.domain.people import FamilyMember
from repatriation.services.intake_fields import RELATIONS
from ui.dialogs.form_dialog import FormDialog
from ui.labels import Labels
from ui.qt_helpers import fill_combo, fill_table, list_table, selected_index, text_of


class FamilyDialog(FormDialog):
    """A list of relatives with add and remove, and the reason."""

    def __init__(self, labels: Labels, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(labels.translator, labels.gt("Family"), parent)
        self.setMinimumWidth(640)
        self.labels, self.case = labels, case
        self.members: list[FamilyMember] = list(case.person.family)
        self.table = list_table([self.gt("Relation"), self.gt("Name"), self.gt("Year of birth"),
                                 self.gt("Phone"), self.gt("Guardian")], 1, self)
        self.table.setMinimumHeight(150)
        self.relation = QComboBox(self)
        fill_combo(self.relation, [(labels.relation(code), code) for code in RELATIONS])
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.gt("Name"))
        self.year = QSpinBox(self)
        self.year.setRange(1899, 2100)
        self.year.setSpecialValueText(self.gt("Not known"))  # 1899 stands for no year
        self.year.setValue(1899)
        self.phone = QLineEdit(self)
        self.phone.setPlaceholderText(self.gt("Phone"))
        self.guardian = QCheckBox(self.gt("Guardian"), self)
        self.add_button = QPushButton(self.gt("Add"), self)
        self.remove_button = QPushButton(self.gt("Remove"), self)
        entry = QWidget(self)
        grid = QGridLayout(entry)
        grid.setContentsMargins(0, 0, 0, 0)
        for column, widget in enumerate((self.relation, self.name, self.year, self.phone)):
            grid.addWidget(widget, 0, column)
        grid.addWidget(self.guardian, 1, 0)
        grid.addWidget(self.add_button, 1, 2)
        grid.addWidget(self.remove_button, 1, 3)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.gt("Why: e.g. checked against the birth certificate"))
        self.form.addRow(self.table)
        self.form.addRow(entry)
        self.add_row(self.gt("Reason"), self.reason)
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self._refresh()

    def _add(self) -> None:
        name = text_of(self.name.text()).strip()
        if not name:
            self.problem.setText(self.gt("Type the relative's name, then Add."))
            self.problem.show()
            return
        self.problem.hide()
        year = self.year.value()
        self.members.append(FamilyMember(
            str(self.relation.currentData()), name, None if year < 1900 else year,
            phone=text_of(self.phone.text()).strip(), is_guardian=self.guardian.isChecked()))
        self.name.clear()
        self.phone.clear()
        self.guardian.setChecked(False)
        self._refresh()

    def _remove(self) -> None:
        index = selected_index(self.table)
        if index is not None:
            del self.members[index]
            self._refresh()

    def _refresh(self) -> None:
        yes = self.gt("Yes")
        fill_table(self.table, [
            (self.labels.relation(m.relation), m.full_name, str(m.birth_year or ""), m.phone,
             yes if (m.is_guardian or m.is_legal_representative) else "")
            for m in self.members])

    def values(self) -> dict[str, Any]:
        """``{"family": ...}`` when the list differs from the record."""
        family = tuple(self.members)
        return {} if family == self.case.person.family else {"family": family}

    def reason_text(self) -> str:
        return text_of(self.reason.text()).strip()

    def check(self) -> str:
        if not self.values():
            return self.gt("Nothing was changed: the values are those recorded.")
        if not self.reason_text():
            return self.gt("Say why the record is corrected: the reason is kept with the change.")
        return ""
