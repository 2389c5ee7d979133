"""The vault side of backups: which key opens a backup, and putting a verified copy in place."""

from __future__ import annotations

from pathlib import Path

from repatriation.crypto.keyslots import VaultError, mac, mac_matches, subkey
from repatriation.domain.credentials import Credentials
from repatriation.files import atomic_write_bytes
from repatriation.services.backup_ports import BackupError, TableCounts
from repatriation.storage import sqlcipher
from repatriation.storage.unit_of_work import StorageError
from repatriation.vault.core import UnlockedVault, Vault
from repatriation.vault.keyfile import parse, to_bytes
from repatriation.vault.slots import open_keys


def _mac_key(key: bytes) -> bytes:
    return subkey(key, "repatriation backup mac")


class VaultBackupBackend:
    """Implements ``repatriation.services.backup_ports.BackupBackend`` for one data directory.

    ``unlocked`` is the open vault (``None`` on a new machine, to restore into an empty data
    directory). ``credentials`` open the key slots stored in a backup whose key epoch differs
    from the current one (a backup made before a key rotation, or on a new machine).
    """

    def __init__(
        self, vault: Vault, unlocked: UnlockedVault | None, credentials: Credentials | None
    ) -> None:
        self._vault = vault
        self._unlocked = unlocked
        self._credentials = credentials

    def _open(self) -> UnlockedVault:
        if self._unlocked is None:
            raise VaultError("locked" if self._vault.is_set_up else "not_set_up")
        return self._unlocked

    def header_mac(self, key: bytes, data: bytes) -> bytes:
        """HMAC-SHA-256 of a backup's header under a subkey of its database key."""
        return mac(_mac_key(key), data)

    def header_mac_matches(self, key: bytes, data: bytes, tag: bytes) -> bool:
        """Whether ``tag`` is the header's MAC (constant time)."""
        return mac_matches(_mac_key(key), data, tag)

    def identity(self) -> tuple[str, int]:
        """The live database id and key epoch."""
        unlocked = self._open()
        return unlocked.database_id, unlocked.epoch

    def keyslots_bytes(self) -> bytes:
        """The current key slots, stored inside each backup."""
        return to_bytes(self._open().keyslots)

    def key_for(self, database_id: str, epoch: int, keyslots: bytes) -> bytes:
        """The key of a backup: the current one, or one unsealed from the backup's own slots.

        Raises:
            BackupError: ``backup_foreign`` (another database), ``backup_key_unavailable``.
        """
        if self._unlocked is not None:
            if database_id != self._unlocked.database_id:
                raise BackupError("backup_foreign")
            if epoch == self._unlocked.epoch:
                return self._unlocked.database_key()
        elif self._vault.is_set_up:
            raise VaultError("locked")
        return self._key_from_backup_slots(database_id, epoch, keyslots)

    def _key_from_backup_slots(self, database_id: str, epoch: int, keyslots: bytes) -> bytes:
        if self._credentials is None:
            raise BackupError("backup_key_unavailable", epoch=epoch)
        try:
            stored = parse(keyslots)
        except VaultError:
            raise BackupError("backup_damaged", part="keyslots") from None
        if stored.database_id != database_id:
            raise BackupError("backup_damaged", part="keyslots")
        try:
            keys = open_keys(stored, self._credentials)
        except VaultError as exc:
            if exc.code == "keyslots_tampered":
                raise BackupError("backup_damaged", part="keyslots") from None
            raise BackupError("backup_key_unavailable", epoch=epoch) from None
        if epoch not in keys:
            raise BackupError("backup_damaged", part="key_epoch")
        return keys[epoch]

    def snapshot(self, target: Path) -> TableCounts:
        """Online backup of the live database into ``target`` under the same key."""
        key = self._open().database_key()
        return sqlcipher.copy_database(self._vault.db_path, key, target, key)

    def check(self, path: Path, key: bytes) -> TableCounts:
        """Page HMACs, ``integrity_check`` and row counts of a copy."""
        return sqlcipher.check_file(path, key)

    def install(self, staged: Path, key: bytes, keyslots: bytes) -> None:
        """Copy a verified backup into the live database (online backup API, one transaction).

        The pages are re-encrypted under the live key, so the current key slots keep working.
        On a new machine the backup's key slots are installed first, then the database.
        """
        db = self._vault.db_path
        if self._unlocked is None:
            if sqlcipher.file_kind(db) not in ("missing", "empty"):
                raise BackupError("restore_target_not_empty")
            self._vault.data_dir.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self._vault.keyslots_path, keyslots)
            live_key = key
        else:
            live_key = self._unlocked.database_key()
        counts = sqlcipher.copy_database(staged, key, db, live_key)
        sqlcipher.checkpoint(db, live_key)
        if sqlcipher.check_file(db, live_key) != counts:
            raise StorageError("database_damaged", check="restore_counts")
