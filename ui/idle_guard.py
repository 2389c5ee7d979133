"""Idle lock for the desk: any input restarts the timer; when it runs out every page is hidden."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from repatriation.domain.account_policy import MAX_IDLE_MINUTES, MIN_IDLE_MINUTES, IdleLock, IdleLockPolicy

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class IdleGuard(QObject):
    """Watches application-wide input and hides ``protected`` when the idle time has passed.

    Unlocking is only through ``unlock`` after the same user re-authenticated (the caller shows
    the sign-in dialog on ``locked``). The clipboard is cleared on lock: it may hold a name.
    """

    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        protected: QWidget,
        username: str,
        minutes: int,
        now: Callable[[], datetime],
        check_interval_ms: int = 5000,
    ) -> None:
        super().__init__(protected)
        self._protected = protected
        self._now = now
        self.state = IdleLock(IdleLockPolicy(minutes), now())
        self.state.signed_in(username, now())
        self._timer = QTimer(self)
        self._timer.setInterval(check_interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self.state.activity(self._now())
        return False

    def check(self) -> bool:
        """Lock now if the idle time has passed; returns whether the desk is locked."""
        was_locked = self.state.locked
        if self.state.check(self._now()) and not was_locked:
            self._hide()
        return self.state.locked

    def set_minutes(self, minutes: int) -> None:
        """Apply a new idle time at once (from the settings page), keeping the last activity."""
        self.state.policy = IdleLockPolicy(min(max(minutes, MIN_IDLE_MINUTES), MAX_IDLE_MINUTES))
        self.check()

    def lock_now(self) -> None:
        """Lock at once (the lock button, a session lock)."""
        if not self.state.locked:
            self.state.lock()
            self._hide()

    def _hide(self) -> None:
        self._protected.hide()
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.clear()
        self.locked.emit()

    def unlock(self, username: str) -> None:
        """Show the desk again after ``username`` re-authenticated (raises for another user)."""
        self.state.unlock(username, self._now())
        self._protected.show()
        self.unlocked.emit()

    def stop(self) -> None:
        """Stop watching (the desk closes)."""
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
