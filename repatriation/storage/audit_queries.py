"""Read side of the audit chain for verification: rows in sequence order, the head, the link hash."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from repatriation.domain.audit_records import AuditHead, AuditRecord
from repatriation.storage.audit_log import GENESIS_HASH, canonical_entry, chain_hash
from repatriation.storage.tables import AuditHeadRow, AuditRow, CaseRow


class SqlAuditReader:
    """Reads the ``audit_log`` and ``audit_head`` tables with keyset paging."""

    genesis_hash = GENESIS_HASH

    def __init__(self, session: Session) -> None:
        self._session = session

    def head(self) -> AuditHead | None:
        """The head row, or ``None`` when the log is empty (or the row was deleted)."""
        row = self._session.execute(
            select(AuditHeadRow.sequence, AuditHeadRow.head_hash).where(AuditHeadRow.id == 1)
        ).one_or_none()
        return None if row is None else AuditHead(row.sequence, row.head_hash)

    def records(self, after: int, limit: int) -> list[AuditRecord]:
        """Rows with a sequence above ``after``, ascending, at most ``limit``."""
        rows = self._session.execute(
            select(AuditRow).where(AuditRow.sequence > after).order_by(AuditRow.sequence).limit(limit)
        ).scalars()
        return [
            AuditRecord(
                sequence=r.sequence,
                at=r.at,
                actor=r.actor,
                action=r.action,
                entity=r.entity,
                reference=r.reference,
                details=r.details,
                prev_hash=r.prev_hash,
                entry_hash=r.entry_hash,
            )
            for r in rows
        ]

    def case_documents(self) -> Iterator[tuple[str, str]]:
        """``(reference, document)`` of every case row, streamed in id order."""
        rows = self._session.execute(
            select(CaseRow.reference, CaseRow.document).order_by(CaseRow.id)
            .execution_options(yield_per=2000)
        )
        yield from rows

    @staticmethod
    def link_hash(prev_hash: str, record: AuditRecord) -> str:
        """The hash ``SqlAuditLog.append`` would have written for this content after ``prev_hash``."""
        try:
            return chain_hash(
                prev_hash,
                canonical_entry(
                    record.sequence,
                    record.at,
                    record.actor,
                    record.action,
                    record.entity,
                    record.reference,
                    record.details,
                ),
            )
        except ValueError:  # a previous hash that is not hex: the chain is broken here
            return ""

