"""The person's identity documents: kind, number, issuing country, or "no papers" at all.

Returns the changed ``documents`` / ``no_documents`` values and the mandatory reason; the
case service keeps the old list in the corrections history like any other field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLineEdit, QPushButton, QWidget

from repatriation.domain.case import Case
from repatriation.domain.enums import DocumentKind
from repatriation.domain.people import IdentityDocument
from ui.correction_text import country_name
from ui.dialogs.form_dialog import FormDialog
from ui.labels import Labels
from ui.qt_helpers import combo_enum, fill_combo, fill_table, list_table, selected_index, text_of


class DocumentsDialog(FormDialog):
    """A list of documents with add and remove, the "No papers" box and the reason."""

    def __init__(self, labels: Labels, case: Case, countries: Sequence[tuple[str, Any]],
                 parent: QWidget | None = None) -> None:
        super().__init__(labels.translator, labels.gt("Identity documents"), parent)
        self.setMinimumWidth(640)
        self.labels, self.case = labels, case
        self.documents: list[IdentityDocument] = list(case.person.documents)
        self.table = list_table([self.gt("Document"), self.gt("Number"), self.gt("Issuing country")],
                                1, self)
        self.table.setMinimumHeight(150)
        self.kind = QComboBox(self)
        fill_combo(self.kind, labels.choices(DocumentKind))
        self.number = QLineEdit(self)
        self.number.setPlaceholderText(self.gt("Number"))
        self.country = QComboBox(self)
        fill_combo(self.country, [(self.gt("Not known"), ""), *countries])
        self.add_button = QPushButton(self.gt("Add"), self)
        self.remove_button = QPushButton(self.gt("Remove"), self)
        self.no_papers = QCheckBox(self.gt("No papers: the person has no identity document"), self)
        self.no_papers.setChecked(case.person.no_documents)
        entry = QWidget(self)
        grid = QGridLayout(entry)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.kind, 0, 0)
        grid.addWidget(self.number, 0, 1)
        grid.addWidget(self.country, 0, 2)
        grid.addWidget(self.add_button, 0, 3)
        grid.addWidget(self.remove_button, 1, 3)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.gt("Why: e.g. checked against the birth certificate"))
        self.form.addRow(self.table)
        self.form.addRow(entry)
        self.form.addRow(self.no_papers)
        self.add_row(self.gt("Reason"), self.reason)
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self.no_papers.toggled.connect(self._refresh)
        self._refresh()

    def _add(self) -> None:
        number = text_of(self.number.text()).strip()
        kind = combo_enum(self.kind, DocumentKind)
        if not number or kind is None:
            self.problem.setText(self.gt("Type the document's number, then Add."))
            self.problem.show()
            return
        self.problem.hide()
        self.documents.append(IdentityDocument(kind, number, issuer=str(self.country.currentData() or "")))
        self.number.clear()
        self._refresh()

    def _remove(self) -> None:
        index = selected_index(self.table)
        if index is not None:
            del self.documents[index]
            self._refresh()

    def _refresh(self) -> None:
        none = self.no_papers.isChecked()
        for widget in (self.table, self.kind, self.number, self.country, self.add_button,
                       self.remove_button):
            widget.setEnabled(not none)
        fill_table(self.table, [
            (self.labels.enum(d.kind), d.number, country_name(d.issuer, self.labels) if d.issuer else "")
            for d in self.documents])

    def values(self) -> dict[str, Any]:
        """The changed ``documents`` and ``no_documents`` (ticking "No papers" empties the list)."""
        none = self.no_papers.isChecked()
        wanted = {"documents": () if none else tuple(self.documents), "no_documents": none}
        person = self.case.person
        return {k: v for k, v in wanted.items() if v != getattr(person, k)}

    def reason_text(self) -> str:
        return text_of(self.reason.text()).strip()

    def check(self) -> str:
        if not self.values():
            return self.gt("Nothing was changed: the values are those recorded.")
        if not self.reason_text():
            return self.gt("Say why the record is corrected: the reason is kept with the change.")
        return ""
