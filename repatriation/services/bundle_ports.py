"""Ports and result objects of the bundle use cases (storage and the attachment store plug in).

``BundleStore`` is implemented by ``storage.bundle_tables``; it is reached through the open
unit of work so that the replay record and the merged cases commit in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Protocol

from repatriation.crypto.age_file import Progress
from repatriation.crypto.bundle_reader import MemberSink
from repatriation.domain.bundle_manifest import HeaderInfo, Manifest
from repatriation.domain.key_directory import DirectoryEntry
from repatriation.domain.people import Attachment
from repatriation.services.checkpoints import SenderProblem
from repatriation.services.results import Changes

__all__ = [
    "AttachmentStore", "BundleImportReport", "BundleInspection", "BundleStore",
    "ExportPreview", "ExportResult", "HeaderInfo", "ImportPreview", "Progress",
]


class BundleStore(Protocol):
    """Key directory, replay set, per-sender case revisions and our export counter."""

    def directory(self) -> list[DirectoryEntry]:
        """Every directory entry, by agency."""
        ...

    def directory_entry(self, key_id: str) -> DirectoryEntry | None:
        """One entry by key id."""
        ...

    def put_entry(self, entry: DirectoryEntry) -> None:
        """Insert or update an entry."""
        ...

    def already_imported(self, sender: str, bundle_id: str) -> bool:
        """Whether this bundle was imported before."""
        ...

    def record_import(self, *, sender: str, bundle_id: str, sequence: int, purpose: str,
                      created_at: datetime, imported_at: datetime, cases: int) -> None:
        """Remember an imported bundle (``ConflictError`` if it was already recorded)."""
        ...

    def case_revision(self, sender: str, reference: str) -> int | None:
        """The newest revision of ``reference`` imported from ``sender``."""
        ...

    def set_case_revision(self, sender: str, reference: str, revision: int) -> None:
        """Record the revision just imported."""
        ...

    def next_sequence(self) -> int:
        """Our next per-sender bundle sequence number."""
        ...

    def record_export(self, *, bundle_id: str, sequence: int, purpose: str,
                      recipients: str, created_at: datetime, cases: int) -> None:
        """Remember a bundle we wrote."""
        ...




class AttachmentStore(Protocol):
    """What bundles need from ``services.attachments.AttachmentService``."""

    def store(self, data: bytes, file_name: str, media_type: str,
              kind: str = "photo") -> Attachment:
        """Encrypt and keep ``data``."""
        ...

    def load(self, sha256_hex: str) -> bytes:
        """The content with this hash."""
        ...

    def blocks(self, sha256_hex: str) -> Iterator[bytes]:
        """The content with this hash, block by block (checked when the iterator ends)."""
        ...

    def sealer(self, sink: BinaryIO, sha256_hex: str) -> MemberSink:
        """A writer of one file in the store's format (content checked by the caller)."""
        ...

    def adopt(self, staged: Path, sha256_hex: str, size: int, file_name: str,
              media_type: str, kind: str = "photo") -> Attachment:
        """Move a file written through ``sealer`` into the store."""
        ...

    def contains(self, sha256_hex: str) -> bool:
        """Whether it is stored."""
        ...

    def remove(self, sha256_hex: str) -> bool:
        """Delete it."""
        ...


@dataclass(frozen=True)
class ExportPreview:
    """Exactly what an export would put in the bundle, shown before anything is written."""

    kind: str
    cases: tuple[str, ...]
    included_paths: tuple[str, ...]
    excluded_paths: tuple[str, ...]
    files: tuple[tuple[str, int], ...]  # (archive name, size)
    recipients: tuple[str, ...]  # agency names, or ("passphrase",)


@dataclass(frozen=True)
class ExportResult:
    """A bundle written: its manifest, where, and a generated passphrase if one was used."""

    path: str
    manifest: Manifest
    passphrase: str | None = None


@dataclass(frozen=True)
class BundleInspection:
    """``bundle inspect``: the header always; the manifest once a key opened it."""

    header: HeaderInfo | None
    manifest: Manifest | None = None
    sender: DirectoryEntry | None = None
    error_code: str | None = None
    error_params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportPreview:
    """What an import would change."""

    manifest: Manifest
    sender_agency: str
    new_cases: tuple[str, ...]
    updated_cases: tuple[tuple[str, int], ...]  # (reference, fields changed)
    possible_duplicates: tuple[tuple[str, str], ...]  # (incoming reference, existing one)
    files: int
    sender_key: str = ""  # the signing key's id, and its state in our directory
    sender_kind: str = ""
    sender_country: str = ""
    sender_verified: bool = False
    duplicate_reasons: tuple[tuple[str, ...], ...] = ()  # the matcher's reasons, per pair above


@dataclass(frozen=True)
class BundleImportReport:
    """Outcome of an import."""

    bundle_id: str
    sender_agency: str
    created: tuple[str, ...]
    updated: tuple[str, ...]
    attachments: int
    changes: Changes
    # The sender's checkpoint contradicts an earlier one: its log was cut back or rewritten.
    checkpoint_problem: SenderProblem | None = None
    pending: int = 0  # changes to our cases waiting in the inbox
    possible_same_person: int = 0  # new cases flagged against ours (in the inbox, never merged)
