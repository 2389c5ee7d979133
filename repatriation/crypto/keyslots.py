"""Key-slot cryptography: Argon2id or recovery-key slot keys, sealing the database key, MACs.

A key slot is an X25519 key pair derived from a secret: a password through Argon2id, or the
printed recovery key through HKDF (it already has 160 random bits). The database key is sealed
to each slot's public key with HPKE (RFC 9180). Sealing needs only public keys, so rotating the
database key re-seals every slot without anyone's password, and a password change re-derives
one slot and re-seals only it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from repatriation.crypto.kdf_lock import ARGON2_LOCK
from repatriation.domain.errors import DomainError

KEY_BYTES = 32
SALT_BYTES = 16
RECOVERY_SECRET_BYTES = 20  # 160 bits: 32 base32 characters, typeable from a printed sheet
_RECOVERY_CHECK_CHARS = 4
_GROUP = 4
# Base32 has no 0, 1 or 8; officers copying from paper confuse them with O, I and B.
_TYPO_FIXES = str.maketrans({"0": "O", "1": "I", "8": "B"})
_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
_SEALED_BYTES = 32 + KEY_BYTES + 16  # enc || ciphertext || tag


class VaultError(DomainError):
    """The vault refused: wrong credentials, damaged or tampered key slots, wrong state."""

    code = "vault"

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code, **params)


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost parameters, stored with each slot so they can be raised later."""

    memory_kib: int = 65536  # RFC 9106 second choice: 64 MiB, t=3, p=4 (~0.25 s here)
    iterations: int = 3
    lanes: int = 4

    # Bounds checked before deriving: a tampered slot must not make us allocate 64 GiB or
    # spin for an hour. The work cap (memory x passes) keeps any accepted slot to a few seconds.
    MAX_MEMORY_KIB = 1024 * 1024  # 1 GiB
    MAX_ITERATIONS = 16
    MAX_LANES = 16
    MAX_WORK_KIB = 2 * 1024 * 1024  # memory_kib x iterations, e.g. 1 GiB x 2 or 64 MiB x 32
    # Never written below this (OWASP's Argon2id minimum): the cost of each offline guess.
    FLOOR_MEMORY_KIB = 19 * 1024
    FLOOR_ITERATIONS = 2

    def check(self) -> None:
        """Refuse parameters outside the range this desk will ever run (checked on read).

        Raises:
            VaultError: ``kdf_out_of_range`` naming the memory and passes asked for.
        """
        ok = (
            1 <= self.lanes <= self.MAX_LANES
            and 1 <= self.iterations <= self.MAX_ITERATIONS
            and 8 * self.lanes <= self.memory_kib <= self.MAX_MEMORY_KIB
            and self.memory_kib * self.iterations <= self.MAX_WORK_KIB
        )
        if not ok:
            raise VaultError(
                "kdf_out_of_range", memory_mib=self.memory_kib // 1024, iterations=self.iterations
            )

    def check_for_write(self) -> None:
        """The read bounds plus the floor: a new slot never costs an attacker less.

        Raises:
            VaultError: ``kdf_out_of_range`` or ``kdf_too_weak``.
        """
        self.check()
        if self.memory_kib < self.FLOOR_MEMORY_KIB or self.iterations < self.FLOOR_ITERATIONS:
            raise VaultError(
                "kdf_too_weak",
                memory_mib=self.FLOOR_MEMORY_KIB // 1024,
                iterations=self.FLOOR_ITERATIONS,
            )


DEFAULT_KDF = KdfParams()


class SlotKey:
    """The private half of a key slot (held only while unlocking or changing the slot)."""

    def __init__(self, private: X25519PrivateKey) -> None:
        self._private = private

    @property
    def public_bytes(self) -> bytes:
        """The 32-byte public key stored in the slot."""
        return self._private.public_key().public_bytes_raw()

    def unseal(self, sealed: bytes, context: bytes) -> bytes:
        """Open a key sealed to this slot.

        Args:
            sealed: the bytes made by :func:`seal`.
            context: the same context bytes used to seal.

        Returns:
            The 32-byte key.

        Raises:
            VaultError: ``wrong_credentials`` when this slot key does not open it.
        """
        if len(sealed) != _SEALED_BYTES:
            raise VaultError("keyslots_damaged", part="sealed")
        try:
            key = _SUITE.decrypt(sealed, self._private, info=context)
        except (InvalidTag, ValueError):
            raise VaultError("wrong_credentials") from None
        return key


def _normalised_secret(text: str) -> bytes:
    # NFC so that a Vietnamese password typed on another keyboard layout derives the same key.
    return unicodedata.normalize("NFC", text).encode("utf-8")


def password_slot_key(password: str, salt: bytes, params: KdfParams) -> SlotKey:
    """Derive a slot key pair from a password with Argon2id.

    Args:
        password: the user's password (NFC-normalised here).
        salt: the slot's random salt.
        params: the slot's Argon2id parameters (checked first).

    Returns:
        The slot key.
    """
    params.check()
    secret = _normalised_secret(password)
    with ARGON2_LOCK:
        seed = Argon2id(
            salt=salt,
            length=KEY_BYTES,
            iterations=params.iterations,
            lanes=params.lanes,
            memory_cost=params.memory_kib,
        ).derive(secret)
    return SlotKey(X25519PrivateKey.from_private_bytes(seed))


def recovery_slot_key(secret: bytes, salt: bytes) -> SlotKey:
    """Derive the recovery slot key pair from the recovery secret (HKDF: it is already random).

    Args:
        secret: the decoded recovery key.
        salt: the slot's random salt.

    Returns:
        The slot key.
    """
    seed = HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=b"repatriation recovery slot"
    ).derive(secret)
    return SlotKey(X25519PrivateKey.from_private_bytes(seed))


def seal(key: bytes, public_key: bytes, context: bytes) -> bytes:
    """Seal ``key`` to a slot public key; ``context`` binds database, epoch and slot.

    Args:
        key: the 32-byte key to protect.
        public_key: the slot's 32-byte X25519 public key.
        context: bytes that must be given again to unseal.

    Returns:
        The sealed bytes (80 bytes).
    """
    if len(key) != KEY_BYTES:
        raise ValueError("key must be 32 bytes")
    return _SUITE.encrypt(key, X25519PublicKey.from_public_bytes(public_key), info=context)


def random_key() -> bytes:
    """A fresh random 256-bit key."""
    return os.urandom(KEY_BYTES)


def random_salt() -> bytes:
    """A fresh random slot salt."""
    return os.urandom(SALT_BYTES)


def subkey(key: bytes, label: str, salt: bytes | None = None) -> bytes:
    """An independent 256-bit key for one purpose, derived with HKDF-SHA256.

    Args:
        key: the parent key (the database key).
        label: what the subkey is for, e.g. ``"keyslots-mac"``.
        salt: optional per-object salt.

    Returns:
        32 bytes.
    """
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=label.encode("ascii")
    ).derive(key)


def mac(key: bytes, data: bytes) -> bytes:
    """HMAC-SHA256 of ``data``.

    Args:
        key: the MAC key (a :func:`subkey`).
        data: the bytes to authenticate.

    Returns:
        The 32-byte tag.
    """
    return hmac.new(key, data, hashlib.sha256).digest()


def mac_matches(key: bytes, data: bytes, tag: bytes) -> bool:
    """Whether ``tag`` authenticates ``data`` (constant-time comparison).

    Args:
        key: the MAC key.
        data: the bytes.
        tag: the expected tag.

    Returns:
        ``True`` when it matches.
    """
    return hmac.compare_digest(mac(key, data), tag)


# -- the recovery key as printed for the supervisor ------------------------------------------


def _check_chars(secret: bytes) -> str:
    digest = hashlib.sha256(b"repatriation recovery key check" + secret).digest()
    return base64.b32encode(digest[:5]).decode("ascii")[:_RECOVERY_CHECK_CHARS]


def new_recovery_secret() -> bytes:
    """A fresh random recovery secret."""
    return secrets.token_bytes(RECOVERY_SECRET_BYTES)


def format_recovery_key(secret: bytes) -> str:
    """The recovery key as printed: nine groups of four, the last one a typo check.

    Args:
        secret: the 20-byte recovery secret.

    Returns:
        Text such as ``ABCD-EFGH-...-WXYZ``.
    """
    body = base64.b32encode(secret).decode("ascii") + _check_chars(secret)
    return "-".join(body[i : i + _GROUP] for i in range(0, len(body), _GROUP))


def parse_recovery_key(text: str) -> bytes:
    """Decode a typed recovery key (case, spaces, dashes and 0/1/8 look-alikes forgiven).

    Args:
        text: what the user typed.

    Returns:
        The 20-byte recovery secret.

    Raises:
        VaultError: ``bad_recovery_key`` when it is not a well-formed key (typo detected).
    """
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_TYPO_FIXES)
    body_len = RECOVERY_SECRET_BYTES * 8 // 5
    if len(cleaned) != body_len + _RECOVERY_CHECK_CHARS:
        raise VaultError("bad_recovery_key")
    try:
        secret = base64.b32decode(cleaned[:body_len])
    except ValueError:
        raise VaultError("bad_recovery_key") from None
    if not hmac.compare_digest(_check_chars(secret), cleaned[body_len:]):
        raise VaultError("bad_recovery_key")
    return secret
