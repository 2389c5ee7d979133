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
