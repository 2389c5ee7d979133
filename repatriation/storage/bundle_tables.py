"""Bundle tables (key directory, replay set, received revisions, exports) and their store.

The tables: the counterpart key directory, imported bundles (the replay set), case revisions
received per sender, and the bundles we wrote; ``SqlBundleStore`` implements ``BundleStore``.

The replay record has the primary key (sender, bundle id) and is written in the same transaction
as the imported cases, so a bundle is imported exactly once even if two imports race.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Integer, String, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from repatriation.domain.errors import ConflictError
from repatriation.domain.key_directory import AgencyKind, DirectoryEntry
from repatriation.storage.tables import Base


class KeyDirectoryRow(Base):
    """A counterpart's public keys (agency names are public administrative names)."""

    __tablename__ = "key_directory"

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    agency: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    x25519_recipient: Mapped[str] = mapped_column(String(100))
    ed25519_public: Mapped[str] = mapped_column(String(64))
    valid_from: Mapped[datetime] = mapped_column(DateTime)
    valid_until: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    verified_out_of_band: Mapped[bool] = mapped_column(Boolean)
    verified_by: Mapped[str] = mapped_column(String(64))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    country: Mapped[str] = mapped_column(String(2), default="")  # of a foreign counterpart


class ImportedBundleRow(Base):
    """A bundle imported here: never again (replay protection)."""

    __tablename__ = "imported_bundles"

    sender: Mapped[str] = mapped_column(String(64), primary_key=True)
    bundle_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    cases: Mapped[int] = mapped_column(Integer)


class BundleCaseRevisionRow(Base):
    """The newest revision of a case received from a sender: older ones are rollbacks."""

    __tablename__ = "bundle_case_revisions"

    sender: Mapped[str] = mapped_column(String(64), primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), primary_key=True)  # the case's global id
    revision: Mapped[int] = mapped_column(Integer)


class ExportedBundleRow(Base):
    """A bundle written here (its sequence number feeds the next one)."""

    __tablename__ = "exported_bundles"

    bundle_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, unique=True)
    purpose: Mapped[str] = mapped_column(String(40))
    recipients: Mapped[str] = mapped_column(String(2000))  # key ids, or "passphrase"
    created_at: Mapped[datetime] = mapped_column(DateTime)
    cases: Mapped[int] = mapped_column(Integer)


def _naive_utc(value: datetime | None) -> datetime | None:
    # Stored as naive UTC: SQLite has no time zones and PostgreSQL columns are "without".
    return value.astimezone(UTC).replace(tzinfo=None) if value is not None else None


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None else None


def _entry(row: KeyDirectoryRow) -> DirectoryEntry:
    valid_from = _aware(row.valid_from)
    assert valid_from is not None
    return DirectoryEntry(
        agency=row.agency, kind=AgencyKind(row.kind), key_id=row.key_id,
        x25519_recipient=row.x25519_recipient, ed25519_public=row.ed25519_public,
        valid_from=valid_from, valid_until=_aware(row.valid_until),
        revoked_at=_aware(row.revoked_at), verified_out_of_band=row.verified_out_of_band,
        verified_by=row.verified_by, verified_at=_aware(row.verified_at),
        country=row.country,
    )


def _values(entry: DirectoryEntry) -> dict[str, Any]:
    return {
        "agency": entry.agency, "kind": entry.kind.value, "x25519_recipient":
        entry.x25519_recipient, "ed25519_public": entry.ed25519_public,
        "valid_from": _naive_utc(entry.valid_from), "valid_until": _naive_utc(entry.valid_until),
        "revoked_at": _naive_utc(entry.revoked_at),
        "verified_out_of_band": entry.verified_out_of_band, "verified_by": entry.verified_by,
        "verified_at": _naive_utc(entry.verified_at), "country": entry.country,
    }


class SqlBundleStore:
    """``services.bundle_ports.BundleStore`` on the unit of work's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def directory(self) -> list[DirectoryEntry]:
        """Every entry, by agency then key id."""
        rows = self._session.execute(
            select(KeyDirectoryRow).order_by(KeyDirectoryRow.agency, KeyDirectoryRow.key_id)
        ).scalars()
        return [_entry(r) for r in rows]

    def directory_entry(self, key_id: str) -> DirectoryEntry | None:
        """One entry by key id."""
        row = self._session.get(KeyDirectoryRow, key_id)
        return _entry(row) if row is not None else None

    def put_entry(self, entry: DirectoryEntry) -> None:
        """Insert or update."""
        row = self._session.get(KeyDirectoryRow, entry.key_id)
        if row is None:
            self._session.add(KeyDirectoryRow(key_id=entry.key_id, **_values(entry)))
        else:
            for name, value in _values(entry).items():
                setattr(row, name, value)
        self._session.flush()

    def already_imported(self, sender: str, bundle_id: str) -> bool:
        """Whether (sender, bundle id) is recorded."""
        return self._session.get(ImportedBundleRow, (sender, bundle_id)) is not None

    def record_import(self, *, sender: str, bundle_id: str, sequence: int, purpose: str,
                      created_at: datetime, imported_at: datetime, cases: int) -> None:
        """Record an import; a duplicate key means a concurrent replay."""
        self._session.add(ImportedBundleRow(
            sender=sender, bundle_id=bundle_id, sequence=sequence, purpose=purpose,
            created_at=_naive_utc(created_at), imported_at=_naive_utc(imported_at), cases=cases,
        ))
        try:
            self._session.flush()
        except IntegrityError:
            raise ConflictError("bundle_already_imported", bundle_id=bundle_id) from None

    def case_revision(self, sender: str, reference: str) -> int | None:
        """Newest revision received for ``reference`` from ``sender``."""
        row = self._session.get(BundleCaseRevisionRow, (sender, reference))
        return row.revision if row is not None else None

    def set_case_revision(self, sender: str, reference: str, revision: int) -> None:
        """Store the revision just received."""
        row = self._session.get(BundleCaseRevisionRow, (sender, reference))
        if row is None:
            self._session.add(BundleCaseRevisionRow(sender=sender, reference=reference,
                                                    revision=revision))
        else:
            row.revision = revision

    def next_sequence(self) -> int:
        """One more than the highest sequence written so far."""
        current = self._session.execute(select(func.max(ExportedBundleRow.sequence))).scalar()
        return int(current or 0) + 1

    def record_export(self, *, bundle_id: str, sequence: int, purpose: str, recipients: str,
                      created_at: datetime, cases: int) -> None:
        """Remember a bundle written."""
        self._session.add(ExportedBundleRow(
            bundle_id=bundle_id, sequence=sequence, purpose=purpose, recipients=recipients,
            created_at=_naive_utc(created_at), cases=cases,
        ))
        self._session.flush()

