"""Identity documents on the case page: kind, number, issuing country, or no papers, with a reason."""

from __future__ import annotations

from PySide6.QtCore import Qt

from repatriation.domain.enums import DocumentKind
from repatriation.domain.people import IdentityDocument
from tests.ui.conftest import on_next_dialog
from tests.ui.test_case_corrections import _page, _table
from ui.context import AppContext
from ui.dialogs.documents_dialog import DocumentsDialog
from ui.qt_helpers import set_combo_value
from ui.table_models.correction_table_model import CorrectionColumn


def test_documents_are_added_removed_and_marked_none_with_their_history(qtbot, ctx: AppContext) -> None:
    page = _page(qtbot, ctx)
    problems: list[str] = []

    def add(dialog: DocumentsDialog) -> None:
        dialog.add_button.click()  # no number typed
        problems.append(dialog.problem.text())
        for kind, number, country in ((DocumentKind.PASSPORT, "B7654321", "CN"),
                                      (DocumentKind.BIRTH_CERTIFICATE, "123/2012", "")):
            set_combo_value(dialog.kind, kind)
            dialog.number.setText(number)
            set_combo_value(dialog.country, country)
            dialog.add_button.click()
        dialog.table.selectRow(1)
        dialog.remove_button.click()
        assert dialog.table.rowCount() == 1
        assert dialog.table.item(0, 2).text() == "China"
        dialog.reason.setText("Hộ chiếu trong ba lô")
        dialog.ok_button.click()

    on_next_dialog(add)
    with qtbot.waitSignal(page.case_shown, timeout=5000):
        page.view.documents_button.click()
    assert problems == ["Type the document's number, then Add."]
    stored = ctx.services.db.cases[page.case.reference].person
    assert stored.documents == (IdentityDocument(DocumentKind.PASSPORT, "B7654321", "CN"),)
    assert "Passport B7654321 (China)" in page.view.identity.toPlainText()

    def none(dialog: DocumentsDialog) -> None:
        dialog.no_papers.click()
        assert not dialog.add_button.isEnabled()
        dialog.reason.setText("The passport is the sister's")
        dialog.ok_button.click()

    on_next_dialog(none)
    with qtbot.waitSignal(page.case_shown, timeout=5000):
        page.view.documents_button.click()
    stored = ctx.services.db.cases[page.case.reference].person
    assert stored.no_documents and stored.documents == ()
    assert "No papers" in page.view.identity.toPlainText()
    rows = {(r[CorrectionColumn.FIELD], r[CorrectionColumn.BEFORE], r[CorrectionColumn.AFTER])
            for r in _table(page)}
    assert ("Identity documents", "(none)", "Passport B7654321 (China)") in rows
    assert ("Identity documents", "Passport B7654321 (China)", "(none)") in rows
    assert ("No papers", "No", "Yes") in rows
    assert page.view.corrections.model().index(0, 0).data(Qt.ItemDataRole.DisplayRole)


def test_family_members_are_added_with_their_history_and_hidden_from_the_liaison(
    qtbot, ctx: AppContext
) -> None:
    from repatriation.domain.actors import Actor, Role
    from ui.dialogs.family_dialog import FamilyDialog

    page = _page(qtbot, ctx)

    def add(dialog: FamilyDialog) -> None:
        dialog.add_button.click()  # no name typed
        assert dialog.problem.text() == "Type the relative's name, then Add."
        set_combo_value(dialog.relation, "mother")
        dialog.name.setText("Giàng Thị Mai")
        dialog.year.setValue(1985)
        dialog.guardian.setChecked(True)
        dialog.add_button.click()
        dialog.reason.setText("Mẹ đến đồn")
        dialog.ok_button.click()

    on_next_dialog(add)
    with qtbot.waitSignal(page.case_shown, timeout=5000):
        page.view.family_members_button.click()
    (member,) = ctx.services.db.cases[page.case.reference].person.family
    assert (member.relation, member.full_name, member.birth_year, member.is_guardian) == (
        "mother", "Giàng Thị Mai", 1985, True)
    assert "Mother" in page.view.identity.toPlainText()  # a word, not the code
    rows = {(r[CorrectionColumn.FIELD], r[CorrectionColumn.AFTER]) for r in _table(page)}
    assert ("Family members", "Mother: Giàng Thị Mai (1985), guardian") in rows
    ctx.actor = Actor("liaison.hai", Role.LIAISON)  # may not see the family
    with qtbot.waitSignal(page.case_shown):
        page.show_case(page.case.reference)
    assert _table(page) == []
    page.view.family_members_button.click()
    assert ctx.prompter.calls[-1][2] == "Your role does not allow this."
