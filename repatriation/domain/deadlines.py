"""Deadlines from dated, configurable rules with their legal reference, and working-day arithmetic."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from repatriation.domain.enums import Corridor, VerificationKind
from repatriation.domain.errors import ValidationError


class DayUnit(StrEnum):
    """Whether a limit counts working days or calendar days."""

    WORKING = "working"
    CALENDAR = "calendar"


@dataclass(frozen=True)
class WorkingCalendar:
    """Saturdays, Sundays and the listed public holidays are not working days."""

    holidays: frozenset[date]
    source: str = ""  # e.g. "holidays 0.109 + overrides 2026-01"
    # Weekend days decreed working days to bridge a holiday (e.g. Sat 22 Aug 2026 in Viet Nam).
    working_weekend_days: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        """True on a weekday that is not a public holiday, or on a decreed working weekend day."""
        if day in self.working_weekend_days:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: date, days: int) -> date:
        """The day ``days`` working days after ``start`` (the start day itself does not count)."""
        if days < 0:
            raise ValidationError("negative_days", days=days)
        current = start
        remaining = days
        while remaining:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def subtract_working_days(self, end: date, days: int) -> date:
        """The day ``days`` working days before ``end``."""
        current = end
        remaining = days
        while remaining:
            current -= timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count


@dataclass(frozen=True)
class DeadlineRule:
    """A time limit, the instrument that sets it and the period it is in force."""

    code: str
    kind: VerificationKind
    amount: int
    unit: DayUnit
    legal_reference: str
    effective_from: date
    effective_to: date | None = None
    corridor: Corridor | None = None  # None: applies to every corridor
    before_event: bool = False  # True: the limit falls *before* the reference day (notices)

    def in_force_on(self, day: date) -> bool:
        """Whether the rule applies to something started on ``day``."""
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def due_date(self, start: date, calendar: WorkingCalendar) -> date:
        """The deadline for something started (or expected) on ``start``."""
        if self.unit is DayUnit.WORKING:
            if self.before_event:
                return calendar.subtract_working_days(start, self.amount)
            return calendar.add_working_days(start, self.amount)
        delta = timedelta(days=self.amount)
        return start - delta if self.before_event else start + delta


@dataclass(frozen=True)
class DeadlineRuleSet:
    """All rules; picks the most specific one in force on a given day."""

    rules: tuple[DeadlineRule, ...]

    @classmethod
    def of(cls, rules: Iterable[DeadlineRule]) -> DeadlineRuleSet:
        """Build a rule set from any iterable of rules."""
        return cls(tuple(rules))

    def find(self, kind: VerificationKind, corridor: Corridor, on: date) -> DeadlineRule | None:
        """The rule for ``kind`` on ``corridor`` in force on ``on``; corridor-specific wins.

        ``None`` means no limit is known: the limits fixed by the bilateral agreements were never
        published (domain.md 2.4), so the request simply carries no due date until one is set.
        """
        candidates = [r for r in self.rules if r.kind is kind and r.in_force_on(on)]
        specific = [r for r in candidates if r.corridor is corridor]
        general = [r for r in candidates if r.corridor is None]
        pool = specific or general
        if not pool:
            return None
        return max(pool, key=lambda r: r.effective_from)
