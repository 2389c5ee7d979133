"""Database driver errors as storage error codes the CLI and the desk can put into sentences.

One classifier for SQLite, SQLCipher and PostgreSQL messages, so that a full disk, a read-only
disk, a damaged file and a locked database read the same wherever they surface (start-up,
a query, a commit). SQLite reports a full disk while opening as "disk I/O error" (it cannot
grow the shared-memory file): the free space of the data folder tells the two apart.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy.exc import DBAPIError
from sqlcipher3 import dbapi2 as sqlcipher

from repatriation.domain.errors import DomainError


class StorageError(DomainError):
    """The database refused or failed (disk full, locked, damaged); nothing was written."""

    code = "storage"


MIN_FREE_BYTES = 64 * 1024  # below this SQLite cannot even grow its shared-memory index


def check_data_dir(folder: Path) -> None:
    """Refuse to open a database on a full or read-only disk before touching any file.

    Opening creates the ``-wal`` and ``-shm`` files: refusing first leaves the folder exactly
    as it was, and names the cause instead of SQLite's "disk I/O error".

    Raises:
        StorageError: ``disk_full`` or ``database_read_only``.
    """
    if not folder.is_dir():
        return
    if os.name == "posix" and (
        os.statvfs(folder).f_flag & os.ST_RDONLY or not os.access(folder, os.W_OK)
    ):
        raise StorageError("database_read_only")
    if _no_space(folder):
        raise StorageError("disk_full")


def _no_space(folder: Path | None) -> bool:
    if folder is None:
        return False
    try:
        return shutil.disk_usage(folder).free < MIN_FREE_BYTES
    except OSError:
        return False


def classify(message: str, folder: Path | None = None, *, reason: str = "") -> StorageError:
    """The storage error for a driver message (``folder``: where the database file lives)."""
    text = message.lower()
    if "full" in text or "no space" in text:
        return StorageError("disk_full")
    if "readonly" in text or "read-only" in text:
        return StorageError("database_read_only")
    if "disk i/o error" in text:
        return StorageError("disk_full") if _no_space(folder) else StorageError(
            "database_error", reason="I/O")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StorageError("database_damaged")
    if "locked" in text or "busy" in text:
        return StorageError("database_busy")
    if "unable to open database file" in text:
        return StorageError("database_error", reason="cannot open the file")
    return StorageError("database_error", reason=reason or "database")


def storage_fault(error: BaseException, folder: Path | None = None) -> StorageError | None:
    """The storage error for a driver exception that escaped a use case, else ``None``."""
    if isinstance(error, StorageError):
        return error
    if isinstance(error, DBAPIError):
        orig = error.orig if error.orig is not None else error
        return classify(str(orig), folder, reason=type(orig).__name__)
    if isinstance(error, sqlite3.Error | sqlcipher.Error):
        return classify(str(error), folder, reason=type(error).__name__)
    return None
