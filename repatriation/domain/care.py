"""Screening, reception and care records: consent, support, family assessment, follow-ups, closure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from repatriation.domain.enums import (
    ConsentScope,
    ConsentSubject,
    ExploitationForm,
    FollowUpStatus,
    Outcome,
    ScreeningStatus,
    SupportKind,
)

# Follow-up visits after reintegration, in months (domain.md 6: status at 3, 6 and 12 months).
FOLLOW_UP_MONTHS = (3, 6, 12)


@dataclass(frozen=True)
class Screening:
    """Victim-identification status and the forms of exploitation found."""

    status: ScreeningStatus = ScreeningStatus.RETURNED_CITIZEN
    exploitation_forms: tuple[ExploitationForm, ...] = ()
    decided_on: date | None = None
    decided_by: str = ""
    legal_basis: str = ""  # e.g. "Law 53/2024/QH15 art. 29"


@dataclass(frozen=True)
class Reception:
    """Arrival at a reception facility (social protection centre, NGO shelter)."""

    facility: str
    arrived_on: date
    received_by: str = ""
    acknowledged: bool = True


@dataclass(frozen=True)
class ConsentRecord:
    """A consent (or refusal) by the child or the representative, or a legal exemption."""

    subject: ConsentSubject
    scope: ConsentScope
    given: bool
    recorded_on: date
    given_by: str = ""
    # Law-enforcement processing may proceed without consent (PDPL 91/2025); the basis is noted.
    law_enforcement_exemption: bool = False
    withdrawn_on: date | None = None

    def active_on(self, day: date) -> bool:
        """Given, recorded by ``day`` and not withdrawn by then."""
        return (
            self.given
            and self.recorded_on <= day
            and (self.withdrawn_on is None or self.withdrawn_on > day)
        )


@dataclass(frozen=True)
class SupportDelivered:
    """One support item of Law 53/2024 art. 37 delivered on a day."""

    kind: SupportKind
    delivered_on: date
    provider: str = ""
    notes: str = ""


@dataclass(frozen=True)
class FamilyAssessment:
    """Family tracing and the safety/acceptance assessment before a child goes home."""

    traced_on: date | None = None
    family_found: bool = False
    safe_to_return: bool | None = None
    notes: str = ""


@dataclass(frozen=True)
class Referral:
    """Referral to another body (health, legal aid, school, another centre)."""

    to_body: str
    referred_on: date
    reason: str = ""


@dataclass(frozen=True)
class FollowUp:
    """A scheduled follow-up visit after reintegration."""

    months: int
    due_on: date
    status: FollowUpStatus = FollowUpStatus.DUE
    done_on: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class Closure:
    """Case closure: an outcome is mandatory."""

    closed_on: date
    outcome: Outcome
    notes: str = ""


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    next_month_first = date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month_first - timedelta(days=1)).day
    return date(year, month, min(day.day, last_day))


def follow_up_schedule(start: date) -> tuple[FollowUp, ...]:
    """The 3/6/12-month follow-ups counted from the day reintegration starts."""
    return tuple(FollowUp(months=m, due_on=add_months(start, m)) for m in FOLLOW_UP_MONTHS)
