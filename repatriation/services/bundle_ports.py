"""Ports and result objects of the bundle use cases (storage, crypto and the attachment store plug in).

``BundleStore`` is implemented by ``storage.bundle_tables``; it is reached through the open
unit of work so that the replay record and the merged cases commit in one transaction.
``BundleCrypto`` (the age envelope, the signed manifest) is ``crypto.bundle_adapter.AgeBundles``;
the reader and writer take ``MemberSink``, ``SenderDirectory`` and ``BundleFile`` from here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Protocol

from repatriation.domain.bundle_limits import Limits
from repatriation.domain.bundle_manifest import HeaderInfo, Manifest
from repatriation.domain.key_directory import DirectoryEntry
from repatriation.domain.people import Attachment
from repatriation.services.key_ports import KeyRing
from repatriation.services.results import Changes, SenderProblem

__all__ = [
    "AttachmentStore", "BundleImportReport", "BundleInspection", "BundleStore",
    "ExportPreview", "ExportResult", "ImportPreview", "Progress",
]

# (done, total, what): bytes encrypted or decrypted so far, as the crypto adapter reports them.
Progress = Callable[[int, int, str], None]
_HASH_BLOCK = 1024 * 1024



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




class MemberSink(Protocol):
    """Where a staged member's plaintext goes: sealed into the staging file it was given."""

    def write(self, data: memoryview) -> int:
        """Seal and write the next piece."""
        ...

    def close(self) -> None:
        """Finish the file (the last chunk, the tag)."""
        ...


# (member name, its SHA-256 as the signed manifest says, the staging file) -> a sink, or None
# for the one-time-key sealing. The hash is checked against the bytes before the file is kept.
SealMember = Callable[[str, str, BinaryIO], MemberSink | None]


class SenderDirectory(Protocol):
    """What the reader needs to know about senders (the key directory and the seen-set)."""

    def sender_entry(self, key_id: str) -> DirectoryEntry | None:
        """The directory entry for ``key_id``, if any."""
        ...

    def already_imported(self, sender: str, bundle_id: str) -> bool:
        """Whether ``bundle_id`` from ``sender`` was imported before."""
        ...


@dataclass(frozen=True)
class BundleFile:
    """A file to put in a bundle: in memory (``data``), on disk (``path``) or from a source."""

    name: str
    size: int
    sha256: str
    data: bytes | None = None
    path: Path | None = None
    blocks: Callable[[], Iterator[bytes]] | None = field(default=None, compare=False)

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> BundleFile:
        """A member held in memory (case JSON, a rendered form)."""
        return cls(name, len(data), hashlib.sha256(data).hexdigest(), data=data)

    @classmethod
    def from_blocks(cls, name: str, size: int, sha256: str,
                    blocks: Callable[[], Iterator[bytes]]) -> BundleFile:
        """A member streamed from a source that checks itself (an encrypted attachment).

        ``blocks()`` is called when the member is written; its iterator must raise when it
        ends if the content is not the one ``sha256`` names (the attachment store does), and
        the size is checked here: a 64 MiB scan is never held in memory whole.
        """
        return cls(name, size, sha256, blocks=blocks)

    @classmethod
    def from_path(cls, name: str, path: Path, sha256: str | None = None) -> BundleFile:
        """A member read from disk at export time; its hash is re-checked while streaming."""
        path = Path(path)
        if sha256 is None:
            digest = hashlib.sha256()
            with open(path, "rb") as handle:
                while block := handle.read(_HASH_BLOCK):
                    digest.update(block)
            sha256 = digest.hexdigest()
        return cls(name, path.stat().st_size, sha256, path=path)


class StagedMember(Protocol):
    """A verified member waiting in staging (``crypto.bundle_reader.StagedFile``)."""

    @property
    def name(self) -> str:
        """Its archive name."""
        ...

    @property
    def size(self) -> int:
        """Its size in bytes."""
        ...

    @property
    def sha256(self) -> str:
        """Its SHA-256 (hex), checked against the signed manifest."""
        ...

    @property
    def path(self) -> Path | None:
        """The staging file (``None`` when the bundle was only verified)."""
        ...

    @property
    def key(self) -> bytes:
        """The one-time key it was sealed under; empty when ``SealMember`` sealed it."""
        ...

    def read(self) -> bytes:
        """The whole plaintext (one-time-key staging only)."""
        ...


class OpenedBundleView(Protocol):
    """A bundle that passed every check (``crypto.bundle_reader.OpenedBundle``)."""

    @property
    def manifest(self) -> Manifest:
        """The signed manifest."""
        ...

    @property
    def sender(self) -> DirectoryEntry:
        """The sender as OUR directory records it."""
        ...

    @property
    def cases_json(self) -> bytes:
        """The case data, verified against the manifest."""
        ...

    @property
    def files(self) -> Mapping[str, StagedMember]:
        """The other members, by archive name."""
        ...

    def __enter__(self) -> OpenedBundleView:
        ...

    def __exit__(self, *exc: object) -> None:
        ...


class BundleCrypto(Protocol):
    """The envelope: header check, opening (decrypt, verify) and writing (sign, encrypt)."""

    def inspect_header(self, path: Path, limits: Limits) -> HeaderInfo:
        """The public part of the header (``BundleError`` when it is refused)."""
        ...

    def open(self, path: Path, *, directory: SenderDirectory, now: datetime,
             staging_parent: Path, keys: KeyRing | None, passphrase: str | None,
             limits: Limits, progress: Progress | None = None, stage_files: bool = True,
             seal_member: SealMember | None = None) -> OpenedBundleView:
        """Decrypt and verify; the caller closes it (``BundleError`` names the first failure)."""
        ...

    def write(self, path: Path, *, keys: KeyRing, recipients: Sequence[DirectoryEntry],
              passphrase: str | None, purpose: str, sequence: int, files: Sequence[BundleFile],
              created_at: datetime, audit_head: str = "",
              progress: Progress | None = None) -> Manifest:
        """Sign and encrypt ``files`` into ``path`` (atomically); returns the manifest."""
        ...

    def new_passphrase(self) -> str:
        """A random passphrase for a bundle sent without keys."""
        ...

    def journaled(self, staging_parent: Path, target: Path) -> AbstractContextManager[None]:
        """Keep ``target`` in the journal of exports while it is written."""
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
