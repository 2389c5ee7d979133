"""Upgrade keeps data: back the database up, then run the schema migrations of this build."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import cast

from repatriation.files import private_folders
from repatriation.storage import sqlcipher
from repatriation.storage.database import Engine, current_revision, head_revision, needs_upgrade, upgrade
from repatriation.storage.unit_of_work import StorageError

log = logging.getLogger(__name__)

BACKUP_DIR_NAME = "backups"


@dataclass(frozen=True)
class UpgradeReport:
    """What :func:`upgrade_with_backup` did."""

    from_revision: str | None  # None: an empty database (nothing to keep)
    to_revision: str
    backup: Path | None  # the pre-upgrade copy, or None when none was needed or possible

    @property
    def upgraded(self) -> bool:
        """Whether the schema changed."""
        return self.from_revision != self.to_revision


def backup_path(data_dir: Path, revision: str, now: datetime) -> Path:
    """``data_dir/backups/pre-upgrade-<rev>-<timestamp>.sqlite3`` (never overwrites an older one).

    Args:
        data_dir: the data directory.
        revision: the schema revision the copy is at.
        now: the time stamp written into the name.

    Returns:
        A path that does not exist yet.
    """
    directory = Path(data_dir) / BACKUP_DIR_NAME
    stem = f"pre-upgrade-{revision}-{now:%Y%m%dT%H%M%S}"
    candidate = directory / f"{stem}.sqlite3"
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = directory / f"{stem}-{counter}.sqlite3"
    return candidate


def _sqlite_file(engine: Engine) -> Path | None:
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def upgrade_with_backup(
    engine: Engine, data_dir: Path, now: datetime, *, database_key: bytes | None = None
) -> UpgradeReport:
    """Run the migrations; when an existing SQLite database is behind, copy it first.

    The copy uses SQLite's online backup API under the same key as the live file (an
    encrypted database stays encrypted in its backup), and is checked before the
    migrations start: an upgrade that fails half-way still leaves a good copy.

    Args:
        engine: the engine on the database (plain SQLite, SQLCipher or PostgreSQL).
        data_dir: the data directory (the copy goes to its ``backups`` folder).
        now: the current time (names the copy).
        database_key: the raw SQLCipher key (``UnlockedVault.database_key()``); ``None`` for
            a plain SQLite file.

    Returns:
        The revisions before and after and the backup path.

    Raises:
        StorageError: when the copy cannot be written or fails its check (no migration ran).
    """
    before = current_revision(engine)
    head = head_revision()
    if not needs_upgrade(engine):
        return UpgradeReport(before, head, None)
    backup: Path | None = None
    source = _sqlite_file(engine)
    if before is not None and source is not None:
        backup = backup_path(data_dir, before, now)
        private_folders(backup.parent)
        # Engines here use NullPool: no pooled connection holds the file during the copy.
        engine.dispose()
        # copy_database hands the key to sqlcipher.opened(), where None means a plain file;
        # its annotation says bytes only (to be widened in storage), hence the cast.
        key = cast(bytes, database_key)
        counts = sqlcipher.copy_database(source, key, backup, key)
        checked = sqlcipher.check_file(backup, database_key)
        if checked != counts:
            backup.unlink(missing_ok=True)
            raise StorageError("backup_check_failed")
        log.info("pre-upgrade backup written (schema %s)", before)
    elif before is not None:
        # PostgreSQL: the server's own backups cover it (docs/security.md); say so in the log.
        log.warning("schema %s upgraded without a local copy (server database)", before)
    upgrade(engine)
    return UpgradeReport(before, head, backup)
