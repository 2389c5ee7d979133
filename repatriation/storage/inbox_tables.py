"""The import inbox: received versions of our cases and their changes, pending or decided.

A received case is kept whole (``inbox_cases``, the JSON the bundle carried) so that a change
accepted later is read from exactly what was received; every difference is one row of
``inbox_changes`` that stays after the decision (applied, declined or superseded by a newer
bundle), with the bundle id, so decisions can be audited and revisited.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from repatriation.services.inbox_ports import InboxChangeRow, ReceivedCase
from repatriation.storage.tables import Base


class InboxCaseRow(Base):
    """A case as one bundle carried it (minimised by the sender, validated on import)."""

    __tablename__ = "inbox_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bundle_id: Mapped[str] = mapped_column(String(32), index=True)
    sender: Mapped[str] = mapped_column(String(64))
    sender_agency: Mapped[str] = mapped_column(String(200))
    global_id: Mapped[str] = mapped_column(String(36), index=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    paths: Mapped[str] = mapped_column(Text)  # JSON list: the paths this sender may change
    document: Mapped[str] = mapped_column(Text)


class InboxChangeTableRow(Base):
    """One field (or list item) a received case would change."""

    __tablename__ = "inbox_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    received_id: Mapped[int] = mapped_column(ForeignKey("inbox_cases.id"), index=True)
    global_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(64))
    item_key: Mapped[str | None] = mapped_column(String(300))
    ours: Mapped[str] = mapped_column(Text)
    theirs: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))  # pending, applied, declined, superseded
    decided_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (Index("ix_inbox_changes_global_state", "global_id", "state"),)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class SqlInboxStore:
    """``services.inbox_ports.InboxStore`` on the unit of work's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add_received(self, received: ReceivedCase) -> int:
        """Keep a received case; returns its id."""
        row = InboxCaseRow(bundle_id=received.bundle_id, sender=received.sender,
                           sender_agency=received.sender_agency, global_id=received.global_id,
                           sent_at=received.sent_at, received_at=received.received_at,
                           paths=_dumps(sorted(received.paths)), document=received.document)
        self._session.add(row)
        self._session.flush()
        return row.id

    def received(self, received_id: int) -> ReceivedCase:
        """One received case by id."""
        row = self._session.get(InboxCaseRow, received_id)
        assert row is not None
        return ReceivedCase(row.bundle_id, row.sender, row.sender_agency, row.global_id,
                            row.sent_at, row.received_at, frozenset(json.loads(row.paths)),
                            row.document, row.id)

    def add_change(self, received_id: int, row: InboxChangeRow) -> None:
        """Record one pending change; older pending changes of the same item are superseded."""
        self._session.execute(
            update(InboxChangeTableRow)
            .where(InboxChangeTableRow.global_id == row.global_id,
                   InboxChangeTableRow.field == row.field,
                   InboxChangeTableRow.item_key.is_(None) if row.item_key is None
                   else InboxChangeTableRow.item_key == row.item_key,
                   InboxChangeTableRow.state == "pending")
            .values(state="superseded"))
        self._session.add(InboxChangeTableRow(
            received_id=received_id, global_id=row.global_id, field=row.field,
            item_key=row.item_key, ours=_dumps(row.ours), theirs=_dumps(row.theirs),
            state="pending", decided_by="", decided_at=None))

    def changes(self, *, states: tuple[str, ...] = ("pending",), global_id: str | None = None,
                ids: tuple[int, ...] | None = None) -> list[InboxChangeRow]:
        """Changes in the given states, oldest first (optionally of one case or by ids)."""
        query = (select(InboxChangeTableRow, InboxCaseRow)
                 .join(InboxCaseRow, InboxCaseRow.id == InboxChangeTableRow.received_id)
                 .where(InboxChangeTableRow.state.in_(states))
                 .order_by(InboxChangeTableRow.id))
        if global_id is not None:
            query = query.where(InboxChangeTableRow.global_id == global_id)
        if ids is not None:
            query = query.where(InboxChangeTableRow.id.in_(ids))
        return [InboxChangeRow(
            id=change.id, received_id=change.received_id, global_id=change.global_id,
            field=change.field, item_key=change.item_key, ours=json.loads(change.ours),
            theirs=json.loads(change.theirs), state=change.state,
            bundle_id=received.bundle_id, sender_agency=received.sender_agency,
            sent_at=received.sent_at, decided_by=change.decided_by,
            decided_at=change.decided_at,
        ) for change, received in self._session.execute(query).all()]

    def decide(self, change_id: int, state: str, by: str, at: datetime | None) -> None:
        """Mark a change applied, declined, or pending again."""
        self._session.execute(update(InboxChangeTableRow)
                              .where(InboxChangeTableRow.id == change_id)
                              .values(state=state, decided_by=by, decided_at=at))

