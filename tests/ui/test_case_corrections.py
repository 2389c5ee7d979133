"""Correcting a recorded child through the case page: reason required, the history shown per field."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from repatriation.domain.actors import Actor, Role
from repatriation.domain.enums import Corridor, ReturnChannel, Sex
from repatriation.domain.fields import ExtraFields
from repatriation.domain.people import Person
from repatriation.services.cases import CaseDraft
from tests.ui.conftest import on_next_dialog
from tests.ui.fakes import OFFICER
from ui.context import AppContext
from ui.dialogs.correction_dialog import CorrectionDialog
from ui.pages.case_page import CasePage
from ui.table_models.correction_table_model import CorrectionColumn


def _page(qtbot, ctx: AppContext, extra_fields: ExtraFields | None = None) -> CasePage:
    """The case page on a new case (with values of added fields, if given)."""
    person = Person("Giàng", "Sủa", "Thị", sex=Sex.FEMALE, ethnic_code="08")
    draft = CaseDraft(person, ReturnChannel.RESCUE, Corridor.CHINA, date(2026, 2, 20),
                      extra_fields=extra_fields or ExtraFields())
    ref = ctx.services.cases.open_case(OFFICER, draft).reference
    page = CasePage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.case_shown):
        page.show_case(ref)
    return page


def _table(page: CasePage) -> list[list[str]]:
    model = page.view.corrections.model()
    return [[str(model.index(r, c).data(Qt.ItemDataRole.DisplayRole)) for c in CorrectionColumn]
            for r in range(model.rowCount())]


def test_a_correction_needs_a_reason_and_shows_old_and_new_value(qtbot, ctx: AppContext) -> None:
    page = _page(qtbot, ctx)
    seen: list[str] = []

    def correct(dialog: CorrectionDialog) -> None:
        dialog.ok_button.click()  # nothing changed yet
        seen.append(dialog.problem.text())
        dialog.editors["given_name"].widget.setText("Sua")
        dialog.editors["ethnic_code"].put("09")
        dialog.editors["date_of_birth"].put(date(2012, 4, 3))
        dialog.editors["address"].widget.setText("Thôn 5, xã Bản Lầu, tỉnh Lào Cai")
        dialog.ok_button.click()  # no reason
        seen.append(dialog.problem.text())
        dialog.reason.setText("Giấy khai sinh do gia đình mang đến")
        dialog.ok_button.click()

    on_next_dialog(correct)
    with qtbot.waitSignal(page.case_shown, timeout=5000):
        page.view.correct_button.click()
    assert seen == ["Nothing was changed: the values are those recorded.",
                    "Say why the record is corrected: the reason is kept with the change."]
    stored = ctx.services.db.cases[page.case.reference]
    assert stored.person.given_name == "Sua" and stored.person.birth.date_of_birth == date(2012, 4, 3)
    rows = _table(page)
    by_field = {row[CorrectionColumn.FIELD]: row for row in rows}
    assert set(by_field) == {"Given name", "Ethnic group", "Date of birth", "Address before leaving"}
    assert by_field["Address before leaving"][CorrectionColumn.AFTER] == "Thôn 5, xã Bản Lầu, tỉnh Lào Cai"
    assert stored.person.address.as_written == "Thôn 5, xã Bản Lầu, tỉnh Lào Cai"
    assert by_field["Given name"][CorrectionColumn.BEFORE:CorrectionColumn.WHO + 1] == [
        "Sủa", "Sua", OFFICER.username]
    assert by_field["Date of birth"][CorrectionColumn.BEFORE:CorrectionColumn.AFTER + 1] == [
        "(empty)", "03/04/2012"]
    assert by_field["Ethnic group"][CorrectionColumn.BEFORE] == "H'Mông"  # a name, not "08"
    assert {row[CorrectionColumn.REASON] for row in rows} == {"Giấy khai sinh do gia đình mang đến"}
    assert "Sua" in page.view.identity.toPlainText()
    assert "Thôn 5, xã Bản Lầu" in page.view.identity.toPlainText()


def test_a_role_that_may_not_see_a_field_sees_no_old_value_and_cannot_edit_it(
    qtbot, ctx: AppContext
) -> None:
    page = _page(qtbot, ctx)
    ref = page.case.reference
    ctx.services.cases.correct(OFFICER, ref, {"ethnic_code": "09", "given_name": "Sua"}, "checked")
    ctx.actor = Actor("liaison.hai", Role.LIAISON)
    with qtbot.waitSignal(page.case_shown):
        page.show_case(ref)
    assert [row[CorrectionColumn.FIELD] for row in _table(page)] == ["Given name"]
    offered = offered_editors(qtbot, page)
    assert "given_name" in offered and "ethnic_code" not in offered and "place_of_birth" not in offered
    assert "address" not in offered  # sensitive: the officer who may see it may correct it (below)


def offered_editors(qtbot, page: CasePage) -> list[str]:
    """The fields the correction dialog offers to the signed-in role (the dialog is closed)."""
    offered: list[str] = []

    def look(dialog: CorrectionDialog) -> None:
        offered.extend(dialog.editors)
        dialog.reject()

    on_next_dialog(look)
    page.view.correct_button.click()
    qtbot.waitUntil(lambda: bool(offered))
    return offered
