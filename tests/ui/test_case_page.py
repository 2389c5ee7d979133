"""The case page: the file in tabs and every action through its dialog, on fake services."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from repatriation.domain.enums import CaseStatus, ConsentScope, Corridor, ReturnChannel, VerificationOutcome
from repatriation.domain.people import Person
from repatriation.services.cases import CaseDraft
from tests.ui.conftest import on_next_dialog, wait_idle
from tests.ui.fakes import OFFICER, FakeAttachments, FakeDocuments
from ui.context import AppContext
from ui.dialogs.consent_dialog import ConsentDialog
from ui.dialogs.transition_dialog import TransitionDialog
from ui.dialogs.verification_reply_dialog import VerificationReplyDialog
from ui.dialogs.verification_request_dialog import VerificationRequestDialog
from ui.pages.case_page import CasePage


@pytest.fixture
def opened(qtbot, ctx: AppContext) -> CasePage:
    draft = CaseDraft(
        Person("Giàng", "Sua", middle_name="Thị"),
        ReturnChannel.OFFICIAL_HANDOVER,
        Corridor.CHINA,
        date(2026, 2, 20),
        gate_code="CN-LAOCAI",
    )
    case = ctx.services.cases.open_case(OFFICER, draft)
    page = CasePage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.case_shown):
        page.show_case(case.reference)
    return page


def _reload(qtbot, page: CasePage, action) -> None:
    with qtbot.waitSignal(page.case_shown, timeout=5000):
        action()


def test_shows_the_file_and_audits_the_opening(opened: CasePage, ctx: AppContext) -> None:
    assert "Giàng Thị Sua" in opened.view.title.text()
    assert opened.view.status.text() == "Received"
    assert "Lào Cai" in opened.view.return_info.toPlainText()
    assert "Not in a batch yet" in opened.view.return_info.toPlainText()
    assert {e.action for e in opened.history_model.rows()} >= {"case_opened", "case_viewed"}
    assert not opened.view.reply_button.isEnabled()


def test_request_then_reply_then_move_on(qtbot, opened: CasePage, ctx: AppContext) -> None:
    def request(dialog: VerificationRequestDialog) -> None:
        dialog.requested_to.setCurrentText("Công an tỉnh Lào Cai")
        dialog._try_accept()

    on_next_dialog(request)
    _reload(qtbot, opened, opened.request_verification)
    case = opened.case
    assert case is not None and case.status is CaseStatus.VERIFICATION
    assert opened.verification_model.rowCount() == 1
    assert case.verifications[0].due_on is not None  # the deadline rule applied
    assert opened.view.reply_button.isEnabled()

    def reply(dialog: VerificationReplyDialog) -> None:
        dialog.outcome.setCurrentIndex(dialog.outcome.findData(VerificationOutcome.CONFIRMED))
        dialog._try_accept()

    on_next_dialog(reply)
    _reload(qtbot, opened, opened.record_reply)
    assert opened.case.verifications[0].outcome is VerificationOutcome.CONFIRMED

    def move(dialog: TransitionDialog) -> None:
        dialog.target.setCurrentIndex(dialog.target.findData(CaseStatus.AWAITING_HANDOVER))
        dialog._try_accept()

    on_next_dialog(move)
    _reload(qtbot, opened, opened.change_status)
    assert opened.case.status is CaseStatus.AWAITING_HANDOVER
    assert opened.view.status.text() == "Awaiting handover"


def test_refused_move_is_explained_in_words(qtbot, opened: CasePage, ctx: AppContext, prompter) -> None:
    def move(dialog: TransitionDialog) -> None:
        dialog.target.setCurrentIndex(dialog.target.findData(CaseStatus.VERIFICATION))
        dialog._try_accept()

    on_next_dialog(move)
    opened.change_status()
    wait_idle(qtbot, ctx)
    assert prompter.calls[-1][0] == "error"
    assert prompter.calls[-1][1] == "Send a verification request first."
    assert "verification_needs_request" in prompter.calls[-1][2]  # details for support


def test_consent_and_cancelled_dialog(qtbot, opened: CasePage, ctx: AppContext) -> None:
    on_next_dialog(lambda dialog: dialog.reject())
    opened.record_consent()
    wait_idle(qtbot, ctx)
    assert opened.case.consents == ()

    assert (
        "the consent of the child and of the representative is missing" in opened.view.consent.toPlainText()
    )

    def consent(dialog: ConsentDialog) -> None:
        texts = [label.text() for label in dialog.findChildren(QLabel)]
        dialog.explained = any("AND, from the age of 7, of the child too" in t for t in texts)
        dialog.scope.setCurrentIndex(dialog.scope.findData(ConsentScope.SERVICES))
        dialog._try_accept()  # the representative's name is missing: refused in words
        assert dialog.problem.text() == "Write the name of the representative who answered."
        dialog.representative_name.setText("Giàng A Pao (father)")
        seen.append(dialog)
        dialog._try_accept()

    seen: list[ConsentDialog] = []
    on_next_dialog(consent)
    _reload(qtbot, opened, opened.record_consent)
    assert [(c.subject.value, c.scope, c.given) for c in opened.case.consents] == [
        ("child", ConsentScope.SERVICES, True),
        ("representative", ConsentScope.SERVICES, True),
    ]
    text = opened.view.consent.toPlainText()
    assert "Giàng A Pao" in text and "Allowed" in text and seen[0].explained


def test_photos_are_stored_encrypted_only(qtbot, ctx: AppContext, prompter, tmp_path: Path) -> None:
    from PySide6.QtGui import QColor, QImage

    draft = CaseDraft(Person("Giàng", "Sua"), ReturnChannel.RESCUE, Corridor.CHINA, date(2026, 2, 20))
    ref = ctx.services.cases.open_case(OFFICER, draft).reference
    bare = CasePage(ctx)
    qtbot.addWidget(bare)
    assert bare.view.photo_button.isHidden()  # no attachment store: photos are never written in clear
    store = FakeAttachments()
    ctx.services.attachments = store
    page = CasePage(ctx)
    qtbot.addWidget(page)
    assert not page.view.photo_button.isHidden()
    with qtbot.waitSignal(page.case_shown):
        page.show_case(ref)
    image = QImage(32, 32, QImage.Format.Format_RGB32)
    image.fill(QColor("#2563eb"))
    photo = tmp_path / "sua.png"
    assert image.save(str(photo))
    prompter.files.append(photo)
    _reload(qtbot, page, page.add_photos)
    (stored,) = page.case.person.photos
    assert stored.media_type == "image/png" and stored.file_name == "sua.png"
    assert store.contents[stored.sha256] == photo.read_bytes()
    qtbot.waitUntil(lambda: "data:image/png;base64," in page.view.attachments.toHtml(), timeout=5000)
    assert "sua.png" in page.view.attachments.toPlainText()
    on_disk = [p for p in ctx.services.settings.data_dir.rglob("*") if p.is_file()]
    assert all(p.read_bytes() != photo.read_bytes() for p in on_disk)  # never written in clear


def test_intake_report_opens_in_the_desk_preview(qtbot, ctx: AppContext, prompter) -> None:
    documents = FakeDocuments()
    ctx.services.documents = documents
    draft = CaseDraft(Person("Lò", "Sử"), ReturnChannel.RESCUE, Corridor.LAO, date(2026, 2, 2))
    case = ctx.services.cases.open_case(OFFICER, draft)
    page = CasePage(ctx)
    qtbot.addWidget(page)
    assert not page.view.print_button.isHidden()
    with qtbot.waitSignal(page.case_shown):
        page.show_case(case.reference)
    page.print_intake_report()
    qtbot.waitUntil(lambda: bool(prompter.pdfs), timeout=5000)
    assert documents.rendered == [("intake_report", case.reference, None, "vi")]
    title, data, name = prompter.pdfs[0]
    assert data.startswith(b"%PDF") and name == case.reference and case.reference in title
