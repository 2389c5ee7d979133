"""A field added through the registry in the desk: shown on the case page, corrected in its dialog."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt

from i18n import Translator
from repatriation.domain import case_fields
from repatriation.domain.actors import Actor, Role
from repatriation.domain.fields import CaseField, ExtraFields, FieldClass, Share, extra_field
from tests.ui.conftest import on_next_dialog
from tests.ui.test_case_corrections import _page as case_page
from tests.ui.test_case_corrections import offered_editors
from ui.context import AppContext
from ui.dialogs.correction_dialog import CorrectionDialog
from ui.history_text import details_text
from ui.labels import Labels
from ui.pages.case_page import CasePage
from ui.table_models.correction_table_model import CorrectionColumn

NAME = "preferred_language_of_interview"


@pytest.fixture
def added() -> Iterator[tuple[CaseField, CaseField]]:
    """A sensitive text field and a basic date, registered for this test only."""
    text = extra_field(NAME, FieldClass.SENSITIVE, "preferred language of interview", Share.DOMESTIC)
    day = extra_field("vaccinated_on", FieldClass.BASIC, "day vaccinated", Share.EVERYONE,
                      value_type=date)
    with case_fields.registered(text), case_fields.registered(day):
        yield text, day


def _page(qtbot, ctx: AppContext) -> CasePage:
    return case_page(qtbot, ctx, ExtraFields({NAME: "Hmông Lềnh"}))


def test_an_added_field_shows_and_is_corrected_on_the_case_page(
        qtbot, ctx: AppContext, added: tuple[CaseField, CaseField]) -> None:
    page = _page(qtbot, ctx)
    assert "Preferred language of interview\nHmông Lềnh" in page.view.identity.toPlainText()

    def correct(dialog: CorrectionDialog) -> None:
        assert dialog.editors["vaccinated_on"].get() is None  # left without a value
        dialog.editors[NAME].widget.setText("Tiếng Mông")
        dialog.editors["vaccinated_on"].put(date(2026, 2, 21))
        dialog.reason.setText("Em hỏi lại")
        dialog.ok_button.click()

    on_next_dialog(correct)
    with qtbot.waitSignal(page.case_shown, timeout=5000):
        page.view.correct_button.click()
    stored = ctx.services.db.cases[page.case.reference]
    assert dict(stored.extra_fields) == {NAME: "Tiếng Mông", "vaccinated_on": date(2026, 2, 21)}
    model = page.view.corrections.model()
    rows = {str(model.index(r, CorrectionColumn.FIELD).data(Qt.ItemDataRole.DisplayRole)):
            str(model.index(r, CorrectionColumn.AFTER).data(Qt.ItemDataRole.DisplayRole))
            for r in range(model.rowCount())}
    assert rows == {"Preferred language of interview": "Tiếng Mông", "Day vaccinated": "21/02/2026"}
    assert "Day vaccinated\n21/02/2026" in page.view.identity.toPlainText()


def test_a_role_that_may_not_see_an_added_field_neither_sees_nor_edits_it(
        qtbot, ctx: AppContext, added: tuple[CaseField, CaseField]) -> None:
    page = _page(qtbot, ctx)
    ctx.actor = Actor("liaison.hai", Role.LIAISON)
    with qtbot.waitSignal(page.case_shown):
        page.show_case(page.case.reference)
    assert "Hmông" not in page.view.identity.toPlainText()
    offered = offered_editors(qtbot, page)
    assert "vaccinated_on" in offered and NAME not in offered


def test_the_history_names_a_corrected_added_field_by_its_label(
        added: tuple[CaseField, CaseField]) -> None:
    labels = Labels(Translator("en"))
    text = details_text(json.dumps({"fields": ["given_name", NAME]}), labels)
    assert text == "fields: given name, preferred language of interview"
