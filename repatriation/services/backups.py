"""Backups: an encrypted, self-describing copy of the database, verified after writing; restore.

A backup file is ``RDESKBK1`` | header length (4 bytes) | header (JSON) | MAC (32) | database.
The database part is an SQLCipher file made with SQLite's online backup API, so it is encrypted
with the database key of its epoch. The header names the database, the key epoch, the row
counts, the SHA-256 of the database part and a copy of the key slots (so a backup opens even on
a new machine), and the MAC (keyed from that database key) covers all of it. Restore checks the
MAC, the hash, ``integrity_check`` and the row counts before touching the live database.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import errno
import hashlib
import json
import os
import struct
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from repatriation.files import atomic_write_bytes, atomic_writer, private_folders, require_folder
from repatriation.services.backup_ports import BackupBackend, BackupError, TableCounts
from repatriation.services.checkpoints import ISSUED_FILE, merge_into
from repatriation.services.ports import Clock

MAGIC = b"RDESKBK1"
FORMAT = "repatriation-desk/backup"
VERSION = 1
MAX_HEADER_BYTES = 1 << 20
_LEN = struct.Struct(">I")
_MAC_BYTES = 32
_CHUNK = 1 << 20
DEFAULT_REMINDER_INTERVAL = timedelta(days=7)
STATE_FILE = "backup-state.json"
def backup_due(
    last_backup_at: datetime | None,
    now: datetime,
    interval: timedelta = DEFAULT_REMINDER_INTERVAL,
) -> bool:
    """Whether the desk should remind the supervisor to make a backup.

    Args:
        last_backup_at: when the last verified backup was made (``None``: never).
        now: the current time.
        interval: how old a backup may get (a week by default).

    Returns:
        ``True`` when there is no backup, it is older than ``interval``, or it is dated in the
        future (a clock that was wrong then or now: remind rather than trust it).
    """
    if last_backup_at is None:
        return True
    age = now - last_backup_at
    return age >= interval or age < timedelta(0)


@dataclass(frozen=True)
class BackupInfo:
    """What a backup's header says."""

    database_id: str
    key_epoch: int
    created_at: datetime
    counts: TableCounts
    db_size: int
    db_sha256: str
    keyslots: bytes
    checkpoints: tuple[str, ...] = ()  # the audit checkpoint file when the copy was made


@dataclass(frozen=True)
class BackupReport:
    """The result of a backup or restore."""

    path: Path
    created_at: datetime
    size: int
    counts: TableCounts


@contextlib.contextmanager
def _disk_errors() -> Iterator[None]:
    # A full disk while writing the staged copy or the backup file is an expected failure.
    try:
        yield
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise BackupError("disk_full") from exc
        raise


@contextlib.contextmanager
def _staging(directory: Path) -> Iterator[Path]:
    private_folders(directory)
    fd, name = tempfile.mkstemp(prefix=".restore-", suffix=".stage", dir=directory)
    os.close(fd)
    path = Path(name)
    try:
        yield path
    finally:
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _header_bytes(info: BackupInfo) -> bytes:
    header = {
        "format": FORMAT,
        "version": VERSION,
        "database_id": info.database_id,
        "key_epoch": info.key_epoch,
        "created_at": info.created_at.isoformat(),
        "counts": dict(sorted(info.counts.items())),
        "db_size": info.db_size,
        "db_sha256": info.db_sha256,
        "keyslots": base64.b64encode(info.keyslots).decode("ascii"),
        "checkpoints": list(info.checkpoints),
    }
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("ascii")


def _damaged(part: str) -> BackupError:
    return BackupError("backup_damaged", part=part)


def _parse_header(raw: bytes) -> BackupInfo:
    try:
        doc = json.loads(raw.decode("ascii"))
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise _damaged("header")
        if doc.get("version") != VERSION:
            raise BackupError("backup_version", version=str(doc.get("version")))
        counts = doc["counts"]
        if not isinstance(counts, dict) or not all(
            isinstance(k, str) and type(v) is int for k, v in counts.items()
        ):
            raise _damaged("counts")
        lines = doc.get("checkpoints", [])
        if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
            raise _damaged("checkpoints")
        info = BackupInfo(
            database_id=str(doc["database_id"]),
            key_epoch=int(doc["key_epoch"]),
            created_at=datetime.fromisoformat(doc["created_at"]),
            counts=counts,
            db_size=int(doc["db_size"]),
            db_sha256=str(doc["db_sha256"]),
            keyslots=base64.b64decode(doc["keyslots"], validate=True),
            checkpoints=tuple(lines),
        )
    except (KeyError, TypeError, ValueError, OverflowError, RecursionError, binascii.Error):
        raise _damaged("header") from None
    return info


def _read_exact(handle: BinaryIO, size: int, part: str) -> bytes:
    data = handle.read(size)
    if len(data) != size:
        raise _damaged(part)
    return data


def _hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class BackupService:
    """Create, verify and restore backups; remembers when the last good backup was made."""

    def __init__(self, backend: BackupBackend, clock: Clock, data_dir: Path,
                 checkpoint: Callable[[], object] | None = None) -> None:
        self._backend = backend
        self._clock = clock
        self._data_dir = Path(data_dir)
        # Issues the "backup" checkpoint of the head the copy will hold (services/checkpoints.py).
        self._checkpoint = checkpoint

    def _checkpoint_lines(self) -> tuple[str, ...]:
        try:
            text = (self._data_dir / ISSUED_FILE).read_text(encoding="ascii", errors="replace")
        except FileNotFoundError:
            return ()
        return tuple(line for line in text.splitlines() if line.strip())

    # -- reminder ----------------------------------------------------------------------------

    def last_backup_at(self) -> datetime | None:
        """When the last verified backup was written (``None`` if never or unreadable)."""
        try:
            doc = json.loads((self._data_dir / STATE_FILE).read_text(encoding="utf-8"))
            return datetime.fromisoformat(doc["last_backup_at"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def is_due(self, interval: timedelta = DEFAULT_REMINDER_INTERVAL) -> bool:
        """Whether the reminder should be shown now."""
        return backup_due(self.last_backup_at(), self._clock.now(), interval)

    # -- create ------------------------------------------------------------------------------

    def create(self, destination: Path) -> BackupReport:
        """Write an encrypted backup to ``destination`` atomically, then verify it.

        Raises:
            BackupError: when the copy fails a check (nothing is left at ``destination``), or
                ``disk_full`` (the previous file at ``destination`` is kept).
            StorageError: ``disk_full`` and other failures of the database copy.
            VaultError: ``not_set_up`` (backups are always encrypted).
        """
        destination = Path(destination)
        require_folder(destination)  # an unmounted USB path must not land on the local disk
        database_id, epoch = self._backend.identity()
        keyslots = self._backend.keyslots_bytes()
        key = self._backend.key_for(database_id, epoch, keyslots)
        created_at = self._clock.now()
        if self._checkpoint is not None:
            self._checkpoint()
        with _disk_errors(), _staging(destination.parent) as staged:
            counts = self._backend.snapshot(staged)
            if self._backend.check(staged, key) != counts:
                raise _damaged("counts")
            sha256_hex, size = _hash_file(staged)
            info = BackupInfo(database_id, epoch, created_at, counts, size, sha256_hex, keyslots,
                              self._checkpoint_lines())
            header = _header_bytes(info)
            prefix = MAGIC + _LEN.pack(len(header)) + header
            with atomic_writer(destination, create_parent=False) as out, staged.open("rb") as src:
                out.write(prefix + self._backend.header_mac(key, prefix))
                while chunk := src.read(_CHUNK):
                    out.write(chunk)
        try:
            self.verify(destination)
        except BackupError:
            destination.unlink()
            raise
        state = json.dumps({"last_backup_at": created_at.isoformat()}).encode("ascii")
        atomic_write_bytes(self._data_dir / STATE_FILE, state)
        return BackupReport(destination, created_at, destination.stat().st_size, counts)

    # -- read, verify, restore ---------------------------------------------------------------

    def read_info(self, path: Path) -> BackupInfo:
        """The header of a backup file (not yet authenticated)."""
        with Path(path).open("rb") as handle:
            return self._read_header(handle, Path(path).stat().st_size)[0]

    def _read_header(self, handle: BinaryIO, file_size: int) -> tuple[BackupInfo, bytes, bytes]:
        if handle.read(len(MAGIC)) != MAGIC:
            raise BackupError("not_a_backup")
        length = _LEN.unpack(_read_exact(handle, _LEN.size, "header"))[0]
        if length > MAX_HEADER_BYTES:
            raise _damaged("header")
        raw = _read_exact(handle, length, "header")
        info = _parse_header(raw)
        tag = _read_exact(handle, _MAC_BYTES, "mac")
        if file_size != len(MAGIC) + _LEN.size + length + _MAC_BYTES + info.db_size:
            raise _damaged("size")
        return info, MAGIC + _LEN.pack(length) + raw, tag

    @contextlib.contextmanager
    def _unpacked(self, path: Path) -> Iterator[tuple[BackupInfo, Path, bytes]]:
        path = Path(path)
        with path.open("rb") as handle:
            info, prefix, tag = self._read_header(handle, path.stat().st_size)
            # key_for refuses a backup of another database before any MAC or decryption work.
            key = self._backend.key_for(info.database_id, info.key_epoch, info.keyslots)
            if not self._backend.header_mac_matches(key, prefix, tag):
                raise _damaged("mac")
            with _disk_errors(), _staging(self._data_dir) as staged:
                digest = hashlib.sha256()
                with staged.open("wb") as out:
                    while chunk := handle.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                if digest.hexdigest() != info.db_sha256:
                    raise _damaged("database")
                if self._backend.check(staged, key) != info.counts:
                    raise _damaged("counts")
                yield info, staged, key

    def verify(self, path: Path) -> BackupInfo:
        """Reopen a backup: MAC, hash, ``integrity_check`` and row counts.

        Raises:
            BackupError: ``not_a_backup``, ``backup_damaged``, ``backup_foreign``...
        """
        with self._unpacked(path) as (info, _staged, _key):
            return info

    def restore(self, path: Path) -> BackupReport:
        """Replace the live database with a verified backup of it.

        Raises:
            BackupError: a damaged or foreign backup (the live database is untouched).
        """
        with self._unpacked(path) as (info, staged, key):
            self._backend.install(staged, key, info.keyslots)
        # The live checkpoint file keeps what it had and gains the backup's: a checkpoint issued
        # after this backup now shows the log went back (docs/tamper-evidence.md).
        merge_into(self._data_dir / ISSUED_FILE, info.checkpoints)
        return BackupReport(Path(path), info.created_at, Path(path).stat().st_size, info.counts)
