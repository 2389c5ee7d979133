"""Frozen DTOs the services hand to the UI and CLI: list rows, pages, queries, change summaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from repatriation.domain.enums import (
    CaseStatus,
    Corridor,
    ReturnChannel,
    ScreeningStatus,
    Sex,
    VerificationKind,
)


class CaseSort(StrEnum):
    """Columns the case list can be sorted by."""

    RECEIVED_ON = "received_on"
    NAME = "name"
    STATUS = "status"
    NEXT_DUE = "next_due"
    REFERENCE = "reference"


@dataclass(frozen=True)
class AgeBand:
    """Ages ``low`` to ``high`` inclusive, in completed years on the query day."""

    low: int
    high: int


@dataclass(frozen=True)
class CaseQuery:
    """Filters and paging for the case list; every field is optional."""

    text: str = ""  # folded, diacritic-insensitive match on names and aliases
    corridor: Corridor | None = None
    channel: ReturnChannel | None = None
    status: CaseStatus | None = None
    screening: ScreeningStatus | None = None
    sex: Sex | None = None
    age_band: AgeBand | None = None
    overdue_only: bool = False
    ethnic_code: str | None = None
    province_new: str | None = None
    sort: CaseSort = CaseSort.RECEIVED_ON
    descending: bool = True
    offset: int = 0
    limit: int = 200
    count_cap: int = 5000


@dataclass(frozen=True)
class SearchExpansion:
    """Codes a search text also matches: ethnic groups by alternative name, provinces by old name."""

    ethnic_codes: tuple[str, ...] = ()
    province_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseSummary:
    """One row of the case list: what an officer needs to pick the next action."""

    reference: str
    full_name: str
    sex: Sex
    age: int | None
    corridor: Corridor
    channel: ReturnChannel
    status: CaseStatus
    screening: ScreeningStatus
    received_on: date
    gate_code: str | None
    ethnic_code: str
    next_due: date | None
    overdue: bool
    batch_reference: str | None = None


@dataclass(frozen=True)
class CasePage:
    """A page of rows and the total matching the filters."""

    rows: tuple[CaseSummary, ...]
    total: int  # capped at ``CaseQuery.count_cap`` when ``total_exact`` is False
    offset: int
    total_exact: bool = True


@dataclass(frozen=True)
class DueVerification:
    """A verification that is due or overdue: for the tracker and ``verifications overdue``."""

    case_reference: str
    full_name: str
    request_id: str
    kind: VerificationKind
    requested_to: str
    sent_on: date | None
    due_on: date
    days_overdue: int
    legal_reference: str


@dataclass(frozen=True)
class AuditEntry:
    """One audit record as read back (codes and references only, no personal data)."""

    sequence: int
    at: datetime
    actor: str
    action: str
    entity: str
    reference: str
    details: str  # canonical JSON
    entry_hash: str


@dataclass(frozen=True)
class Changes:
    """What a use case changed, so pages refresh themselves from one signal."""

    cases: frozenset[str] = field(default_factory=frozenset)
    batches: frozenset[str] = field(default_factory=frozenset)
    settings: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.cases | other.cases, self.batches | other.batches, self.settings or other.settings
        )

    @property
    def empty(self) -> bool:
        """Nothing changed."""
        return not (self.cases or self.batches or self.settings)


@dataclass(frozen=True)
class ImportReport:
    """Outcome of an import: how many cases were created."""

    created: int
    references: tuple[str, ...]
    changes: Changes


@dataclass(frozen=True)
class SenderProblem:
    """A received checkpoint that contradicts an earlier one from the same sender."""

    code: str  # sender_log_cut_back | sender_log_rewritten | sender_checkpoints_reset
    sender: str
    number: int
    sequence: int
    earlier_number: int
    earlier_sequence: int
    earlier_received_at: datetime
