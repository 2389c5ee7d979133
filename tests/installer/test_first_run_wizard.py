"""The first-run wizard offscreen (pytest-qt): every page, refusals, the real set-up, the recovery sheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from i18n import Translator
from repatriation.bootstrap import build_services
from repatriation.config import Settings, load_settings
from repatriation.first_run import DeskFirstRuns, needs_first_run
from repatriation.vault import RecoveryCredentials, Vault
from tests.installer.kit import answers, cheap_first_run
from ui.tasks import TaskRunner
from ui.wizards.first_run_wizard import FirstRunWizard, run_first_run_wizard


@pytest.fixture
def wizard(qtbot, tmp_path: Path):
    printed = []
    tasks = TaskRunner()
    settings = Settings(data_dir=tmp_path / "data")
    wiz = FirstRunWizard(
        settings,
        Translator("vi"),
        first_run=cheap_first_run(settings.data_dir),
        tasks=tasks,
        printer=lambda document, parent: printed.append(document.toPlainText()),
    )
    wiz.printed = printed
    qtbot.addWidget(wiz)
    wiz.show()
    yield wiz
    tasks.shutdown()


def test_wizard_sets_the_post_up(qtbot, wizard, tmp_path: Path):
    data_dir = tmp_path / "data"
    assert wizard.currentPage() is wizard.language_page
    wizard.language_page.language.setCurrentIndex(wizard.language_page.language.findData("en"))
    assert wizard.tr_.language == "en"
    assert wizard.buttonText(QWizard.WizardButton.NextButton) == "Next"
    wizard.next()

    post = wizard.post_page
    assert wizard.currentPage() is post
    wizard.next()  # no name yet: refused, the problem is shown on the page
    assert wizard.currentPage() is post and post.problem.text()
    post.post_name.setText("Đồn Biên phòng Thử Nghiệm")
    post.post_code.setText("tn")
    post.corridor.setCurrentIndex(post.corridor.findData("LA"))
    gates = [post.gate.itemData(i) for i in range(post.gate.count())]
    assert gates[0] is None and all(code.startswith("LA-") for code in gates[1:]) and len(gates) > 1
    post.gate.setCurrentIndex(1)
    wizard.next()

    sup = wizard.supervisor_page
    assert wizard.currentPage() is sup
    sup.username.setText("chi.huy")
    sup.password.setText("mật khẩu rất dài 2026")
    sup.repeat.setText("mật khẩu rất dài 2025")
    wizard.next()
    assert wizard.currentPage() is sup and "not the same" in sup.problem.text()
    sup.repeat.setText("mật khẩu rất dài 2026")
    wizard.next()

    assert wizard.currentPage() is wizard.keys_page
    assert len(wizard.keys_page.passphrase.text().split("-")) == 12  # a suggested passphrase
    wizard.next()

    assert wizard.currentPage() is wizard.data_page
    assert str(data_dir) in wizard.data_page.where.text()
    assert not Vault(data_dir).is_set_up
    with qtbot.waitSignal(wizard.completed, timeout=30000) as done:
        wizard.next()  # runs the set-up off the GUI thread
    result = done.args[0]
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.recovery_page, timeout=5000)

    # The recovery sheet: shown once, printable, and Finish waits for the officer's confirmation.
    sheet = wizard.recovery_page.sheet.text()
    assert result.recovery_key in sheet and result.fingerprint in sheet
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()
    wizard.recovery_page.print_button.click()
    assert result.recovery_key in wizard.printed[0]
    assert wizard.keys_page.passphrase.text() in wizard.printed[0]
    wizard.recovery_page.confirmed.setChecked(True)
    assert finish.isEnabled()

    settings = load_settings(data_dir)
    assert not needs_first_run(settings)
    assert (settings.language, settings.post_code, settings.corridor) == ("en", "TN", "LA")
    assert settings.gate_code == gates[1]
    Vault(data_dir).unlock(RecoveryCredentials(result.recovery_key))
    assert wizard.first_run_result() is result


def test_the_sheet_warns_when_it_replaces_an_earlier_recovery_key(wizard, tmp_path: Path):
    from dataclasses import replace

    result = cheap_first_run(tmp_path / "other").complete(answers())
    wizard.result_ = result
    warning = "thay thế khóa đã hiển thị"  # vi: "replaces the one shown"
    assert warning not in wizard.sheet_html()
    wizard.result_ = replace(result, recovery_key_replaced=True)
    assert warning in wizard.sheet_html() and result.recovery_key in wizard.sheet_html()


def test_sheet_prints_to_pdf(qtbot, wizard, tmp_path: Path):
    from PySide6.QtPrintSupport import QPrinter

    wizard.result_ = cheap_first_run(tmp_path / "other").complete(answers())
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "sheet.pdf"
    printer.setOutputFileName(str(target))
    wizard.sheet_document().print_(printer)
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1000


def test_a_set_up_directory_skips_the_wizard(qapp, tmp_path: Path):
    data_dir = tmp_path / "data"
    cheap_first_run(data_dir).complete(answers())
    settings = load_settings(data_dir)
    assert run_first_run_wizard(settings, Translator("vi"), DeskFirstRuns(build_services)) == settings
