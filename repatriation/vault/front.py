"""The vault as the desk and the CLI reach it, through ``repatriation.services.vault_ports``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from repatriation.domain.credentials import Credentials
from repatriation.services.backup_ports import BackupBackend, TableCounts
from repatriation.services.vault_ports import OpenVault
from repatriation.storage.database import Engine
from repatriation.vault.backup_backend import VaultBackupBackend
from repatriation.vault.core import UnlockedVault, Vault


class FrontOpenVault:
    """Implements ``OpenVault`` over an unlocked vault."""

    def __init__(self, unlocked: UnlockedVault) -> None:
        self._unlocked = unlocked

    @property
    def database_id(self) -> str:
        """The id binding key slots and backups to this database."""
        return self._unlocked.database_id

    def slot_users(self) -> tuple[str, ...]:
        """User names that have a key slot."""
        return self._unlocked.keyslots.users()

    def engine(self) -> Engine:
        """An engine on the encrypted database (the builder's, through :func:`engine_of`)."""
        return self._unlocked.engine()

    def check_database(self) -> TableCounts:
        """Full integrity check of the database file; its row counts."""
        return self._unlocked.check_database()

    def rotate_key(self, drop: Iterable[str] = ()) -> int:
        """Re-key the database and the attachments (see ``UnlockedVault.rotate_key``)."""
        return self._unlocked.rotate_key(drop=drop)

    def backup_backend(self, credentials: Credentials | None) -> BackupBackend:
        """Backups of the open database."""
        return VaultBackupBackend(self._unlocked.vault, self._unlocked, credentials)


class FrontVaults:
    """Implements ``VaultPort``: one :class:`Vault` per data directory asked about."""

    def is_set_up(self, data_dir: Path) -> bool:
        """Whether ``data_dir`` is encrypted."""
        return Vault(data_dir).is_set_up

    def unlock(self, data_dir: Path, credentials: Credentials) -> FrontOpenVault:
        """Open the key slots of ``data_dir`` (see ``Vault.unlock``)."""
        return FrontOpenVault(Vault(data_dir).unlock(credentials))

    def backup_backend(self, data_dir: Path, credentials: Credentials | None) -> BackupBackend:
        """Backups of ``data_dir`` with no open vault."""
        return VaultBackupBackend(Vault(data_dir), None, credentials)


def engine_of(vault: OpenVault) -> Engine:
    """The engine on a vault the front ends opened through :class:`FrontVaults` (for the builder).

    The port leaves the engine out so that the desk and the CLI never name storage; every open
    vault they hold came from ``FrontVaults.unlock``.
    """
    if not isinstance(vault, FrontOpenVault):
        raise TypeError(f"not a vault opened through FrontVaults: {type(vault).__name__}")
    return vault.engine()
