"""The vault of one data directory: set-up, unlock, password and recovery-key changes, key rotation.

One random 256-bit database key encrypts the SQLCipher file and (through derived keys) the
attachments. It is sealed to one key slot per user, derived from the user's password with
Argon2id, and to a recovery slot derived from the recovery key printed once at set-up.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from repatriation.config import SQLITE_FILE_NAME
from repatriation.crypto.attachment_cipher import AttachmentCipher, AttachmentSealer
from repatriation.crypto.keyslots import (
    DEFAULT_KDF,
    KdfParams,
    VaultError,
    format_recovery_key,
    new_recovery_secret,
)
from repatriation.domain.clock import SystemClock
from repatriation.domain.credentials import Credentials, PasswordCredentials, RecoveryCredentials
from repatriation.services.attachment_ports import AttachmentCipherPort
from repatriation.services.ports import Clock
from repatriation.storage import sqlcipher
from repatriation.storage.database import Engine
from repatriation.storage.unit_of_work import StorageError
from repatriation.vault import operations
from repatriation.vault.first_setup import Prepare, SetupResult, ShowKey, run_setup
from repatriation.vault.keyfile import KEYSLOTS_FILE, KeySlots, Slot, SlotKind, VaultState, load, save
from repatriation.vault.proof import UnlockProof
from repatriation.vault.slots import open_keys, password_slot, recovery_slot, signed
from repatriation.vault.throttle import ATTEMPTS_FILE, SignInThrottle

log = logging.getLogger(__name__)


class Vault:
    """Key material of the data directory ``data_dir`` (the files, not yet any key)."""

    def __init__(self, data_dir: Path, clock: Clock | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.db_path = self.data_dir / SQLITE_FILE_NAME
        self.keyslots_path = self.data_dir / KEYSLOTS_FILE
        self.clock: Clock = clock or SystemClock()

    def throttle(self) -> SignInThrottle:
        """The failed-unlock counters (kept outside the database, which is closed until then)."""
        return SignInThrottle(self.data_dir / ATTEMPTS_FILE, self.clock.now)

    @property
    def is_set_up(self) -> bool:
        """Whether encryption is set up (from then on every open needs credentials)."""
        return self.keyslots_path.exists()

    def users(self) -> tuple[str, ...]:
        """User names that have a key slot."""
        return load(self.keyslots_path).users()

    def setup(
        self,
        user: str,
        password: str,
        *,
        kdf: KdfParams = DEFAULT_KDF,
        prepare: Prepare | None = None,
        show: ShowKey | None = None,
    ) -> SetupResult:
        """Encrypt this data directory, all or nothing (:mod:`repatriation.vault.first_setup`).

        An existing plain database is copied, encrypted and filled beside the original, which
        is replaced only after the key slots are on disk; an empty directory gets a new one.

        Args:
            user: the supervisor's user name.
            password: the supervisor's password (the account's password rules apply).
            kdf: Argon2id parameters for the slot (never below the floor).
            prepare: runs on the staged database (migrations, the first account).
            show: shows the recovery key before set-up is marked complete.

        Returns:
            The recovery key (show it once) and the new database id.

        Raises:
            VaultError: ``already_set_up``, ``database_without_keyslots``, ``kdf_too_weak``...
            ValidationError: the user name or the password breaks a rule.
        """
        return run_setup(self, user, password, kdf, prepare, show)

    def resume_setup(self, user: str, password: str, show: ShowKey | None = None) -> SetupResult:
        """Finish a set-up interrupted after its commit point, with the same password.

        A fresh recovery key is issued, since nobody can say whether the first one was seen.
        """
        if load(self.keyslots_path).state != VaultState.CONVERTING:
            raise VaultError("already_set_up")
        unlocked = self.unlock(PasswordCredentials(user, password))
        recovery_key = unlocked.replace_recovery_key()
        if show is not None:
            show(recovery_key)
        return SetupResult(recovery_key, unlocked.database_id, True)

    def unlock(self, credentials: Credentials) -> UnlockedVault:
        """Open the key slots with a password or the recovery key; finish interrupted work.

        Raises:
            VaultError: ``not_set_up``, ``wrong_credentials``, ``wrong_recovery_key``,
                ``bad_recovery_key``, ``keyslots_damaged``, ``keyslots_tampered``,
                ``database_not_encrypted``, ``account_locked`` (with ``retry_after``).
            StorageError: ``database_damaged`` when the key does not open the database.
        """
        keyslots = load(self.keyslots_path)
        keys = self._open_counted(keyslots, credentials)
        if keyslots.state == VaultState.CONVERTING:
            keyslots = operations.finish_conversion(
                self.keyslots_path, self.db_path, keyslots, keys
            )
        elif keyslots.state == VaultState.ROTATING:
            keyslots, keys = operations.finish_rotation(
                self.keyslots_path, self.db_path, self._attachments_dir(), keyslots, keys
            )
        kind = sqlcipher.file_kind(self.db_path)
        if kind == "plain":
            # Set-up completed earlier, so a plain file here was put in place of ours.
            raise VaultError("database_not_encrypted")
        if kind != "encrypted":
            raise VaultError("database_missing")
        if not sqlcipher.key_opens(self.db_path, keys[keyslots.epoch]):
            # Another database put in place of ours, or page 1 damaged: a clear error, not a crash.
            raise StorageError("database_damaged")
        self._remove_stale_staging()
        if isinstance(credentials, PasswordCredentials):
            proof = UnlockProof(credentials.user, credentials.password)
            return UnlockedVault(self, keyslots, dict(keys), credentials.user, proof)
        return UnlockedVault(self, keyslots, dict(keys), "")

    def _open_counted(self, keyslots: KeySlots, credentials: Credentials) -> dict[int, bytes]:
        # Only names that have a slot are counted: the text typed for an unknown name may be a
        # password and is never written down (it still costs one Argon2id derivation).
        slot = (
            keyslots.find(SlotKind.PASSWORD, credentials.user)
            if isinstance(credentials, PasswordCredentials)
            else None
        )
        if slot is None:
            return open_keys(keyslots, credentials)
        throttle = self.throttle()
        throttle.refuse_if_paused(slot.user)
        try:
            keys = open_keys(keyslots, credentials)
        except VaultError as exc:
            if exc.code != "wrong_credentials":
                raise
            wait = throttle.failed(slot.user)
            raise VaultError("wrong_credentials", retry_after=wait) from None
        throttle.succeeded(slot.user)
        return keys

    def change_password(
        self, user: str, old_password: str, new_password: str, *, kdf: KdfParams | None = None
    ) -> None:
        """Change one user's password: only that user's slot is re-derived and re-sealed.

        Raises:
            VaultError: ``wrong_credentials`` when the old password is wrong.
        """
        unlocked = self.unlock(PasswordCredentials(user, old_password))
        unlocked.set_password(user, new_password, kdf=kdf)

    def _attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    def _remove_stale_staging(self) -> None:
        # A restore killed half-way leaves its staged copy (encrypted, but as big as the database).
        for leftover in self.data_dir.glob(".restore-*.stage*"):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


class UnlockedVault:
    """The vault with its keys in memory: opens the database and manages slots."""

    def __init__(self, vault: Vault, keyslots: KeySlots, keys: dict[int, bytes], user: str,
                 proof: UnlockProof | None = None) -> None:
        self.vault = vault
        self._keyslots = keyslots
        self._keys = keys
        self.user = user  # "" when unlocked with the recovery key
        self.opened_by = (proof or UnlockProof("", None)).opened_by

    @property
    def database_id(self) -> str:
        """The id binding slots and backups to this database."""
        return self._keyslots.database_id

    @property
    def epoch(self) -> int:
        """The current key epoch (raised by each rotation)."""
        return self._keyslots.epoch

    @property
    def keyslots(self) -> KeySlots:
        """The current key slots (public data only)."""
        return self._keyslots

    def database_key(self) -> bytes:
        """The current raw database key (for storage and crypto adapters only)."""
        return self._keys[self._keyslots.epoch]

    def engine(self) -> Engine:
        """A SQLAlchemy engine on the encrypted database (new connections follow a rotation)."""
        return sqlcipher.make_encrypted_engine(self.vault.db_path, self.database_key)

    def attachment_cipher(self) -> AttachmentCipher:
        """The attachment cipher of the current key epoch."""
        return AttachmentCipher(self.database_key(), self.epoch)

    def attachment_store_cipher(self) -> AttachmentCipherPort:
        """The cipher the attachment store writes with: the current epoch's, following a rotation."""
        return _CurrentCipher(self)

    def _save(self, keyslots: KeySlots) -> None:
        current = {self.epoch: self.database_key()}
        self._keyslots = signed(keyslots, current)
        save(self.vault.keyslots_path, self._keyslots)

    def add_user(self, user: str, password: str, *, kdf: KdfParams = DEFAULT_KDF) -> None:
        """Give a new user a key slot (a supervisor action; the account itself is part A's).

        Raises:
            VaultError: ``user_exists``.
        """
        if self._keyslots.find(SlotKind.PASSWORD, user) is not None:
            raise VaultError("user_exists", user=user)
        current = {self.epoch: self.database_key()}
        slot = password_slot(user, password, current, self.database_id, kdf)
        self._save(replace(self._keyslots, slots=(*self._keyslots.slots, slot)))

    def set_password(self, user: str, password: str, *, kdf: KdfParams | None = None) -> None:
        """Replace one user's slot (own password change, or a supervisor's reset).

        Only that slot changes; every other slot stays byte-for-byte the same.
        """
        old = self._keyslots.find(SlotKind.PASSWORD, user)
        if old is None:
            raise VaultError("unknown_user", user=user)
        current = {self.epoch: self.database_key()}
        new = password_slot(old.user, password, current, self.database_id, kdf or old.kdf or DEFAULT_KDF)
        slots = tuple(new if s is old else s for s in self._keyslots.slots)
        self._save(replace(self._keyslots, slots=slots))

    def _without_user(self, user: str) -> tuple[Slot, ...]:
        if self._keyslots.find(SlotKind.PASSWORD, user) is None:
            raise VaultError("unknown_user", user=user)
        remaining = self._keyslots.without(SlotKind.PASSWORD, user)
        if not any(s.kind == SlotKind.PASSWORD for s in remaining):
            raise VaultError("last_user")
        return remaining

    def remove_user(self, user: str) -> None:
        """Remove a user's slot without rotating (:meth:`revoke` also rotates the key).

        Raises:
            VaultError: ``unknown_user``, or ``last_user`` (a vault always keeps one password slot).
        """
        self._save(replace(self._keyslots, slots=self._without_user(user)))

    def revoke(self, user: str) -> bool:
        """Take away a user's access for good: drop their slot and rotate the database key.

        Their password then opens nothing, even with a copy of the key file taken before: the
        old slots hold only the old key, which no longer opens the database or attachments.
        Close every other connection to the database first (the engine's pool keeps none).

        Returns:
            ``False`` when the user had no slot (nothing to do).
        """
        if self._keyslots.find(SlotKind.PASSWORD, user) is None:
            return False
        self.rotate_key(drop=(user,))
        log.info("a key slot was revoked and the database key rotated")
        return True

    def check_recovery_key(self, text: str) -> None:
        """Check that ``text`` is this desk's recovery key (no key is opened or changed).

        Raises:
            VaultError: ``bad_recovery_key`` (typo) or ``wrong_recovery_key``.
        """
        open_keys(self._keyslots, RecoveryCredentials(text))

    def replace_recovery_key(self) -> str:
        """A new recovery key (the old printed one stops working); returns it to show once."""
        secret = new_recovery_secret()
        current = {self.epoch: self.database_key()}
        slot = recovery_slot(secret, current, self.database_id)
        slots = (*self._keyslots.without(SlotKind.RECOVERY), slot)
        self._save(replace(self._keyslots, slots=slots))
        return format_recovery_key(secret)

    def rotate_key(self, drop: Iterable[str] = ()) -> int:
        """Re-key the database file (``PRAGMA rekey``) and the attachments to a new random key.

        Close every engine on this database first. Crash-safe: an interrupted rotation is
        finished by the next unlock. Old backups keep opening with the key slots they carry.

        Args:
            drop: users whose slots are left out: the new key is never sealed to them (the
                slots go in the same write that records the rotation, so a crash cannot leave
                a removed slot with a key that still opens the database).

        Returns:
            The new key epoch.
        """
        original = self._keyslots
        try:
            for user in drop:
                self._keyslots = replace(self._keyslots, slots=self._without_user(user))
            rotating, both = operations.start_rotation(
                self.vault.keyslots_path, self._keyslots, self._keys
            )
        except BaseException:
            self._keyslots = original  # nothing was written
            raise
        self._keyslots, self._keys = operations.finish_rotation(
            self.vault.keyslots_path,
            self.vault.db_path,
            self.vault._attachments_dir(),
            rotating,
            both,
        )
        return self.epoch

    def check_database(self) -> sqlcipher.TableCounts:
        """Full integrity check of the database file; returns its row counts."""
        return sqlcipher.check_file(self.vault.db_path, self.database_key())


class _CurrentCipher:
    """The attachment cipher of whatever key epoch the vault is at (a rotation moves it on)."""

    def __init__(self, unlocked: UnlockedVault) -> None:
        self._unlocked = unlocked

    @property
    def epoch(self) -> int:
        """The current key epoch."""
        return self._unlocked.epoch

    def file_name(self, sha256_hex: str) -> str:
        """The on-disk name for a content hash."""
        return self._unlocked.attachment_cipher().file_name(sha256_hex)

    def encrypt(self, data: bytes) -> tuple[str, bytes]:
        """``(sha256_hex, file_bytes)`` under the current key."""
        return self._unlocked.attachment_cipher().encrypt(data)

    def decrypt(self, blob: bytes, sha256_hex: str | None = None) -> tuple[str, bytes]:
        """``(sha256_hex, content)``."""
        return self._unlocked.attachment_cipher().decrypt(blob, sha256_hex)

    def decrypt_blocks(self, source: BinaryIO, sha256_hex: str) -> Iterator[bytes]:
        """The content block by block, checked at the end."""
        return self._unlocked.attachment_cipher().decrypt_blocks(source, sha256_hex)

    def sealer(self, sink: BinaryIO, sha256_hex: str) -> AttachmentSealer:
        """A writer of one file under the current key."""
        return self._unlocked.attachment_cipher().sealer(sink, sha256_hex)
