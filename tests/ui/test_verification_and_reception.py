"""The verification tracker and the reception page, on fake services."""

from __future__ import annotations

from datetime import date

from repatriation.domain.care import Reception
from repatriation.domain.enums import CaseStatus, Corridor, ReturnChannel, SupportKind, VerificationKind
from repatriation.domain.enums import VerificationOutcome as Outcome
from repatriation.domain.people import Person
from repatriation.services.cases import CaseDraft
from repatriation.services.verifications import VerificationDraft
from tests.ui.conftest import on_next_dialog, wait_idle
from tests.ui.fakes import OFFICER
from ui.context import AppContext
from ui.pages.reception_page import ReceptionPage
from ui.pages.verification_page import OVERDUE, VerificationPage
from ui.table_models.base import KEY_ROLE
from ui.table_models.due_table_model import DueColumn


def _case(ctx: AppContext, name: str, sent_on: date, to: str = "Công an tỉnh Hà Giang") -> str:
    draft = CaseDraft(Person("Vàng", name), ReturnChannel.OFFICIAL_HANDOVER, Corridor.CHINA, date(2026, 1, 5))
    case = ctx.services.cases.open_case(OFFICER, draft)
    ctx.services.verifications.request(
        OFFICER, case.reference, VerificationDraft(VerificationKind.POLICE_IDENTITY, "Post", to, sent_on)
    )
    return case.reference


def test_tracker_counts_overdue_and_who_is_waited_on(qtbot, ctx: AppContext) -> None:
    late = _case(ctx, "Dợ", date(2026, 1, 5))  # 20 working days: overdue on 2 Mar
    _case(ctx, "Mỷ", date(2026, 2, 27), to="Cục Quản lý xuất nhập cảnh")
    page = VerificationPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        pass
    assert page.model.rowCount() == 2
    assert "1 overdue" in page.summary.text()
    assert page.waiting.item(0).text().startswith("Công an tỉnh Hà Giang: 1 request - 1 late")
    page.period.setCurrentIndex(page.period.findData(OVERDUE))
    assert page.model.rowCount() == 1
    assert page.model.index(0, DueColumn.CASE).data() == late
    assert page.model.index(0, DueColumn.DEADLINE).data().startswith("Overdue")


def test_reply_from_the_tracker_removes_the_row(qtbot, ctx: AppContext) -> None:
    ref = _case(ctx, "Dợ", date(2026, 1, 5))
    page = VerificationPage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.table.selectRow(0)
    with qtbot.waitSignal(page.case_activated) as opened:
        page._open_selected()
    assert opened.args == [ref]
    on_next_dialog(
        lambda d: (d.outcome.setCurrentIndex(d.outcome.findData(Outcome.CONFIRMED)), d._try_accept())
    )
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.record_reply()
    assert page.model.rowCount() == 0
    assert ctx.services.db.cases[ref].verifications[0].outcome is Outcome.CONFIRMED


def _handed_over(ctx: AppContext, name: str) -> str:
    from dataclasses import replace

    draft = CaseDraft(Person("Sùng", name), ReturnChannel.OFFICIAL_HANDOVER, Corridor.CHINA, date(2026, 2, 1))
    case = ctx.services.cases.open_case(OFFICER, draft)
    db = ctx.services.db
    db.cases[case.reference] = replace(db.cases[case.reference], status=CaseStatus.HANDED_OVER)
    return case.reference


def test_reception_acknowledges_receipt_then_plans_care(qtbot, ctx: AppContext) -> None:
    ref = _handed_over(ctx, "Pàng")
    page = ReceptionPage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.incoming_model.total == 1)
    assert page.care_model.total == 0
    page.incoming.selectRow(0)
    assert page.incoming.currentIndex().data(KEY_ROLE) == ref

    def receive(dialog) -> None:
        dialog.facility.setCurrentText("Trung tâm CTXH tỉnh Lào Cai")
        dialog._try_accept()

    on_next_dialog(receive)
    page.acknowledge_receipt()
    qtbot.waitUntil(lambda: page.care_model.total == 1 and page.incoming_model.total == 0, timeout=5000)
    case = ctx.services.db.cases[ref]
    assert case.status is CaseStatus.IN_CARE and case.reception == Reception(
        "Trung tâm CTXH tỉnh Lào Cai", date(2026, 3, 2), OFFICER.username
    )
    page.select(ref)
    qtbot.waitUntil(lambda: page.selected is not None)
    assert "Trung tâm CTXH" in page.plan.toPlainText()

    def support(dialog) -> None:
        dialog.kind.setCurrentIndex(dialog.kind.findData(SupportKind.MEDICAL))
        dialog._try_accept()

    on_next_dialog(support)
    page.add_support()
    qtbot.waitUntil(lambda: bool(page.selected and page.selected.support), timeout=5000)
    assert "Medical care" in page.plan.toPlainText()
    page.start_reintegration()
    qtbot.waitUntil(
        lambda: bool(page.selected and page.selected.status is CaseStatus.REINTEGRATION), timeout=5000
    )
    assert len(page.selected.follow_ups) == 3 and page.follow_up_button.isEnabled()


def test_acknowledge_without_a_choice_explains(qtbot, ctx: AppContext, prompter) -> None:
    page = ReceptionPage(ctx)
    qtbot.addWidget(page)
    wait_idle(qtbot, ctx)
    page.acknowledge_receipt()
    assert prompter.kinds() == ["inform"]
