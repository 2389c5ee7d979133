"""Fields added through the registry are asked at the desk's intake, as far as the role may edit them.

The first test drives the desk's window on a real SQLite database: New intake, the person's page
with the added fields' editors, Register, then the stored case and its page. All names are
fictitious.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from i18n import Translator
from repatriation.bootstrap import build_services
from repatriation.config import Settings
from repatriation.domain import case_fields
from repatriation.domain.actors import Actor, Role
from repatriation.domain.clock import FixedClock
from repatriation.domain.errors import PermissionDenied
from repatriation.domain.fields import CaseField, ExtraFields, FieldClass, Share, extra_field
from repatriation.services import intake_flow as flow
from repatriation.services.intake_flow import IntakeAnswers, IntakeStep, PersonEntry
from tests.ui.conftest import wait_idle
from tests.ui.fakes import OFFICER, FakePrompter
from ui.application import build_context
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.wizards.intake_person_pages import PersonPage
from ui.wizards.intake_wizard import IntakeWizard

NAME = "preferred_language_of_interview"
VALUE = "Tiếng Mông, phiên dịch nữ"  # what the child asked for, in the officer's words


@pytest.fixture
def added() -> Iterator[tuple[CaseField, ...]]:
    """A sensitive text, a basic date, yes/no and whole number, registered for this test only."""
    fields = (
        extra_field(NAME, FieldClass.SENSITIVE, "preferred language of interview", Share.DOMESTIC),
        extra_field("vaccinated_on", FieldClass.BASIC, "day vaccinated", Share.EVERYONE,
                    value_type=date),
        extra_field("carried_a_phone", FieldClass.BASIC, "carried a phone", Share.EVERYONE,
                    value_type=bool),
        extra_field("siblings_travelling", FieldClass.BASIC, "siblings travelling", Share.EVERYONE,
                    value_type=int),
    )
    with case_fields.registered(fields[0]), case_fields.registered(fields[1]), \
            case_fields.registered(fields[2]), case_fields.registered(fields[3]):
        yield fields


def _person_page(qtbot, wizard: IntakeWizard) -> PersonPage:
    wizard.next()  # the return: an official handover, one person
    wizard.next()  # the post's usual gate is preselected
    assert wizard.step() is IntakeStep.PERSON
    page = wizard.steps[IntakeStep.PERSON]
    assert isinstance(page, PersonPage)
    return page


def _row_label(page: PersonPage, name: str) -> str:
    label = page.form.labelForField(page.added.editors[name].widget)
    return label.text() if label is not None else ""  # type: ignore[attr-defined]


@pytest.mark.slow
def test_an_added_field_typed_at_intake_is_stored_with_the_new_case(
        qapp, qtbot, tmp_path: Path, added: tuple[CaseField, ...]) -> None:
    settings = Settings(data_dir=tmp_path / "desk", language="en", gate_code="CN-LAOCAI")
    services = build_services(settings, clock=FixedClock(datetime(2026, 3, 2, 9, 30)))
    ctx = build_context(services, Translator("en"), OFFICER, FakePrompter())
    try:
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        wait_idle(qtbot, ctx)
        wizard = window.new_intake()
        person = _person_page(qtbot, wizard)
        assert list(person.added.editors) == [NAME, "vaccinated_on", "carried_a_phone",
                                              "siblings_travelling"]
        assert _row_label(person, NAME) == "Preferred language of interview"
        assert person.added.values() == ExtraFields()  # nothing is stored unless typed
        person.family_name.setText("Giàng")
        person.given_name.setText("Mỷ")
        person.added.editors[NAME].widget.setText(VALUE)
        person.added.editors["vaccinated_on"].put(date(2026, 2, 21))
        person.added.editors["carried_a_phone"].put(False)
        wizard.next()
        assert wizard.step() is IntakeStep.REVIEW
        summary = wizard.steps[IntakeStep.REVIEW].summary.toPlainText()  # checked before registering
        assert (f"Preferred language of interview: {VALUE} \u00b7 Day vaccinated: 21/02/2026 \u00b7 "
                "Carried a phone: No") in summary and "Siblings travelling" not in summary
        wizard.back()  # what was typed is still there on the way back
        assert person.added.editors[NAME].get() == VALUE
        wizard.next()
        with qtbot.waitSignal(wizard.registered, timeout=20000) as registered:
            wizard.accept()
        (reference,) = registered.args[0].references
        stored = services.cases.get(OFFICER, reference)
        assert dict(stored.extra_fields) == {NAME: VALUE, "vaccinated_on": date(2026, 2, 21),
                                             "carried_a_phone": False}
        qtbot.waitUntil(lambda: window.case.case is not None
                        and window.case.case.reference == reference, timeout=10000)
        shown = window.case.view.identity.toPlainText()
        assert f"Preferred language of interview\n{VALUE}" in shown
        assert "Day vaccinated\n21/02/2026" in shown
        wait_idle(qtbot, ctx)
    finally:
        ctx.tasks.shutdown()
        services.close()


def test_a_role_is_asked_only_the_added_fields_it_may_edit(
        qtbot, ctx: AppContext, added: tuple[CaseField, ...]) -> None:
    ctx.actor = Actor("liaison.hai", Role.LIAISON)  # basic fields only
    wizard = IntakeWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    person = _person_page(qtbot, wizard)
    assert NAME not in person.added.editors
    assert list(person.added.editors) == ["vaccinated_on", "carried_a_phone", "siblings_travelling"]
    person.given_name.setText("Mai")
    person.added.editors["siblings_travelling"].put(2)
    wizard.next()
    with qtbot.waitSignal(wizard.registered, timeout=20000) as registered:
        wizard.accept()
    (reference,) = registered.args[0].references
    assert dict(ctx.services.db.cases[reference].extra_fields) == {"siblings_travelling": 2}


def test_without_added_fields_the_person_page_asks_nothing_more(qtbot, ctx: AppContext) -> None:
    bare = PersonPage(ctx)
    qtbot.addWidget(bare)
    assert bare.added.editors == {}
    with case_fields.registered(extra_field("vaccinated_on", FieldClass.BASIC, "day vaccinated",
                                            Share.EVERYONE, value_type=date)):
        asked = PersonPage(ctx)
        qtbot.addWidget(asked)
        assert asked.form.rowCount() == bare.form.rowCount() + 1


def test_the_service_refuses_an_added_value_the_role_may_not_edit(
        ctx: AppContext, added: tuple[CaseField, ...]) -> None:
    services = ctx.services
    entry = PersonEntry(given_name="Mai", extra_fields=ExtraFields({NAME: VALUE}))
    answers = IntakeAnswers(received_on=date(2026, 3, 1), gate_code="CN-LAOCAI", persons=(entry,))
    assert flow.drafts(answers)[0].extra_fields == ExtraFields({NAME: VALUE})
    with pytest.raises(PermissionDenied):
        flow.register(answers, reference=services.reference, store=services.imports,
                      actor=Actor("liaison.hai", Role.LIAISON), photos=None, today=date(2026, 3, 2))
    assert not services.db.cases  # nothing stored
