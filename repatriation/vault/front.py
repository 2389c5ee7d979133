"""The vault as the desk and the CLI reach it, through ``repatriation.services.vault_ports``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from repatriation.crypto.keyslots import KdfParams
from repatriation.domain.credentials import Credentials
from repatriation.services.backup_ports import BackupBackend, TableCounts
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
        """An engine on the encrypted database."""
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

    def set_up(
        self,
        data_dir: Path,
        user: str,
        password: str,
        *,
        kdf_memory_mib: int,
        kdf_iterations: int,
        prepare: Callable[[Engine], None],
        show: Callable[[str], None],
    ) -> None:
        """Encrypt ``data_dir`` (see ``Vault.setup``)."""
        kdf = KdfParams(memory_kib=kdf_memory_mib * 1024, iterations=kdf_iterations)
        Vault(data_dir).setup(user, password, kdf=kdf, prepare=prepare, show=show)

    def backup_backend(self, data_dir: Path, credentials: Credentials | None) -> BackupBackend:
        """Backups of ``data_dir`` with no open vault."""
        return VaultBackupBackend(Vault(data_dir), None, credentials)
