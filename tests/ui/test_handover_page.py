"""The handover session: build a batch, both sides, signatures, minutes, mark handed over."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt

from repatriation.domain.enums import BatchStatus, CaseStatus, Corridor, ReturnChannel, SignatureMethod
from repatriation.domain.handover import Official
from repatriation.domain.people import Person
from repatriation.services.cases import CaseDraft
from tests.ui.conftest import on_next_dialog, wait_idle
from tests.ui.fakes import OFFICER, FakeDocuments
from ui.context import AppContext
from ui.dialogs.case_picker_dialog import CasePickerDialog
from ui.pages.handover_page import HandoverPage
from ui.table_models.batch_member_table_model import MemberColumn


def _awaiting(ctx: AppContext, *names: str) -> list[str]:
    refs = []
    for name in names:
        draft = CaseDraft(
            Person("Lý", name),
            ReturnChannel.OFFICIAL_HANDOVER,
            Corridor.CHINA,
            date(2026, 2, 25),
            gate_code="CN-LAOCAI",
        )
        ref = ctx.services.cases.open_case(OFFICER, draft).reference
        db = ctx.services.db
        db.cases[ref] = replace(db.cases[ref], status=CaseStatus.AWAITING_HANDOVER)
        refs.append(ref)
    return refs


def _page(qtbot, ctx: AppContext) -> HandoverPage:
    page = HandoverPage(ctx)
    qtbot.addWidget(page)
    wait_idle(qtbot, ctx)
    return page


def _two_persons_both_sides(qtbot, ctx: AppContext) -> tuple[list[str], HandoverPage]:
    refs = _awaiting(ctx, "Mai", "Hoa")
    page = _page(qtbot, ctx)
    for ref in refs:
        page.add_member(ref, "x")
    page.official_model.append_row(Official("Nguyễn Văn Bình", "Thiếu tá", "Đồn BP Lào Cai", side="vn"))
    page.official_model.append_row(Official("Wang Wei", "", "Hekou PSB", side="foreign"))
    return refs, page


def test_picker_lists_waiting_cases_and_adds_them(qtbot, ctx: AppContext) -> None:
    refs = _awaiting(ctx, "Mai", "Hoa")
    page = _page(qtbot, ctx)

    def pick(dialog: CasePickerDialog) -> None:
        qtbot.waitUntil(lambda: dialog.list.count() == 2)
        dialog.list.selectAll()
        dialog.accept()

    on_next_dialog(pick)
    page.add_members()
    assert sorted(m.case_reference for m in page.member_model.rows()) == sorted(refs)
    assert page.member_model.index(0, MemberColumn.NAME).data().startswith("Lý ")


def test_full_session_from_plan_to_handed_over(qtbot, ctx: AppContext, prompter) -> None:
    documents = FakeDocuments()
    ctx.services.documents = documents
    refs, page = _two_persons_both_sides(qtbot, ctx)
    page.member_model.setData(page.member_model.index(0, MemberColumn.SIGNATURE), "thumbprint")
    page.member_model.setData(page.member_model.index(0, MemberColumn.HEALTH), "Khỏe")
    page.view.gate.setCurrentIndex(page.view.gate.findData("CN-LAOCAI"))
    with qtbot.waitSignal(page.batch_loaded, timeout=5000):
        page.save()
    wait_idle(qtbot, ctx)
    batch = page.batch
    assert batch is not None and batch.reference.startswith("LC-BG-2026-")
    assert ctx.services.db.cases[refs[0]].batch_reference == batch.reference
    assert page.view.state.text() == "1 person has not signed yet."
    assert page.batch_model.rowCount() == 1

    page.preview_minutes()
    qtbot.waitUntil(lambda: bool(prompter.pdfs), timeout=5000)
    assert documents.rendered == [("handover_minutes", None, batch.reference, "zh_CN")]
    assert prompter.pdfs[-1][1].startswith(b"%PDF") and prompter.pdfs[-1][2] == batch.reference

    page.mark_handed_over()
    qtbot.waitUntil(
        lambda: page.batch is not None and page.batch.status is BatchStatus.HANDED_OVER, timeout=5000
    )
    wait_idle(qtbot, ctx)
    assert all(ctx.services.db.cases[r].status is CaseStatus.HANDED_OVER for r in refs)
    stored = ctx.services.db.batches[batch.reference]
    assert (
        stored.members[0].signature is SignatureMethod.THUMBPRINT and stored.members[0].health_state == "Khỏe"
    )
    assert not page.view.save_button.isEnabled()
    assert page.member_model.read_only
    assert page.view.state.text().startswith("Handed over at")


def test_handover_without_officials_is_refused_in_words(qtbot, ctx: AppContext, prompter) -> None:
    (ref,) = _awaiting(ctx, "Lan")
    page = _page(qtbot, ctx)
    page.add_member(ref)
    page.mark_handed_over()
    qtbot.waitUntil(lambda: "error" in prompter.kinds(), timeout=5000)
    assert prompter.calls[-1][1] == "Add an official for each side before marking the handover."
    assert ctx.services.db.cases[ref].status is CaseStatus.AWAITING_HANDOVER


def test_cancel_releases_the_persons(qtbot, ctx: AppContext, prompter) -> None:
    (ref,) = _awaiting(ctx, "Lan")
    page = _page(qtbot, ctx)
    page.add_member(ref)
    with qtbot.waitSignal(page.batch_loaded, timeout=5000):
        page.save()
    wait_idle(qtbot, ctx)
    prompter.confirm_answers.append(True)
    page.cancel_batch()
    qtbot.waitUntil(
        lambda: page.batch is not None and page.batch.status is BatchStatus.CANCELLED, timeout=5000
    )
    assert ctx.services.db.cases[ref].batch_reference is None


def test_buttons_save_list_recount_and_warn_about_unsigned(qtbot, ctx: AppContext, prompter) -> None:
    """Driven by clicks, as an officer does: Save used to raise TypeError on every click."""
    _refs, page = _two_persons_both_sides(qtbot, ctx)
    assert page.view.state.text() == "2 persons have not signed yet."
    with qtbot.waitSignal(page.list_loaded, timeout=5000):
        qtbot.mouseClick(page.view.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert page.batch is not None and page.batch.status is BatchStatus.PLANNED
    assert page.batch_model.rowCount() == 1  # the planned batch is listed at once

    page.member_model.setData(page.member_model.index(0, MemberColumn.SIGNATURE), "signature")
    assert page.view.state.text() == "1 person has not signed yet."  # not stale

    prompter.confirm_answers.append(False)
    qtbot.mouseClick(page.view.handed_over_button, Qt.MouseButton.LeftButton)
    title_text = prompter.calls[-1][2]
    assert title_text.startswith("Warning: 1 person has not signed the minutes")
    assert ctx.services.db.batches[page.batch.reference].status is BatchStatus.PLANNED


def test_handing_over_needs_someone_to_hand_over(qtbot, ctx: AppContext) -> None:
    refs = _awaiting(ctx, "Mai")
    page = _page(qtbot, ctx)
    page.new_batch()
    assert not page.view.handed_over_button.isEnabled()  # a new, empty batch: nobody to hand over
    page.add_member(refs[0], "x")
    assert page.view.handed_over_button.isEnabled()
    page.member_model.remove_row_at(0)
    assert not page.view.handed_over_button.isEnabled()
