"""Clocks: the system clock for the app, a fixed one for tests and demos."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


class SystemClock:
    """Local wall-clock time of the post's machine (naive, like the paper registers)."""

    def now(self) -> datetime:
        """Current local time, to the second."""
        return datetime.now().replace(microsecond=0)

    def today(self) -> date:
        """Current local date."""
        return date.today()


@dataclass
class FixedClock:
    """A clock that stays where it is put (tests, reproducible demos)."""

    current: datetime

    def now(self) -> datetime:
        """The fixed time."""
        return self.current

    def today(self) -> date:
        """The fixed date."""
        return self.current.date()

    def advance_days(self, days: int) -> None:
        """Move the clock forward."""
        self.current = datetime.fromordinal(self.current.toordinal() + days).replace(
            hour=self.current.hour, minute=self.current.minute
        )
