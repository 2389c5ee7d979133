"""Ports and rows of the import inbox (storage plugs ``InboxStore`` in, see ``storage.inbox_tables``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

PENDING, APPLIED, DECLINED, SUPERSEDED = "pending", "applied", "declined", "superseded"


@dataclass(frozen=True)
class ReceivedCase:
    """One case as a bundle carried it, with the paths its sender may change here."""

    bundle_id: str
    sender: str  # key id
    sender_agency: str
    global_id: str
    sent_at: datetime
    received_at: datetime
    paths: frozenset[str]
    document: str  # the case JSON as received (already validated)
    id: int | None = None


@dataclass(frozen=True)
class InboxChangeRow:
    """One stored change and the bundle it came with."""

    id: int
    received_id: int
    global_id: str
    field: str
    item_key: str | None
    ours: Any
    theirs: Any
    state: str
    bundle_id: str = ""
    sender_agency: str = ""
    sent_at: datetime | None = None
    decided_by: str = ""
    decided_at: datetime | None = None


class InboxStore(Protocol):
    """Received cases and their changes."""

    def add_received(self, received: ReceivedCase) -> int:
        """Keep a received case; returns its id."""
        ...

    def received(self, received_id: int) -> ReceivedCase:
        """One received case by id."""
        ...

    def add_change(self, received_id: int, row: InboxChangeRow) -> None:
        """Record a pending change (older pending ones of the same item are superseded)."""
        ...

    def changes(self, *, states: tuple[str, ...] = (PENDING,), global_id: str | None = None,
                ids: tuple[int, ...] | None = None) -> list[InboxChangeRow]:
        """Stored changes, oldest first."""
        ...

    def decide(self, change_id: int, state: str, by: str, at: datetime | None) -> None:
        """Set a change's state."""
        ...


