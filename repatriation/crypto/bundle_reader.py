"""Opening a case bundle: every check, in order, with nothing kept unless all of them pass.

Order: age intro and bundle stanza (version, declared size) before any key work; file key;
header MAC; file length against the declared size (truncated vs tampered); ``manifest.json``
first (magic, version, schema); ``manifest.sig``; the sender (known, signature, not revoked,
valid at ``created_at``, verified out of band); our key among the signed recipients; not a
replay; then every member's name, size and SHA-256 while streaming; the end of the archive;
and finally the last STREAM chunk. Member bytes go to a private staging directory that is
deleted on any failure (and by ``OpenedBundle.close``).

Staged members are sealed under a one-time key, or, when the caller supplies ``seal_member``
(the importer does for attachments), straight into the file format that will keep them, so
the accepted file is moved into place instead of being read, decrypted and encrypted again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import typing
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from repatriation.crypto.age_file import AgeReader, Progress
from repatriation.crypto.age_header import Header, Stanza
from repatriation.crypto.age_recipients import Identity, ScryptIdentity, X25519Identity
from repatriation.crypto.age_stream import NONCE_SIZE, StreamOpener, StreamSealer, sealed_size
from repatriation.crypto.bundle_format import parse_manifest
from repatriation.crypto.bundle_tar import PlainStream, TarReader
from repatriation.crypto.keys import PostIdentity
from repatriation.crypto.leftovers import staging_prefix
from repatriation.crypto.trust import check_recipient, check_sender
from repatriation.domain.bundle_errors import (
    BadArchiveError,
    BadSignatureError,
    NotABundleError,
    ReplayedError,
    TamperedError,
    TooLargeError,
    TruncatedError,
    UnsupportedVersionError,
)
from repatriation.domain.bundle_limits import DEFAULT_LIMITS, Limits
from repatriation.domain.bundle_manifest import (
    CASES_NAME,
    FORMAT_VERSION,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    SIGNATURE_SIZE,
    STANZA_TYPE,
    Manifest,
)
from repatriation.domain.key_directory import DirectoryEntry
from repatriation.services.bundle_ports import MemberSink, SealMember, SenderDirectory
from repatriation.writeback import writeback_file


@dataclass(frozen=True)
class StagedFile:
    """A member's verified bytes in the staging directory, encrypted under a one-time key.

    Staged photos never sit on disk in clear: each is sealed with a random key that only this
    object holds, so a crash leaves unreadable staging files (crypto-shredded by forgetting).
    """

    name: str
    size: int
    sha256: str
    path: Path | None  # None when the bundle was only verified, not staged
    key: bytes = field(default=b"", repr=False)  # empty: sealed by the caller's ``seal_member``

    def blocks(self) -> Iterator[memoryview]:
        """The plaintext, block by block (authenticated again on the way out)."""
        if self.path is None:
            raise ValueError("file was verified but not staged")
        if not self.key:
            raise ValueError("file was sealed in its keeper's own format")
        with open(self.path, "rb") as handle:
            yield from StreamOpener(self.key, handle, aead=AESGCM).blocks()

    def read(self) -> bytes:
        """The whole plaintext (attachments are bounded by the store's own cap)."""
        return b"".join(self.blocks())


@dataclass
class OpenedBundle:
    """A bundle that passed every check; its staged files live until ``close``."""

    manifest: Manifest
    sender: DirectoryEntry
    opened_with: str | None  # our key id, or None for a passphrase
    cases_json: bytes
    files: dict[str, StagedFile] = field(default_factory=dict)
    staging_dir: Path | None = None

    def close(self) -> None:
        """Delete the staging directory and whatever is still in it."""
        if self.staging_dir is not None:
            shutil.rmtree(self.staging_dir, ignore_errors=True)
            self.staging_dir = None

    def __enter__(self) -> OpenedBundle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _KeyedIdentity:
    """An X25519 identity that remembers which post key id it belongs to."""

    def __init__(self, identity: PostIdentity) -> None:
        self.key_id = identity.key_id
        self._x25519: X25519Identity = identity.x25519

    def unwrap(self, stanzas: Sequence[Stanza], limits: Limits) -> bytes | None:
        return self._x25519.unwrap(stanzas, limits)


def bundle_stanza(header: Header, limits: Limits) -> int | None:
    """Check the ``vn-ctp-bundle`` stanza if present; returns the declared plaintext size."""
    ours = [s for s in header.stanzas if s.type == STANZA_TYPE]
    if not ours:
        return None  # e.g. a payload that a counterpart encrypted with the age tool itself
    if len(ours) > 1:
        raise TamperedError("age_header", STANZA_TYPE, reason="repeated_stanza")
    args = ours[0].args
    if not args or not args[0].isdigit() or len(args[0]) > 4:
        raise TamperedError("age_header", STANZA_TYPE, reason="bad_version")
    if int(args[0]) != FORMAT_VERSION:
        raise UnsupportedVersionError("age_header", STANZA_TYPE, version=args[0],
                                      supported=str(FORMAT_VERSION))
    if len(args) != 2 or not args[1].isdigit() or len(args[1]) > 20 or ours[0].body:
        raise TamperedError("age_header", STANZA_TYPE, reason="bad_arguments")
    size = int(args[1])
    if size > limits.max_bundle_bytes + 4 * 1024 * 1024:
        raise TooLargeError("age_header", STANZA_TYPE, size=size, limit=limits.max_bundle_bytes)
    return size


def open_bundle(path: Path, *, directory: SenderDirectory, now: datetime, staging_parent: Path,
                identities: Sequence[PostIdentity] = (), passphrase: str | None = None,
                limits: Limits = DEFAULT_LIMITS, progress: Progress | None = None,
                stage_files: bool = True, seal_member: SealMember | None = None) -> OpenedBundle:
    """Decrypt and verify a bundle; members other than ``cases.json`` are staged on disk.

    Args:
        path: the bundle file.
        directory: key directory and replay set.
        now: the current time (aware), for validity and clock-skew checks.
        staging_parent: where the private staging directory is created (same disk as the
            attachment store, so accepted files can be moved, not copied).
        identities: our identities still allowed to decrypt.
        passphrase: for passphrase bundles.
        limits: the caps.
        progress: ``(done, total, "decrypting")`` callback.
        stage_files: ``False`` to verify hashes without writing anything (``bundle inspect``).
        seal_member: seals a member into its staging file in another format (see above).

    Returns:
        The opened bundle; the caller must ``close()`` it (or use ``with``).

    Raises:
        BundleError: a subclass naming the first check that failed.
    """
    candidates: list[Identity] = [_KeyedIdentity(i) for i in identities]
    if passphrase is not None:
        candidates.append(ScryptIdentity(passphrase))
    # Named with our process id: the next start removes it if we were killed (``leftovers``).
    staging = Path(tempfile.mkdtemp(prefix=staging_prefix(), dir=staging_parent))
    try:
        with open(path, "rb") as source:
            return _read(source, candidates, directory, now, staging, limits, progress,
                         stage_files, seal_member)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _read(source: BinaryIO, candidates: list[Identity], directory: SenderDirectory,
          now: datetime, staging: Path, limits: Limits, progress: Progress | None,
          stage_files: bool, seal_member: SealMember | None) -> OpenedBundle:
    declared: list[int | None] = []
    reader = AgeReader(source, candidates, limits,
                       pre_check=lambda header: declared.append(bundle_stanza(header, limits)))
    if declared[0] is not None and reader.payload_remaining is not None:
        expected = sealed_size(declared[0]) - NONCE_SIZE
        if reader.payload_remaining < expected:
            raise TruncatedError("payload", "end", reason="shorter_than_declared",
                                 missing=expected - reader.payload_remaining)
        if reader.payload_remaining > expected:
            raise TamperedError("payload", "end", reason="data_after_payload",
                                extra=reader.payload_remaining - expected)
    opened_with = getattr(reader.identity, "key_id", None)
    total = reader.total_size or 0
    done = [reader.header.size + NONCE_SIZE]

    def advance(count: int) -> None:
        done[0] += count
        if progress is not None:
            progress(done[0], total, "decrypting")

    blocks = reader.blocks(advance)
    try:
        return _read_archive(PlainStream(blocks), opened_with, directory, now, staging, limits,
                             stage_files, seal_member)
    finally:
        blocks.close()  # stops the decryption threads at once on an error


def _read_archive(stream: PlainStream, opened_with: str | None, directory: SenderDirectory,
                  now: datetime, staging: Path, limits: Limits,
                  stage_files: bool, seal_member: SealMember | None = None) -> OpenedBundle:
    tar = TarReader(stream, limits.max_member_bytes)
    manifest, manifest_bytes = _read_manifest(tar, limits)
    signature = _read_signature(tar)
    entry = directory.sender_entry(manifest.sender)
    check_sender(entry, manifest, manifest_bytes, signature, now)
    assert entry is not None
    check_recipient(manifest, opened_with)
    if directory.already_imported(manifest.sender, manifest.bundle_id):
        raise ReplayedError(MANIFEST_NAME, "$.bundle_id", bundle_id=manifest.bundle_id,
                            sender=manifest.sender[:16])
    opened = OpenedBundle(manifest, entry, opened_with, b"", staging_dir=staging)
    key = b""
    for index, item in enumerate(manifest.files):
        info = tar.next_header(item.name)
        assert info is not None
        if info.size != item.size:
            raise TamperedError(item.name, "size", reason="size_mismatch",
                                declared=item.size, actual=info.size)
        digest = hashlib.sha256()
        if item.name == CASES_NAME:
            data = tar.read_member(info, limits.max_json_bytes)
            digest.update(data)
            opened.cases_json = data
            target = None
        else:
            target = staging / f"m{index:05d}.bin" if stage_files else None
            key = _copy(tar, info, digest, target, seal_member, item.sha256)
        if digest.hexdigest() != item.sha256:
            raise TamperedError(item.name, "sha256", reason="hash_mismatch")
        if item.name != CASES_NAME:
            opened.files[item.name] = StagedFile(item.name, item.size, item.sha256, target, key)
    tar.next_header(None)  # the end marker, or an error naming the unlisted member
    if stream.drain():
        raise BadArchiveError("archive", "end", reason="data_after_end")
    return opened


def _copy(tar: TarReader, info: typing.Any, digest: typing.Any, target: Path | None,
          seal_member: SealMember | None, sha256: str) -> bytes:
    if target is None:
        tar.copy_member(info, digest.update)
        return b""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    # Hash on a second thread while this one seals and writes the same (read-only) block.
    with writeback_file(fd) as out, ThreadPoolExecutor(1, thread_name_prefix="sha256") as hasher:
        theirs = seal_member(info.name, sha256, out) if seal_member is not None else None
        key = b"" if theirs is not None else os.urandom(32)
        sealer: MemberSink = (theirs if theirs is not None
                              else StreamSealer(key, out, aead=AESGCM, parallel=False))
        pending: list[Future[None]] = []

        def sink(data: memoryview) -> None:
            if pending:
                pending.pop().result()
            pending.append(hasher.submit(digest.update, data))
            sealer.write(data)

        try:
            tar.copy_member(info, sink)
        finally:
            for future in pending:
                future.result()
            sealer.close()
    return key


def _read_manifest(tar: TarReader, limits: Limits) -> tuple[Manifest, bytes]:
    try:
        info = tar.next_header(MANIFEST_NAME)
    except (BadArchiveError, TruncatedError) as exc:
        # The very first bytes are not our archive: say "not a bundle", not "bad archive".
        raise NotABundleError("payload", "offset 0", reason="no_manifest_first",
                              detail=exc.code) from None
    assert info is not None
    data = tar.read_member(info, limits.max_manifest_bytes)
    return parse_manifest(data, limits), data


def _read_signature(tar: TarReader) -> bytes:
    try:
        info = tar.next_header(SIGNATURE_NAME)
    except BadArchiveError as exc:
        raise BadSignatureError(SIGNATURE_NAME, "archive", reason="missing",
                                found=str(exc.params.get("name", ""))[:100]) from None
    assert info is not None
    if info.size != SIGNATURE_SIZE:
        raise BadSignatureError(SIGNATURE_NAME, "archive", reason="malformed", size=info.size)
    return tar.read_member(info, SIGNATURE_SIZE)
