"""SQLCipher files keyed with a raw 256-bit key: engine, plain-to-encrypted export, rekey, copies.

The key is always given as a raw key (``PRAGMA key = "x'<hex>'"``): a passphrase would cost
PBKDF2 with 256,000 iterations (176 ms) on every new connection (docs/stack-notes.md, Storage). Key
derivation from passwords happens once, in the vault.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool
from sqlcipher3 import dbapi2 as sqlcipher

from repatriation.storage.database import _sqlite_begin_immediate, _sqlite_pragmas
from repatriation.storage.faults import StorageError, classify

KEY_BYTES = 32
SQLITE_MAGIC = b"SQLite format 3\x00"
FileKind = Literal["missing", "empty", "plain", "encrypted"]
TableCounts = dict[str, int]


def _key_literal(key: bytes) -> str:
    if len(key) != KEY_BYTES:
        raise ValueError("an SQLCipher raw key is 32 bytes")
    return f"x'{key.hex()}'"


def storage_error(exc: BaseException, path: Path | None = None) -> StorageError:
    """Map a driver error to the storage error codes the UI and CLI explain."""
    return classify(str(exc), path.parent if path is not None else None, reason=type(exc).__name__)


def file_kind(path: Path) -> FileKind:
    """What is at ``path``: nothing, an empty file, a plain SQLite file, or SQLCipher bytes."""
    try:
        with Path(path).open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return "missing"
    if not head:
        return "empty"
    return "plain" if head == SQLITE_MAGIC else "encrypted"


def connect(path: Path, key: bytes | None) -> Any:
    """A DB-API connection (autocommit) on ``path``, keyed when ``key`` is given.

    Args:
        path: the database file.
        key: the raw 32-byte key, or ``None`` for a plain SQLite file.

    Returns:
        An open ``sqlcipher3`` connection.
    """
    con = sqlcipher.connect(str(path), check_same_thread=False, isolation_level=None)
    # A wrong key makes SQLCipher log "hmac check failed" to stderr; the caller reports it.
    con.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        con.execute(f'PRAGMA key = "{_key_literal(key)}"')
    return con


@contextlib.contextmanager
def opened(path: Path, key: bytes | None) -> Iterator[Any]:
    """Context manager around :func:`connect` that maps driver errors to ``StorageError``."""
    try:
        con = connect(path, key)
    except sqlcipher.Error as exc:
        raise storage_error(exc, path) from exc
    try:
        yield con
    except sqlcipher.Error as exc:
        raise storage_error(exc, path) from exc
    finally:
        con.close()


def key_opens(path: Path, key: bytes) -> bool:
    """Whether ``key`` decrypts the file at ``path`` (reads page 1 only)."""
    try:
        with opened(path, key) as con:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except StorageError as exc:
        if exc.code == "database_damaged":
            return False
        raise  # a full or read-only disk is not a wrong key: say what it is
    return True


def make_encrypted_engine(path: Path, key: bytes | Callable[[], bytes]) -> Engine:
    """An engine on the SQLCipher file ``path`` with the project's SQLite settings.

    The ``sqlcipher3`` module is given to SQLAlchemy so that its errors (disk full, locked,
    wrong key) become ``DBAPIError`` and the unit of work maps them to ``StorageError``.

    Args:
        path: the database file (created on first use).
        key: the raw 32-byte database key, or a function giving the current one (each new
            connection asks it, so an engine survives a key rotation).

    Returns:
        The engine (NullPool: no idle connection keeps the key-bearing handle open).
    """
    current: Callable[[], bytes] = key if callable(key) else (lambda: key)
    _key_literal(current())
    engine = create_engine(
        URL.create("sqlite+pysqlite", database=str(path)),
        module=sqlcipher,
        creator=lambda: connect(path, current()),
        poolclass=NullPool,
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin_immediate)
    return engine


def table_counts(con: Any) -> TableCounts:
    """Row counts of every table (the backup verification compares them)."""
    names = [
        row[0]
        for row in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {name: int(con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]) for name in names}


def check_file(path: Path, key: bytes | None) -> TableCounts:
    """Full check: every page's HMAC, ``PRAGMA integrity_check``, then row counts.

    Args:
        path: the database file.
        key: its raw key (``None`` for a plain file).

    Returns:
        Row counts per table.

    Raises:
        StorageError: ``database_damaged`` when a check fails or the key is wrong.
    """
    with opened(path, key) as con:
        if key is not None:
            bad_pages = con.execute("PRAGMA cipher_integrity_check").fetchall()
            if bad_pages:
                raise StorageError("database_damaged", check="cipher_integrity_check")
        result = [row[0] for row in con.execute("PRAGMA integrity_check").fetchall()]
        if result != ["ok"]:
            raise StorageError("database_damaged", check="integrity_check")
        return table_counts(con)


def checkpoint(path: Path, key: bytes | None) -> None:
    """Move the WAL into the database file and truncate it (before copies and replaces)."""
    with opened(path, key) as con:
        busy = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy and busy[0]:
            raise StorageError("database_busy")


def sidecar_paths(path: Path) -> tuple[Path, Path]:
    """The ``-wal`` and ``-shm`` files of a database."""
    return Path(f"{path}-wal"), Path(f"{path}-shm")


def remove_idle_sidecars(path: Path) -> None:
    """Delete an empty ``-wal`` and its ``-shm`` once no connection is open.

    Deleting a non-empty WAL would lose commits (sqlite.org, How To Corrupt), so that is refused.
    """
    wal, shm = sidecar_paths(path)
    if wal.exists() and wal.stat().st_size > 0:
        raise StorageError("database_busy", reason="wal_not_empty")
    for side in (wal, shm):
        with contextlib.suppress(FileNotFoundError):
            side.unlink()


def export_encrypted(plain: Path, target: Path, key: bytes) -> TableCounts:
    """Write an encrypted copy of the plain SQLite file ``plain`` to ``target`` (sqlcipher_export).

    Args:
        plain: the existing plain database.
        target: a new file (must not exist).
        key: the raw key of the copy.

    Returns:
        Row counts of the source, for the caller to compare with the copy.
    """
    with opened(plain, None) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        counts = table_counts(con)
        user_version = int(con.execute("PRAGMA user_version").fetchone()[0])
        con.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(target), _key_literal(key)))
        con.execute("SELECT sqlcipher_export('encrypted')")
        # sqlcipher_export copies schema and rows, not the header's user_version.
        con.execute(f"PRAGMA encrypted.user_version = {user_version}")
        con.execute("DETACH DATABASE encrypted")
    fsync_file(target)
    return counts


def rekey(path: Path, old_key: bytes, new_key: bytes) -> None:
    """Re-encrypt every page of ``path`` under ``new_key`` (one transaction: all or nothing).

    The caller must have closed every other connection (dispose the engines first).
    """
    with opened(path, old_key) as con:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        con.execute(f'PRAGMA rekey = "{_key_literal(new_key)}"')
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def copy_database(source: Path, source_key: bytes, target: Path, target_key: bytes) -> TableCounts:
    """Copy a live database with SQLite's online backup API, as one consistent snapshot.

    SQLCipher encrypts the pages written to ``target`` with ``target_key``; the source keeps
    being usable by other connections during the copy (WAL readers do not block writers).

    Args:
        source: the live database.
        source_key: its key.
        target: the copy (created or overwritten in one transaction).
        target_key: the copy's key.

    Returns:
        Row counts of the source at the snapshot the copy was taken from.
    """
    with opened(source, source_key) as src, opened(target, target_key) as dst:
        dst.execute("PRAGMA synchronous=FULL")
        # One read transaction: the counts and the copied pages come from the same snapshot.
        src.execute("BEGIN")
        try:
            counts = table_counts(src)
            src.backup(dst)
        finally:
            src.execute("COMMIT")
    fsync_file(target)
    return counts


def fsync_file(path: Path) -> None:
    """Flush a file the driver wrote to stable storage."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
