"""Care steps the desk could not record before: family assessment, referral, notes, reintegration, visits."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from repatriation.domain.care import follow_up_schedule
from repatriation.domain.enums import CaseStatus, Corridor, FollowUpStatus, ReturnChannel
from repatriation.domain.people import Person
from repatriation.services.cases import CaseDraft
from tests.ui.conftest import on_next_dialog, wait_idle
from tests.ui.fakes import OFFICER
from ui.context import AppContext
from ui.dialogs.care_dialogs import FamilyAssessmentDialog, NotesDialog, ReferralDialog
from ui.dialogs.follow_up_dialog import FollowUpDialog
from ui.dialogs.transition_dialog import TransitionDialog
from ui.pages.case_page import CasePage


def _page(qtbot, ctx: AppContext, status: CaseStatus = CaseStatus.IN_CARE) -> CasePage:
    draft = CaseDraft(Person("Giàng", "Sua"), ReturnChannel.RESCUE, Corridor.CHINA, date(2026, 2, 20))
    ref = ctx.services.cases.open_case(OFFICER, draft).reference
    db = ctx.services.db
    db.cases[ref] = replace(db.cases[ref], status=status)
    page = CasePage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.case_shown):
        page.show_case(ref)
    return page


def _act(qtbot, page: CasePage, fill, action) -> None:
    on_next_dialog(fill)
    with qtbot.waitSignal(page.case_shown, timeout=5000):
        action()


def test_family_assessment_referral_and_notes_are_recorded_and_shown(qtbot, ctx: AppContext) -> None:
    page = _page(qtbot, ctx)

    def assess(dialog: FamilyAssessmentDialog) -> None:
        dialog.family_found.setChecked(True)
        dialog.safe.setCurrentIndex(dialog.safe.findData(True))
        dialog.notes.setPlainText("Mẹ và bà ngoại ở Sa Pa")
        dialog._try_accept()

    _act(qtbot, page, assess, lambda: page.view.family_button.click())
    assert page.case.family_assessment.safe_to_return is True

    def refer(dialog: ReferralDialog) -> None:
        dialog._try_accept()
        assert dialog.problem.text() == "Please fill in the body referred to."
        dialog.to_body.setText("Bệnh viện Đa khoa tỉnh Lào Cai")
        dialog.reason.setPlainText("Khám sức khỏe")
        dialog._try_accept()

    _act(qtbot, page, refer, lambda: page.view.referral_button.click())

    def notes(dialog: NotesDialog) -> None:
        dialog.health.setPlainText("Suy dinh dưỡng nhẹ")
        dialog.narrative.setPlainText("Lời kể của em")
        dialog._try_accept()

    _act(qtbot, page, notes, lambda: page.view.notes_button.click())
    case = ctx.services.db.cases[page.case.reference]
    assert case.referrals[0].to_body == "Bệnh viện Đa khoa tỉnh Lào Cai"
    assert (case.health_notes, case.exploitation_narrative) == ("Suy dinh dưỡng nhẹ", "Lời kể của em")
    shown = page.view.care.toPlainText()
    for text in ("Mẹ và bà ngoại ở Sa Pa", "Bệnh viện Đa khoa tỉnh Lào Cai", "Suy dinh dưỡng nhẹ"):
        assert text in shown


def test_reintegration_is_confirmed_and_names_a_missing_assessment(qtbot, ctx: AppContext, prompter) -> None:
    page = _page(qtbot, ctx)

    def to_reintegration(dialog: TransitionDialog) -> None:
        dialog.target.setCurrentIndex(dialog.target.findData(CaseStatus.REINTEGRATION))
        dialog._try_accept()

    prompter.confirm_answers.append(False)
    on_next_dialog(to_reintegration)
    page.view.transition_button.click()
    wait_idle(qtbot, ctx)
    assert "No family assessment is recorded for Giàng Sua" in prompter.calls[-1][2]
    assert ctx.services.db.cases[page.case.reference].status is CaseStatus.IN_CARE

    prompter.confirm_answers.append(True)
    _act(qtbot, page, to_reintegration, lambda: page.view.transition_button.click())
    assert page.case.status is CaseStatus.REINTEGRATION


def test_follow_up_is_planned_until_the_visit_is_recorded(qtbot, ctx: AppContext) -> None:
    page = _page(qtbot, ctx, CaseStatus.REINTEGRATION)
    ref = page.case.reference
    db = ctx.services.db
    db.cases[ref] = replace(db.cases[ref], follow_ups=follow_up_schedule(date(2026, 3, 2)))
    with qtbot.waitSignal(page.case_shown):
        page.show_case(ref)

    def plan(dialog: FollowUpDialog) -> None:
        assert dialog.status.currentData() == FollowUpStatus.DUE and not dialog.done_on.isEnabled()
        dialog.planned_on.setDate(date(2026, 6, 9))
        dialog._try_accept()

    _act(qtbot, page, plan, lambda: page.view.follow_up_button.click())
    first = db.cases[ref].follow_ups[0]
    assert (first.status, first.due_on, first.done_on) == (FollowUpStatus.DUE, date(2026, 6, 9), None)

    def visited(dialog: FollowUpDialog) -> None:
        dialog.status.setCurrentIndex(dialog.status.findData(FollowUpStatus.DONE))
        assert dialog.done_on.isEnabled()
        dialog.done_on.setDate(date(2026, 6, 10))
        dialog._try_accept()

    _act(qtbot, page, visited, lambda: page.view.follow_up_button.click())
    first = db.cases[ref].follow_ups[0]
    assert (first.status, first.done_on) == (FollowUpStatus.DONE, date(2026, 6, 10))


def test_missing_consent_is_named_as_such_not_as_a_role_refusal() -> None:
    from i18n import Translator
    from repatriation.domain.errors import PermissionDenied
    from ui.error_text import describe_error

    text = describe_error(
        PermissionDenied("consent_missing", case="LC-2026-000001", scope="share_abroad"), Translator("en")
    ).message
    assert text.startswith('Case LC-2026-000001 cannot be shared for "')
    assert "consent is missing" in text and "share_abroad" not in text and "role" not in text
