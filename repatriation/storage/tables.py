"""Declarative tables: each aggregate is stored whole as JSON plus the columns lists and reports query.

Why JSON plus columns: a case is a deep tree (names, documents, family, consents, follow-ups) that is
always read and written whole, while the read side needs only a few indexed facts. The columns are
derived from the JSON on every save (``repositories.case_columns``), so the two never disagree.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every table, with stable constraint names for Alembic."""

    metadata = MetaData(naming_convention=NAMING)


class CaseRow(Base):
    """One case (one person received)."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    # The identity bundles match on (``Case.global_id``); the reference is for people.
    # Nullable in the schema only: SQLite cannot add a NOT NULL column without copying the
    # table (see migration 0006); every save writes it.
    global_id: Mapped[str] = mapped_column(String(36), index=True, unique=True, nullable=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(24), index=True)
    screening: Mapped[str] = mapped_column(String(32), index=True)
    channel: Mapped[str] = mapped_column(String(24), index=True)
    corridor: Mapped[str] = mapped_column(String(2), index=True)
    place_kind: Mapped[str] = mapped_column(String(16))
    gate_code: Mapped[str | None] = mapped_column(String(32), index=True)
    post_code: Mapped[str] = mapped_column(String(32))
    received_on: Mapped[date] = mapped_column(Date, index=True)
    sex: Mapped[str] = mapped_column(String(1), index=True)
    # DoB, or the birth date implied by an estimate: age bands become a range on one column.
    approx_birth_date: Mapped[date | None] = mapped_column(Date, index=True)
    ethnic_code: Mapped[str] = mapped_column(String(4), index=True)
    nationality: Mapped[str] = mapped_column(String(2))
    province_old: Mapped[str | None] = mapped_column(String(8), index=True)
    province_new: Mapped[str | None] = mapped_column(String(8), index=True)
    full_name: Mapped[str] = mapped_column(String(300))
    # Folded (accent-free, lower-case) names, aliases and document numbers, for search.
    search_text: Mapped[str] = mapped_column(Text)
    name_folded: Mapped[str] = mapped_column(String(300), index=True)
    next_due: Mapped[date | None] = mapped_column(Date, index=True)
    batch_reference: Mapped[str | None] = mapped_column(String(32), index=True)
    closed_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(32))
    document: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        Index("ix_cases_status_received", "status", "received_on"),
        # The list's commonest filter pair: its capped count stays an index range (60 -> ~10 ms).
        Index("ix_cases_status_corridor_received", "status", "corridor", "received_on"),
    )


class VerificationRow(Base):
    """Verification requests copied out of the case JSON for the tracker's queries."""

    __tablename__ = "verification_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    requested_to: Mapped[str] = mapped_column(String(200))
    sent_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    outcome: Mapped[str] = mapped_column(String(16), index=True)
    legal_reference: Mapped[str] = mapped_column(String(200))


class BatchRow(Base):
    """One handover batch."""

    __tablename__ = "handover_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    direction: Mapped[str] = mapped_column(String(16))
    corridor: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(16), index=True)
    planned_on: Mapped[date] = mapped_column(Date, index=True)
    gate_code: Mapped[str | None] = mapped_column(String(32))
    document: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class AuditRow(Base):
    """Append-only audit entry, hash-chained to the one before it."""

    __tablename__ = "audit_log"

    sequence: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str] = mapped_column(String(64), index=True)
    details: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The single row holding the chain head; locking it serialises appends on PostgreSQL."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))


class SettingRow(Base):
    """Small key/value settings stored with the data (post profile, schema facts)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
