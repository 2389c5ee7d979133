"""Settings (live language switch, restart prompt), the main window shell and the task runner."""

from __future__ import annotations

import json
import threading

import pytest

from repatriation.domain.errors import DomainError, ValidationError
from repatriation.services.results import Changes
from tests.ui.conftest import wait_idle
from tests.ui.fakes import FakeBundles
from ui.context import AppContext
from ui.error_text import describe_error
from ui.fonts import FAMILIES, font_files, load_fonts
from ui.main_window import SECTIONS, MainWindow
from ui.pages.settings_page import SettingsPage, masked_url
from ui.tasks import TaskCancelled, TaskRunner


def test_settings_are_saved_and_need_a_restart(qtbot, ctx: AppContext, prompter) -> None:
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.post_name.setText("Đồn BP Mộc Bài (demo)")
    page.idle_lock.setValue(3)
    with (
        qtbot.waitSignal(page.saved, timeout=5000),
        qtbot.waitSignal(ctx.signals.idle_minutes_changed, timeout=5000) as idle,
    ):
        page.save()
    assert idle.args == [3]  # applied at once, not after a restart
    stored = json.loads((ctx.services.settings.data_dir / "settings.json").read_text(encoding="utf-8"))
    assert stored["post_name"] == "Đồn BP Mộc Bài (demo)" and stored["idle_lock_minutes"] == 3
    assert prompter.kinds() == ["inform"]
    assert ctx.services.settings.idle_lock_minutes == 3


def test_database_password_is_never_shown() -> None:
    assert (
        masked_url("postgresql+psycopg://desk:s3cret@db.local/cases")
        == "postgresql+psycopg://desk:***@db.local/cases"
    )
    assert masked_url(None) == ""


def test_language_switches_live_and_keeps_the_section(qtbot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show_section("settings")
    old_cases = window.cases
    settings = window.settings
    settings.language.setCurrentIndex(
        settings.language.findData("pseudo")
        if settings.language.findData("pseudo") >= 0
        else settings.language.findData("vi")
    )
    with qtbot.waitSignal(window.rebuilt, timeout=5000):
        settings.apply_language()
    assert ctx.translator.language == "vi"
    assert window.cases is not old_cases
    assert window.stack.currentWidget() is window.settings
    assert window.sidebar.count() == len(SECTIONS)  # no statistics service in the fakes
    wait_idle(qtbot, ctx)


def test_sidebar_and_case_navigation(qtbot, ctx: AppContext) -> None:
    from tests.ui.fakes import OFFICER

    ctx.services.demo.seed(OFFICER, 5)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    wait_idle(qtbot, ctx)
    window.sidebar.setCurrentRow(1)
    assert window.stack.currentWidget() is window.verification
    reference = sorted(ctx.services.db.cases)[0]
    with qtbot.waitSignal(window.case.case_shown, timeout=5000):
        window.cases.case_activated.emit(reference)
    assert window.stack.currentWidget() is window.case and window.sidebar.currentRow() == 0
    window.case.back.emit()
    assert window.stack.currentWidget() is window.cases
    assert not window.menuBar().actions()[0].menu().actions()[2].isEnabled()  # no bundles service yet


def test_bundle_export_and_import_dialogs(qtbot, ctx: AppContext, prompter, tmp_path) -> None:
    from tests.ui.fakes import OFFICER
    from ui.dialogs.export_bundle_dialog import ExportBundleDialog
    from ui.dialogs.import_bundle_dialog import ImportBundleDialog

    bundles = FakeBundles()
    ctx.bundles = bundles
    ctx.services.demo.seed(OFFICER, 2)
    refs = sorted(ctx.services.db.cases)
    export = ExportBundleDialog(ctx, bundles, refs)
    qtbot.addWidget(export)
    qtbot.waitUntil(lambda: export.items.count() == 2)
    assert "health notes left out" in export.items.item(0).text()
    target = tmp_path / "out.rdbundle"
    prompter.files.append(target)
    with qtbot.waitSignal(export.accepted, timeout=5000):
        export.export()
    assert export.exported == target and bundles.exported[0][0] == tuple(refs)
    importer = ImportBundleDialog(ctx, bundles)
    qtbot.addWidget(importer)
    prompter.files.append(target)
    importer.choose()
    qtbot.waitUntil(lambda: importer.items.count() == 2)
    with qtbot.waitSignal(ctx.tasks.data_changed, timeout=5000) as changed:
        importer.apply()
    assert changed.args[0] == Changes(cases=frozenset({"LC-2026-000999"}))
    assert importer.changes is not None and bundles.imported == [target]


def test_runner_orders_database_work_and_reports_errors(qtbot) -> None:
    runner = TaskRunner()
    threads: list[str] = []
    order: list[int] = []
    for n in range(5):
        runner.run_db(lambda n=n: (threads.append(threading.current_thread().name), n)[1], done=order.append)
    with qtbot.waitSignal(runner.failed, timeout=3000) as failed:
        runner.run_db(
            lambda: (_ for _ in ()).throw(ValidationError("missing_field", field="name")),
            error=lambda exc: None,
        )
    qtbot.waitUntil(lambda: runner.idle)
    assert order == [0, 1, 2, 3, 4]
    assert len(set(threads)) == 1 and threads[0].startswith("desk-db")
    assert isinstance(failed.args[1], ValidationError)
    runner.shutdown()


def test_runner_progress_cancel_and_data_changed(qtbot) -> None:
    runner = TaskRunner()
    started = threading.Event()
    release = threading.Event()

    def long_job(progress) -> int:
        progress(0, 3, "import_validated")
        started.set()
        release.wait(5)
        progress(1, 3, "import_validated")  # raises TaskCancelled: the officer pressed Cancel
        return 3

    reports: list[tuple[int, int, str]] = []
    runner.progress.connect(lambda task, done, total, code: reports.append((done, total, code)))
    with qtbot.waitSignal(runner.started) as began:
        task = runner.run(long_job, with_progress=True, cancellable=True, label="Import")
    qtbot.waitUntil(started.is_set)
    task.cancel()
    release.set()
    with qtbot.waitSignal(runner.failed, timeout=3000) as failed:
        pass
    assert began.args[0] is task and isinstance(failed.args[1], TaskCancelled)
    assert reports[0] == (0, 3, "import_validated")
    with qtbot.waitSignal(runner.data_changed, timeout=3000) as changed:
        runner.run_db(lambda: "LC-1", changes=lambda ref: Changes(cases=frozenset({ref})))
    assert changed.args[0].cases == {"LC-1"}
    with qtbot.assertNotEmitted(runner.data_changed, wait=100):
        runner.run_db(lambda: None, changes=lambda _r: Changes())
        qtbot.waitUntil(lambda: runner.idle)
    runner.shutdown()


def test_unhandled_errors_reach_the_officer(qtbot, ctx: AppContext, prompter) -> None:
    ctx.tasks.run_db(lambda: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    wait_idle(qtbot, ctx)
    assert prompter.calls[-1][:2] == (
        "error",
        "The file could not be read or written: No space left on device",
    )


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (ValidationError("missing_field", field="received_on"), "Please fill in the day received."),
        (ValidationError("no_such_code_at_all", x=1), "The data is not valid."),
        (DomainError("no_such_code_at_all", x=1), "The request was refused."),
        (RuntimeError("secret SQL with a name"), "Something went wrong. Nothing was saved."),
    ],
)
def test_error_words(error: BaseException, expected: str) -> None:
    from i18n import Translator

    text = describe_error(error, Translator("en"))
    assert text.message.startswith(expected)
    assert "secret" not in text.details  # details name the type and code, never the message


def test_fonts_cover_the_four_scripts(qapp) -> None:
    assert {p.name for p in font_files()} >= {
        "NotoSans-Regular.ttf",
        "NotoSansKhmer-Regular.ttf",
        "NotoSansLao-Regular.ttf",
    }
    families = load_fonts()
    assert set(FAMILIES) <= set(families)
    from PySide6.QtGui import QFont, QRawFont

    for family, sample in (
        ("Noto Sans Khmer", "\u1780\u17d2\u179a"),
        ("Noto Sans Lao", "\u0eaa\u0eb8"),
        ("Noto Sans CJK SC", "\u738b\u79c0\u82f1"),
        ("Noto Sans", "Nguy\u1ec5n"),
    ):
        raw = QRawFont.fromFont(QFont(family))
        assert raw.familyName() == family
        assert 0 not in raw.glyphIndexesForString(sample), family
