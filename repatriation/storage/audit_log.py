"""The hash-chained audit log: h_i = SHA-256(0x00 || h_(i-1) || canonical entry_i)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from repatriation.domain.audit_records import DOCS_KEY
from repatriation.services.results import AuditEntry
from repatriation.storage.tables import AuditHeadRow, AuditRow

GENESIS_HASH = "0" * 64


def canonical_entry(
    sequence: int, at: datetime, actor: str, action: str, entity: str, reference: str, details: str
) -> bytes:
    """The bytes an entry's hash covers (sorted keys, no spaces, UTF-8)."""
    payload = {
        "sequence": sequence,
        "at": at.isoformat(),
        "actor": actor,
        "action": action,
        "entity": entity,
        "reference": reference,
        "details": details,
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def chain_hash(prev_hash: str, entry: bytes) -> str:
    """Next link of the chain."""
    return hashlib.sha256(b"\x00" + bytes.fromhex(prev_hash) + entry).hexdigest()


class SqlAuditLog:
    """Appends entries in the caller's transaction; the head row serialises concurrent writers.

    ``written`` hands over the hashes of the case documents this transaction wrote: the next
    entry records them, so ``audit verify`` can tell a row changed outside the services.
    """

    def __init__(self, session: Session, written: Callable[[], dict[str, str]] | None = None,
                 now: datetime | None = None) -> None:
        self._session = session
        self._written = written
        self._last: tuple[datetime, str] | None = (now, "system") if now else None

    def flush(self) -> None:
        """Record documents written after the transaction's last entry (called before commit)."""
        documents = self._written() if self._written else {}
        if documents:
            at, actor = self._last or (datetime.now(), "system")  # the unit of work passes now
            self._append(at, actor, "case_documents_written", "case", "", {}, documents)

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
        """Add one entry linked to the current head (with the case documents written so far)."""
        self._last = (at, actor)
        documents = self._written() if self._written else {}
        self._append(at, actor, action, entity, reference, details, documents)

    def _append(self, at: datetime, actor: str, action: str, entity: str, reference: str,
                details: dict[str, Any], documents: dict[str, str]) -> None:
        if documents:
            details = {**details, DOCS_KEY: documents}
        head = self._session.execute(
            select(AuditHeadRow.sequence, AuditHeadRow.head_hash)
            .where(AuditHeadRow.id == 1)
            .with_for_update()
        ).one_or_none()
        sequence, prev = (head.sequence + 1, head.head_hash) if head else (1, GENESIS_HASH)
        text = json.dumps(details, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        entry_hash = chain_hash(
            prev, canonical_entry(sequence, at, actor, action, entity, reference, text)
        )
        self._session.execute(
            insert(AuditRow).values(
                sequence=sequence,
                at=at,
                actor=actor,
                action=action,
                entity=entity,
                reference=reference,
                details=text,
                prev_hash=prev,
                entry_hash=entry_hash,
            )
        )
        if head is None:
            self._session.execute(
                insert(AuditHeadRow).values(id=1, sequence=sequence, head_hash=entry_hash)
            )
        else:
            self._session.execute(
                update(AuditHeadRow)
                .where(AuditHeadRow.id == 1)
                .values(sequence=sequence, head_hash=entry_hash)
            )

    def entries(self, reference: str | None = None, limit: int = 1000) -> list[AuditEntry]:
        """Entries in chain order (newest last), optionally about one reference."""
        query = select(AuditRow).order_by(AuditRow.sequence.desc()).limit(limit)
        if reference is not None:
            query = query.where(AuditRow.reference == reference)
        rows = list(self._session.execute(query).scalars())
        return [
            AuditEntry(
                sequence=r.sequence,
                at=r.at,
                actor=r.actor,
                action=r.action,
                entity=r.entity,
                reference=r.reference,
                details=r.details,
                entry_hash=r.entry_hash,
            )
            for r in reversed(rows)
        ]
