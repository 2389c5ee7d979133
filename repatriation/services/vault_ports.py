"""Ports of a data directory's vault as the desk and the CLI use it: unlock, re-key, back up."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from repatriation.domain.credentials import Credentials
from repatriation.services.backup_ports import BackupBackend, TableCounts


class OpenVault(Protocol):
    """A vault unlocked with a password or the recovery key (``repatriation.vault`` implements it).

    The front ends hand it to the composition root's builder (``build(settings, vault=...)``) for
    services on its database; only the builder knows how the database is reached.
    """

    @property
    def database_id(self) -> str:
        """The id binding key slots and backups to this database."""
        ...

    def slot_users(self) -> tuple[str, ...]:
        """User names that have a key slot."""
        ...

    def check_database(self) -> TableCounts:
        """Full integrity check of the database file; its row counts."""
        ...

    def rotate_key(self, drop: Iterable[str] = ()) -> int:
        """A new database key, never sealed to the slots of ``drop``; returns the new key epoch."""
        ...

    def backup_backend(self, credentials: Credentials | None) -> BackupBackend:
        """What backups of this database need (``credentials`` open an older backup's slots)."""
        ...


class VaultPort(Protocol):
    """The vaults of data directories, as ``main.py`` hands them to the desk and the CLI."""

    def is_set_up(self, data_dir: Path) -> bool:
        """Whether ``data_dir`` is encrypted (from then on every open needs credentials)."""
        ...

    def unlock(self, data_dir: Path, credentials: Credentials) -> OpenVault:
        """Open the key slots of ``data_dir`` (``VaultError``, ``StorageError`` on refusal)."""
        ...

    def backup_backend(self, data_dir: Path, credentials: Credentials | None) -> BackupBackend:
        """Backups of ``data_dir`` without an open vault (restoring onto a new machine, status)."""
        ...
