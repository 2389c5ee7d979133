"""Writing a case bundle: manifest, signature and files into a tar, encrypted as one age file.

The archive size is known before the first byte is written (every member size is), so the
``vn-ctp-bundle`` header stanza can carry it: a reader then tells a truncated bundle from a
tampered one before decrypting. The output file appears atomically, complete or not at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from repatriation.crypto.age_file import AgeWriter, Progress
from repatriation.crypto.age_header import Stanza
from repatriation.crypto.age_recipients import (
    DEFAULT_SCRYPT_LOG_N,
    Recipient,
    ScryptRecipient,
)
from repatriation.crypto.atomic import atomic_output
from repatriation.crypto.bundle_format import new_bundle_id, signing_message, valid_member_name
from repatriation.crypto.bundle_tar import TarWriter, archive_size
from repatriation.crypto.keys import PostIdentity, PublicKeys
from repatriation.crypto.prefetch import hashed_alongside
from repatriation.domain.bundle_errors import BadArchiveError, TamperedError
from repatriation.domain.bundle_manifest import (
    CASES_NAME,
    FORMAT_VERSION,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    STANZA_TYPE,
    FileEntry,
    Manifest,
)
from repatriation.services.bundle_ports import BundleFile

_READ_BLOCK = 1024 * 1024


@dataclass(frozen=True)
class Delivery:
    """Who can open the bundle: counterpart keys, or one passphrase (never both)."""

    keys: tuple[PublicKeys, ...] = ()
    passphrase: str | None = None
    scrypt_log_n: int = DEFAULT_SCRYPT_LOG_N

    def __post_init__(self) -> None:
        if bool(self.keys) == (self.passphrase is not None):
            raise ValueError("a bundle goes either to keys or to one passphrase")


class _Counter:
    """Passes writes on and reports progress about every MiB."""

    def __init__(self, sink: AgeWriter, total: int, progress: Progress | None) -> None:
        self._sink = sink
        self._total = total
        self._progress = progress
        self.done = 0
        self._reported = 0

    def write(self, data: bytes) -> int:
        self._sink.write(data)
        self.done += len(data)
        if self._progress is not None and self.done - self._reported >= _READ_BLOCK:
            self._reported = self.done
            self._progress(self.done, self._total, "encrypting")
        return len(data)


def write_bundle(destination: Path, *, sender: PostIdentity, delivery: Delivery, purpose: str,
                 sequence: int, files: Sequence[BundleFile], created_at: datetime,
                 bundle_id: str | None = None, audit_head: str = "",
                 progress: Progress | None = None) -> Manifest:
    """Sign and encrypt ``files`` (which must include ``cases.json``) into ``destination``.

    Args:
        destination: the bundle file to create (atomically).
        sender: our current identity; it signs the manifest.
        delivery: recipients' public keys, or a passphrase.
        purpose: purpose code recorded in the manifest (the recipient type).
        sequence: this sender's bundle counter.
        files: the members after the manifest, in order.
        created_at: timestamp (stored in UTC, whole seconds).
        bundle_id: 32 hex digits; a fresh random id by default.
        audit_head: the audit-chain head to record, if any.
        progress: ``(done, total, "encrypting")`` callback.

    Returns:
        The manifest that was signed.
    """
    _check_names(files)
    manifest = Manifest(
        bundle_id=bundle_id or new_bundle_id(), sender=sender.key_id,
        sender_agency=sender.agency,
        recipients=tuple(sorted({k.key_id for k in delivery.keys})),
        passphrase=delivery.passphrase is not None,
        created_at=created_at.astimezone(UTC).replace(microsecond=0), sequence=sequence,
        purpose=purpose, files=tuple(FileEntry(f.name, f.size, f.sha256) for f in files),
        audit_head=audit_head,
    )
    manifest_bytes = manifest.encode()
    signature = sender.sign(signing_message(manifest_bytes))
    total = archive_size([len(manifest_bytes), len(signature), *(f.size for f in files)])
    recipients: list[Recipient]
    extra: list[Stanza] = []
    if delivery.passphrase is not None:
        # scrypt must stand alone in the header, so passphrase bundles carry no bundle stanza.
        recipients = [ScryptRecipient(delivery.passphrase, delivery.scrypt_log_n)]
    else:
        recipients = [k.x25519 for k in delivery.keys]
        extra.append(Stanza(STANZA_TYPE, (str(FORMAT_VERSION), str(total)), b""))
    with atomic_output(Path(destination)) as out:
        _write_payload(out, recipients, extra, total, manifest, manifest_bytes, signature,
                       files, progress)
    return manifest


def _check_names(files: Sequence[BundleFile]) -> None:
    names = [f.name for f in files]
    if CASES_NAME not in names:
        raise BadArchiveError("export", CASES_NAME, reason="no_cases_json")
    for name in names:
        if not valid_member_name(name) or name in (MANIFEST_NAME, SIGNATURE_NAME):
            raise BadArchiveError("export", name[:100], reason="bad_name")
    if len(set(names)) != len(names):
        raise BadArchiveError("export", "files", reason="duplicate_name")


def _write_payload(out: BinaryIO, recipients: list[Recipient], extra: list[Stanza], total: int,
                   manifest: Manifest, manifest_bytes: bytes, signature: bytes,
                   files: Sequence[BundleFile], progress: Progress | None) -> None:
    writer = AgeWriter(out, recipients, extra)
    counter = _Counter(writer, total, progress)
    tar = TarWriter(counter, manifest.created_at)
    tar.add_bytes(MANIFEST_NAME, manifest_bytes)
    tar.add_bytes(SIGNATURE_NAME, signature)
    for item in files:
        if item.data is not None:
            tar.add_bytes(item.name, item.data)
        elif item.blocks is not None:
            tar.add_stream(item.name, item.size, item.blocks())
        elif item.path is not None:
            tar.add_stream(item.name, item.size, _hashed_blocks(item))
        else:
            raise BadArchiveError("export", item.name, reason="no_content")
    tar.close()
    writer.close()
    if writer.plaintext_size != total:
        raise RuntimeError("archive size differs from the size announced in the header")
    if progress is not None:
        progress(total, total, "encrypting")


def _hashed_blocks(item: BundleFile) -> Iterator[bytes]:
    """Read a file and hash it on another thread while the caller encrypts the block."""
    assert item.path is not None
    digest = hashlib.sha256()
    with open(item.path, "rb") as handle:
        yield from hashed_alongside(iter(lambda: handle.read(_READ_BLOCK), b""), digest)
    if digest.hexdigest() != item.sha256:
        # The stored file no longer matches its recorded hash: never ship it silently.
        raise TamperedError(item.name, "source", reason="source_changed")
