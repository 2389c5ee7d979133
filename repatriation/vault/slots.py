"""Making, opening and signing key slots: credentials in, database keys out."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import replace

from repatriation.crypto.keyslots import (
    DEFAULT_KDF,
    KdfParams,
    SlotKey,
    VaultError,
    mac,
    mac_matches,
    parse_recovery_key,
    password_slot_key,
    random_salt,
    recovery_slot_key,
    seal,
    subkey,
)
from repatriation.domain.account_policy import PasswordRules
from repatriation.domain.credentials import Credentials, RecoveryCredentials
from repatriation.domain.text import nfc
from repatriation.vault.keyfile import KeySlots, Slot, SlotKind, canonical_body, with_mac

Keys = Mapping[int, bytes]  # key epoch -> database key
MIN_PASSWORD_LENGTH = PasswordRules.min_length  # the same rule as the account's password


def _sealed_for(slot_public: bytes, slot: Slot, keys: Keys, database_id: str) -> dict[int, bytes]:
    return {
        epoch: seal(key, slot_public, slot.context(database_id, epoch))
        for epoch, key in sorted(keys.items())
    }


def password_slot(
    user: str, password: str, keys: Keys, database_id: str, kdf: KdfParams = DEFAULT_KDF
) -> Slot:
    """A new password slot holding every key in ``keys``.

    Args:
        user: the user name (NFC-normalised).
        password: the password.
        keys: the database keys to seal, by epoch.
        database_id: the vault's database id.
        kdf: Argon2id parameters.

    Returns:
        The slot.
    """
    name = nfc(user)
    if not name:
        raise VaultError("missing_user")
    if len(unicodedata.normalize("NFC", password)) < MIN_PASSWORD_LENGTH:
        raise VaultError("password_too_short", min_length=MIN_PASSWORD_LENGTH)
    kdf.check_for_write()
    salt = random_salt()
    slot_key = password_slot_key(password, salt, kdf)
    template = Slot(SlotKind.PASSWORD, name, salt, slot_key.public_bytes, {}, kdf)
    return replace(template, sealed=_sealed_for(slot_key.public_bytes, template, keys, database_id))


def recovery_slot(secret: bytes, keys: Keys, database_id: str) -> Slot:
    """A new recovery slot for ``secret`` holding every key in ``keys``."""
    salt = random_salt()
    slot_key = recovery_slot_key(secret, salt)
    template = Slot(SlotKind.RECOVERY, "", salt, slot_key.public_bytes, {}, None)
    return replace(template, sealed=_sealed_for(slot_key.public_bytes, template, keys, database_id))


def resealed(slot: Slot, keys: Keys, database_id: str) -> Slot:
    """The same slot holding exactly ``keys`` (rotation: only the public key is needed)."""
    return replace(slot, sealed=_sealed_for(slot.public_key, slot, keys, database_id))


def _mac_key(keys: Keys, keyslots: KeySlots) -> bytes:
    return subkey(keys[keyslots.newest_epoch], "repatriation keyslots mac")


def signed(keyslots: KeySlots, keys: Keys) -> KeySlots:
    """``keyslots`` with its MAC computed from the newest database key."""
    return with_mac(keyslots, mac(_mac_key(keys, keyslots), canonical_body(keyslots)))


def _slot_key(keyslots: KeySlots, credentials: Credentials) -> tuple[Slot, SlotKey]:
    if isinstance(credentials, RecoveryCredentials):
        secret = parse_recovery_key(credentials.recovery_key)
        slot = keyslots.find(SlotKind.RECOVERY)
        if slot is None:
            raise VaultError("wrong_recovery_key")
        slot_key = recovery_slot_key(secret, slot.salt)
        if slot_key.public_bytes != slot.public_key:
            raise VaultError("wrong_recovery_key")
        return slot, slot_key
    found = keyslots.find(SlotKind.PASSWORD, credentials.user)
    # An unknown user costs the same KDF as a wrong password: no user enumeration by timing.
    slot = found or next(s for s in keyslots.slots if s.kind == SlotKind.PASSWORD)
    slot_key = password_slot_key(credentials.password, slot.salt, slot.kdf or DEFAULT_KDF)
    if found is None or slot_key.public_bytes != slot.public_key:
        raise VaultError("wrong_credentials")
    return slot, slot_key


def open_keys(keyslots: KeySlots, credentials: Credentials) -> dict[int, bytes]:
    """Unseal the database keys with ``credentials`` and authenticate the whole file.

    Args:
        keyslots: the parsed file.
        credentials: a password or the recovery key.

    Returns:
        The database keys by epoch (one, or two while a rotation is unfinished).

    Raises:
        VaultError: ``wrong_credentials``, ``wrong_recovery_key``, ``bad_recovery_key`` or
            ``keyslots_tampered``.
    """
    slot, slot_key = _slot_key(keyslots, credentials)
    try:
        keys = {
            epoch: slot_key.unseal(sealed, slot.context(keyslots.database_id, epoch))
            for epoch, sealed in slot.sealed.items()
        }
    except VaultError:
        # The public key matched the secret, so a seal that does not open was altered.
        raise VaultError("keyslots_tampered") from None
    if not mac_matches(_mac_key(keys, keyslots), canonical_body(keyslots), keyslots.mac):
        raise VaultError("keyslots_tampered")
    return keys
