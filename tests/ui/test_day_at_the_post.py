"""A day at the Lao Cai post, driven through the desk as an officer would (pytest-qt offscreen).

First run (wizard, encrypted data directory), intake of a group of three, a verification request,
a handover session with both sides' officials, signatures and the printed minutes, reception,
consent, a bundle out to a second desk and back in, statistics. Any exception raised in a Qt slot
fails the test (``fail_on_slot_exception`` in conftest).
"""

from __future__ import annotations

import dataclasses
import io
from datetime import datetime
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from forms.renderer import ReportLabFormRenderer
from i18n import Translator
from repatriation.bootstrap import build_services
from repatriation.config import load_settings
from repatriation.crypto.bundle_adapter import AgeBundles
from repatriation.domain.care import Referral
from repatriation.domain.clock import FixedClock
from repatriation.domain.enums import (
    BatchStatus,
    CaseStatus,
    ConsentScope,
    VerificationKind,
    VerificationOutcome,
)
from repatriation.domain.handover import Official
from repatriation.domain.key_directory import AgencyKind
from repatriation.services.bundles import BundleService, ExportRequest
from repatriation.services.intake_flow import IntakeStep
from repatriation.vault import PasswordCredentials
from tests.cli_kit import run_cli
from tests.crypto.service_kit import FakeAttachments, Post, introduce, make_post
from tests.installer.kit import cheap_first_run, cheap_keys
from tests.ui.conftest import acknowledge_every_arrival, on_next_dialog, wait_idle
from tests.ui.fakes import OFFICER, FakePrompter
from ui.application import build_context
from ui.bundle_adapter import DeskBundles
from ui.dialogs.export_bundle_dialog import ExportBundleDialog
from ui.dialogs.import_bundle_dialog import ImportBundleDialog
from ui.dialogs.pdf_preview_dialog import PdfPreviewDialog
from ui.main_window import MainWindow
from ui.table_models.batch_member_table_model import MemberColumn
from ui.tasks import TaskRunner
from ui.wizards.first_run_wizard import FirstRunWizard

pytestmark = pytest.mark.slow
USER, PASSWORD = "chi.huy", "mật khẩu rất dài 2026"
NOW = datetime(2026, 3, 2, 9, 30)


def _first_run(qtbot, data_dir: Path) -> str:
    """Set the post up through the wizard; returns the key passphrase it suggested."""
    tasks = TaskRunner()
    wizard = FirstRunWizard(
        load_settings(data_dir), Translator("vi"), first_run=cheap_first_run(data_dir), tasks=tasks,
        printer=lambda document, parent: None,
    )  # fmt: skip
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.language_page.language.setCurrentIndex(wizard.language_page.language.findData("en"))
    wizard.next()
    post = wizard.post_page
    post.post_name.setText("Đồn Biên phòng Cửa khẩu Quốc tế Lào Cai (demo)")
    post.post_code.setText("LC")
    post.corridor.setCurrentIndex(post.corridor.findData("CN"))
    post.gate.setCurrentIndex(post.gate.findData("CN-LAOCAI"))
    wizard.next()
    sup = wizard.supervisor_page
    sup.username.setText(USER)
    sup.password.setText(PASSWORD)
    sup.repeat.setText(PASSWORD)
    wizard.next()
    assert wizard.currentPage() is wizard.keys_page, sup.problem.text()
    passphrase = wizard.keys_page.passphrase.text()
    wizard.next()
    assert wizard.currentPage() is wizard.data_page
    with qtbot.waitSignal(wizard.completed, timeout=60000):
        wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=5000)
    wizard.recovery_page.confirmed.setChecked(True)
    wizard.accept()
    tasks.shutdown()
    return passphrase


def test_a_day_at_the_post(qtbot, tmp_path: Path) -> None:
    data_dir = tmp_path / "laocai"
    key_passphrase = _first_run(qtbot, data_dir)
    settings = load_settings(data_dir)
    clock = FixedClock(NOW)
    credentials = PasswordCredentials(USER, PASSWORD)
    renderer = ReportLabFormRenderer()
    services = build_services(settings, clock=clock, credentials=credentials, renderer=renderer)
    officer = services.accounts.authenticate(USER, PASSWORD)
    keys = cheap_keys(services)
    attachments = FakeAttachments()
    bundles = BundleService(services.uow_factory, clock, keys, crypto=AgeBundles(),
                            attachments=attachments, staging_parent=data_dir)  # fmt: skip
    laocai = Post("lc", data_dir, services, keys, bundles, attachments, keys.unlock(key_passphrase))
    prompter = FakePrompter()
    ctx = build_context(services, Translator("en"), officer, prompter)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    wait_idle(qtbot, ctx)
    try:
        _day(qtbot, tmp_path, window, ctx, prompter, laocai, clock, key_passphrase)
    finally:
        ctx.tasks.shutdown()
        services.close()


def _day(qtbot, tmp_path, window, ctx, prompter, laocai, clock, key_passphrase) -> None:
    # 1. Intake of a group of three at the Lao Cai gate.
    wizard = window.new_intake()
    wizard.steps[IntakeStep.RETURN].group.setChecked(True)
    wizard.next()
    wizard.next()  # the post's gate is preselected
    wizard.steps[IntakeStep.GROUP].quick.setPlainText(
        "Giàng Thị Sua, F, 14\nLò Văn Sử, M, 2011-04-02\nVàng Thị Dợ, F, 12"
    )
    wizard.next()
    with qtbot.waitSignal(wizard.registered, timeout=20000) as registered:
        wizard.accept()
    refs = list(registered.args[0].references)
    assert len(refs) == 3 and all(r.startswith("LC-2026-") for r in refs)
    wait_idle(qtbot, ctx)

    # 2. A verification request for the first child, confirmed; all three wait for the handover.
    for number, ref in enumerate(refs):
        with qtbot.waitSignal(window.case.case_shown, timeout=10000):
            window.open_case(ref)
        if number == 0:
            on_next_dialog(lambda d: (d.requested_to.setCurrentText("Công an tỉnh Lào Cai"),
                                      d.kind.setCurrentIndex(d.kind.findData(VerificationKind.POLICE_IDENTITY)),
                                      d._try_accept()))  # fmt: skip
            with qtbot.waitSignal(window.case.case_shown, timeout=10000):
                window.case.view.request_button.click()
            on_next_dialog(_reply_confirmed)
            with qtbot.waitSignal(window.case.case_shown, timeout=10000):
                window.case.view.reply_button.click()
        on_next_dialog(lambda d: (d.target.setCurrentIndex(d.target.findData(CaseStatus.AWAITING_HANDOVER)),
                                  d._try_accept()))  # fmt: skip
        with qtbot.waitSignal(window.case.case_shown, timeout=10000):
            window.case.view.transition_button.click()
        assert window.case.case.status is CaseStatus.AWAITING_HANDOVER

    # 3. The handover session: both sides, signatures, saved, minutes printed, handed over.
    window.show_section("handover")
    handover = window.handover
    handover.new_batch()
    for ref in refs:
        handover.add_member(ref)
    handover.official_model.append_row(Official("Nguyễn Văn Bình", "Thiếu tá", "Đồn BP Lào Cai", side="vn"))
    handover.official_model.append_row(Official("Li Ming", "", "Hekou PSB", side="foreign"))
    for row, method in enumerate(("signature", "thumbprint", "mark")):
        handover.member_model.setData(handover.member_model.index(row, MemberColumn.SIGNATURE), method)
    assert handover.view.state.text() == ""
    with qtbot.waitSignal(handover.list_loaded, timeout=10000):
        qtbot.mouseClick(handover.view.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert handover.batch is not None and handover.batch_model.rowCount() == 1
    asked = prompter.secrets_asked
    prompter.secrets.append(key_passphrase)  # the desk asks once, to sign the printout's QR code
    qtbot.mouseClick(handover.view.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(prompter.pdfs), timeout=30000)
    assert prompter.secrets_asked == asked + 1
    title, minutes, name = prompter.pdfs[-1]
    # A counterpart checks the printout with nothing but the post's key card.
    (tmp_path / "minutes.pdf").write_bytes(minutes)
    (tmp_path / "post.card").write_text(laocai.keys.card(), encoding="utf-8")
    code, _, said = run_cli("--lang", "en", "--data-dir", str(tmp_path / "court"), "forms", "verify",
                            str(tmp_path / "minutes.pdf"), "--card", str(tmp_path / "post.card"))
    assert code == 0 and said.startswith("Genuine: handover_minutes"), said
    preview = PdfPreviewDialog(ctx.translator, title, minutes, name, lambda n: None, lambda t, m: None)
    qtbot.addWidget(preview)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "minutes-printed.pdf"))
    assert preview.print_to(printer) == len(preview.page_labels) >= 1
    printed = pypdf.PdfReader(tmp_path / "minutes-printed.pdf")
    rendered = pypdf.PdfReader(io.BytesIO(minutes))
    assert len(printed.pages) == len(rendered.pages)
    assert "Nguyễn Văn Bình" in "".join(page.extract_text() for page in rendered.pages)
    prompter.confirm_answers.append(True)
    qtbot.mouseClick(handover.view.handed_over_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: handover.batch.status is BatchStatus.HANDED_OVER, timeout=10000)
    wait_idle(qtbot, ctx)

    # 4. Reception acknowledges each child.
    window.show_section("reception")
    reception = window.reception
    acknowledge_every_arrival(qtbot, reception, len(refs))
    wait_idle(qtbot, ctx)

    # 5. Consent of the child and the representative for sharing with the reception centre.
    with qtbot.waitSignal(window.case.case_shown, timeout=10000):
        window.open_case(refs[0])

    def consent(d) -> None:
        d.scope.setCurrentIndex(d.scope.findData(ConsentScope.SHARE_WITH_AGENCIES))
        d.representative_name.setText("Giàng A Pao (father)")
        d._try_accept()

    on_next_dialog(consent)
    with qtbot.waitSignal(window.case.case_shown, timeout=10000):
        window.case.view.consent_button.click()
    assert window.case.case.has_consent(ConsentScope.SHARE_WITH_AGENCIES, clock.today())

    # 6. A bundle out to the provincial centre's desk, and back in with its update.
    centre = make_post(tmp_path, "centre", clock, agency="Trung tâm CTXH tỉnh Lào Cai (demo)")
    introduce(centre, laocai)
    centre_key = introduce(laocai, centre)
    with laocai.services.uow_factory() as uow:  # at Lao Cai, the centre is a reception centre
        store = uow.bundle_store
        entry = store.directory_entry(centre_key)
        store.put_entry(dataclasses.replace(entry, kind=AgencyKind.RECEPTION_CENTRE))
        uow.commit()
    try:
        _bundle_round_trip(qtbot, ctx, prompter, laocai, centre, refs[0], tmp_path, key_passphrase)
    finally:
        centre.services.close()

    # 7. Statistics of the day.
    if any(key == "statistics" for key, _ in window.sections):
        window.show_section("statistics")
        wait_idle(qtbot, ctx, 20000)
        assert window.width() <= 1366
    assert [c for c in prompter.calls if c[0] == "error"] == []


def _reply_confirmed(dialog) -> None:
    dialog.outcome.setCurrentIndex(dialog.outcome.findData(VerificationOutcome.CONFIRMED))
    dialog._try_accept()


def _bundle_round_trip(qtbot, ctx, prompter, laocai, centre, ref, tmp_path, key_passphrase) -> None:
    prompter.secrets.extend([key_passphrase] * 2)
    out = ExportBundleDialog(ctx, DeskBundles(laocai.bundles, ctx.translator), [ref])
    qtbot.addWidget(out)
    assert out.recipient.count() == 1, out.note.text()
    qtbot.waitUntil(lambda: out.items.count() > 0 or "error" in prompter.kinds(), timeout=20000)
    assert out.items.count() > 0, (prompter.calls, out.recipient.count())
    target = tmp_path / "to_centre.rdbundle"
    prompter.files.append(target)
    with qtbot.waitSignal(out.accepted, timeout=30000):
        out.export()
    assert prompter.calls[-1][2] == f"The bundle was saved to {target}."
    officer = dataclasses.replace(OFFICER)
    centre.bundles.import_bundle(officer, target, keystore=centre.keystore)
    assert centre.case(ref).person.full_name == laocai.case(ref).person.full_name
    # The centre adds a referral and sends the file back.
    back = tmp_path / "to_laocai.rdbundle"
    key = next(e.key_id for e in centre.keys.directory() if e.revoked_at is None)
    centre.services.cases.add_referral(officer, ref, Referral("Bệnh viện tỉnh Lào Cai (demo)", NOW.date()))
    request = ExportRequest((ref,), (key,))
    centre.bundles.export_bundle(officer, request, keystore=centre.keystore, out_path=back)
    importer = ImportBundleDialog(ctx, DeskBundles(laocai.bundles, ctx.translator))
    qtbot.addWidget(importer)
    prompter.files.append(back)
    importer.choose()
    qtbot.waitUntil(lambda: importer.import_button.isEnabled(), timeout=30000)
    with qtbot.waitSignal(ctx.tasks.data_changed, timeout=30000):
        importer.apply()
    qtbot.waitUntil(lambda: prompter.kinds()[-1:] == ["inform"], timeout=10000)
    assert prompter.calls[-1][2].startswith("The bundle was imported: ")
    # A change to a case the post holds waits in the import inbox until an officer accepts it.
    laocai.bundles.inbox.decide_case(officer, ref, True)
    assert laocai.case(ref).referrals[-1].to_body == "Bệnh viện tỉnh Lào Cai (demo)"
