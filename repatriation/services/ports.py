"""Ports: the interfaces the use cases need, implemented by storage (and by fakes in tests)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from repatriation.domain.case import Case
from repatriation.domain.deadlines import DeadlineRuleSet, WorkingCalendar
from repatriation.domain.enums import Corridor
from repatriation.domain.handover import HandoverBatch
from repatriation.services.results import (
    AuditEntry,
    CasePage,
    CaseQuery,
    DueVerification,
    SearchExpansion,
)

if TYPE_CHECKING:  # the stores' own modules import this one
    from repatriation.services.account_ports import AccountRepository
    from repatriation.services.audit_verify import AuditChainReader
    from repatriation.services.bundle_ports import BundleStore
    from repatriation.services.inbox_ports import InboxStore
    from repatriation.services.retention import RetentionStore


class Clock(Protocol):
    """Time source; tests pass a fixed clock."""

    def now(self) -> datetime:
        """Current local date and time."""
        ...

    def today(self) -> date:
        """Current local date."""
        ...


class ReferenceLookup(Protocol):
    """What the use cases need from the reference data (``repatriation.reference``)."""

    version: str
    calendar: WorkingCalendar
    deadline_rules: DeadlineRuleSet

    def gate(self, code: str) -> Any:
        """The gate with ``code``; raises ``NotFoundError``."""
        ...

    def ethnic(self, code: str) -> Any:
        """The ethnic group with ``code``; raises ``NotFoundError``."""
        ...

    def province(self, code: str) -> Any:
        """The province with ``code`` in either scheme (``name``); raises ``NotFoundError``."""
        ...

    def province_scheme(self, code: str) -> str | None:
        """``"old"`` or ``"new"`` for a known province code, ``None`` for an unknown one."""
        ...

    def gates_for(self, corridor: Corridor, on: date | None = None) -> tuple[Any, ...]:
        """Gates of a corridor valid on ``on`` (objects with code, kind, name_vi)."""
        ...

    def ethnic_codes_matching(self, folded_text: str) -> tuple[str, ...]:
        """Ethnic codes whose name or alternative name contains the folded text."""
        ...

    def province_codes_matching(self, folded_text: str) -> tuple[str, ...]:
        """Old and new province codes whose old or new name contains the folded text."""
        ...


class CaseRepository(Protocol):
    """Case aggregates in and out."""

    def get(self, reference: str) -> Case:
        """Load a case; raises ``NotFoundError``."""
        ...

    def find(self, reference: str) -> Case | None:
        """Load a case or ``None``."""
        ...

    def find_by_global_id(self, global_id: str) -> Case | None:
        """The case with this global id (bundles match on it), or ``None``."""
        ...

    def add(self, case: Case) -> Case:
        """Insert a new case; returns it with its stored revision."""
        ...

    def add_many(self, cases: Sequence[Case]) -> None:
        """Insert many new cases at once (imports)."""
        ...

    def save(self, case: Case) -> Case:
        """Update a case; refuses with ``ConflictError`` when the stored revision moved on."""
        ...

    def next_reference(self, prefix: str, year: int) -> str:
        """Allocate the next free reference such as ``LC-2026-000042``."""
        ...

    def references_with_prefix(self, prefix: str) -> list[str]:
        """All references starting with ``prefix`` (for sequential allocation in bulk)."""
        ...

    def born_between(self, start: date, end: date, limit: int) -> list[str]:
        """References of cases (estimated) born in ``[start, end]``, or with no age recorded."""
        ...

    def count(self) -> int:
        """Number of cases stored."""
        ...


class BatchRepository(Protocol):
    """Handover batches in and out."""

    def get(self, reference: str) -> HandoverBatch:
        """Load a batch; raises ``NotFoundError``."""
        ...

    def add(self, batch: HandoverBatch) -> HandoverBatch:
        """Insert a new batch."""
        ...

    def save(self, batch: HandoverBatch) -> HandoverBatch:
        """Update a batch with an optimistic revision check."""
        ...

    def next_reference(self, prefix: str, year: int) -> str:
        """Allocate the next free batch reference."""
        ...

    def list_recent(self, limit: int = 100) -> list[HandoverBatch]:
        """Most recent batches first."""
        ...


class AuditLog(Protocol):
    """Append-only audit trail written inside the same transaction as the change."""

    def append(
        self,
        *,
        at: datetime,
        actor: str,
        action: str,
        entity: str,
        reference: str,
        details: dict[str, Any],
    ) -> None:
        """Add one entry."""
        ...

    def entries(self, reference: str | None = None, limit: int = 1000) -> list[AuditEntry]:
        """Entries, newest last; optionally only those about ``reference``."""
        ...


class CaseQueries(Protocol):
    """Read side: list pages and trackers straight from SQL, no aggregates."""

    def page(
        self, query: CaseQuery, today: date, expansion: SearchExpansion | None = None
    ) -> CasePage:
        """One page of case rows."""
        ...

    def due_verifications(self, today: date, horizon_days: int = 0) -> list[DueVerification]:
        """Open verifications due by ``today + horizon_days``, most overdue first."""
        ...


class UnitOfWork(Protocol):
    """One transaction per use case; nothing is written unless ``commit`` is called."""

    @property
    def cases(self) -> CaseRepository:
        """Case aggregates."""
        ...

    @property
    def batches(self) -> BatchRepository:
        """Handover batches."""
        ...

    @property
    def audit(self) -> AuditLog:
        """The audit trail."""
        ...

    @property
    def queries(self) -> CaseQueries:
        """Read-side queries."""
        ...

    @property
    def accounts(self) -> AccountRepository:
        """User accounts."""
        ...

    @property
    def retention(self) -> RetentionStore:
        """What retention reads and purges."""
        ...

    @property
    def audit_chain(self) -> AuditChainReader:
        """The audit chain as stored, for verification and checkpoints."""
        ...

    @property
    def bundle_store(self) -> BundleStore:
        """The key directory and what was exported and imported."""
        ...

    @property
    def inbox(self) -> InboxStore:
        """Changes received in bundles, waiting for a decision."""
        ...

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Make the changes durable."""
        ...

    def rollback(self) -> None:
        """Drop the changes."""
        ...


class UnitOfWorkFactory(Protocol):
    """Opens a fresh unit of work."""

    def __call__(self) -> UnitOfWork:
        """Open a new unit of work."""
        ...


def references(items: Iterable[Case]) -> frozenset[str]:
    """References of some cases, for a ``Changes`` summary."""
    return frozenset(c.reference for c in items)
