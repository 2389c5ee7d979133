"""The idle lock hides the desk after the configured time and only the same user unlocks it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from repatriation.domain.errors import DomainError
from ui.idle_guard import IdleGuard


class Clock:
    def __init__(self) -> None:
        self.current = datetime(2026, 3, 2, 9, 0)

    def __call__(self) -> datetime:
        return self.current


def test_idle_desk_locks_clears_clipboard_and_unlocks_for_the_same_user(qtbot: QtBot) -> None:
    clock = Clock()
    window = QLabel("Vàng Thị Mỷ (fictitious)")
    qtbot.addWidget(window)
    window.show()
    guard = IdleGuard(window, "lan", minutes=5, now=clock, check_interval_ms=60_000)
    QGuiApplication.clipboard().setText("Vàng Thị Mỷ")
    clock.current += timedelta(minutes=4)
    assert guard.check() is False and window.isVisible()
    guard.state.activity(clock())  # input restarts the timer
    clock.current += timedelta(minutes=4)
    assert guard.check() is False
    clock.current += timedelta(minutes=2)
    with qtbot.waitSignal(guard.locked, timeout=1000):
        assert guard.check() is True
    assert not window.isVisible()
    assert QGuiApplication.clipboard().text() == ""
    with pytest.raises(DomainError):
        guard.unlock("someone.else")
    assert not window.isVisible()
    with qtbot.waitSignal(guard.unlocked, timeout=1000):
        guard.unlock("lan")
    assert window.isVisible()
    guard.stop()


def test_out_of_range_minutes_are_refused(qtbot: QtBot) -> None:
    window = QLabel("x")
    qtbot.addWidget(window)
    with pytest.raises(DomainError):
        IdleGuard(window, "lan", minutes=30, now=Clock())


def test_new_idle_time_applies_at_once_and_lock_now_locks(qtbot: QtBot) -> None:
    clock = Clock()
    window = QLabel("desk")
    qtbot.addWidget(window)
    window.show()
    guard = IdleGuard(window, "lan", minutes=15, now=clock, check_interval_ms=60_000)
    clock.current += timedelta(minutes=6)
    assert guard.check() is False
    with qtbot.waitSignal(guard.locked, timeout=1000):
        guard.set_minutes(5)  # the settings page saved 5 minutes: 6 idle minutes lock at once
    assert not window.isVisible()
    guard.unlock("lan")
    with qtbot.waitSignal(guard.locked, timeout=1000):
        guard.lock_now()
    guard.stop()


def test_lock_now_is_in_the_menu_and_the_status_bar_with_ctrl_l(qtbot, ctx) -> None:
    from PySide6.QtGui import QKeySequence

    from ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    (action,) = [a for a in window.menuBar().actions()[0].menu().actions() if a.text() == "Lock now"]
    assert action.shortcut() == QKeySequence("Ctrl+L")
    with qtbot.waitSignal(ctx.signals.lock_requested, timeout=1000):
        action.trigger()
    with qtbot.waitSignal(ctx.signals.lock_requested, timeout=1000):
        window.lock_button.click()


@pytest.mark.parametrize(
    ("language", "cancel", "details"),
    [
        ("vi", "Hủy", "Hiện chi tiết..."),
        ("zh_CN", "取消", "显示详情..."),
        ("km", None, None),
        ("lo", None, None),
    ],
)
def test_qt_standard_dialogs_speak_the_desk_language(qapp, language, cancel, details) -> None:
    from PySide6.QtCore import QCoreApplication

    from i18n import Translator
    from ui.qt_translations import install_qt_translations

    translator = Translator(language)
    try:
        install_qt_translations(qapp, translator)
        shown_cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
        shown_details = QCoreApplication.translate("QMessageBox", "Show Details...")
        if cancel is not None:
            assert (shown_cancel, shown_details) == (cancel, details)
        else:  # Khmer and Lao: our catalog's words, not Qt's English
            assert shown_cancel == translator.gettext("Cancel") != "Cancel"
            assert shown_details == translator.gettext("Show details...") != "Show Details..."
        assert QCoreApplication.translate("QPrintWidget", "Printer") != "Printer"
    finally:
        install_qt_translations(qapp, Translator("en"))
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
