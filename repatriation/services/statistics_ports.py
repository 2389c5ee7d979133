"""The release ledger's port: what a recorded release holds, where it is kept and whose codes it covers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from repatriation.domain.statistics_spec import StatisticsSpec
from repatriation.domain.suppression import Key
from repatriation.services.ports import UnitOfWork


@dataclass(frozen=True)
class LedgerRecord:
    """One release as recorded: its full specification, what it published, and its data scope."""

    number: int
    released_at: datetime
    actor: str
    purpose: str
    dimensions: tuple[str, ...]
    period: str  # "2026-H1" or "2026"
    measure: str
    k: int
    method: str
    categories: tuple[tuple[str, ...], ...]
    entries: tuple[tuple[Key, str], ...]  # every cell and total with the text published
    scope: Mapping[str, str]  # case id -> "YYYY-MM|digest of its codes" (stays inside the post)
    epsilon: float = 0.0  # privacy loss of a noisy release; suppressed ones spend none


class ReleaseLedger(Protocol):
    """Where releases are recorded (``storage.statistics_ledger``), in the caller's transaction."""

    def records(self, uow: UnitOfWork) -> list[LedgerRecord]:
        """Every release, oldest first."""
        ...

    def append(self, uow: UnitOfWork, record: LedgerRecord) -> int:
        """Record a release; returns its number."""
        ...


class ScopeSource(Protocol):
    """Per case, the codes it counts under (``storage.statistics_queries``)."""

    def case_codes(self, spec: StatisticsSpec) -> dict[str, tuple[str, str]]:
        """Case id -> (month "YYYY-MM", its codes joined) for the spec's dimensions and period."""
        ...
