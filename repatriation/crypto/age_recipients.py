"""age v1 recipient types: X25519 keys and scrypt passphrases (wrap and unwrap the file key).

Identities follow the spec's MUSTs: ignore stanzas of other types; refuse a stanza of their own
type with the wrong argument count, a non-canonical or wrong-length share or salt, a body that is
not exactly 32 bytes (checked before decrypting, against partitioning oracles), an all-zero
X25519 shared secret, or an scrypt work factor above the cap (checked before running scrypt).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from repatriation.crypto import bech32
from repatriation.crypto.age_header import Stanza, b64_decode_strict, b64_encode
from repatriation.domain.bundle_errors import KeyFormatError, TamperedError, TooLargeError
from repatriation.domain.bundle_limits import Limits

FILE_KEY_SIZE = 16
_ZERO_NONCE = bytes(12)
_X25519_INFO = b"age-encryption.org/v1/X25519"
_SCRYPT_LABEL = b"age-encryption.org/v1/scrypt"
_LOG_N = re.compile(r"[1-9][0-9]*")
RECIPIENT_HRP = "age"
IDENTITY_HRP = "age-secret-key-"
DEFAULT_SCRYPT_LOG_N = 18  # age(1)'s own default: about one second


def hkdf_sha256(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    """HKDF-SHA-256 with 32 bytes of output, as every age derivation uses."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def _seal_file_key(wrap_key: bytes, file_key: bytes) -> bytes:
    return ChaCha20Poly1305(wrap_key).encrypt(_ZERO_NONCE, file_key, None)


def _open_file_key(wrap_key: bytes, body: bytes) -> bytes | None:
    try:
        return ChaCha20Poly1305(wrap_key).decrypt(_ZERO_NONCE, body, None)
    except InvalidTag:
        return None


class Recipient(Protocol):
    """Something a file key can be wrapped for."""

    def wrap(self, file_key: bytes) -> Stanza:
        """Return the stanza carrying ``file_key`` for this recipient."""
        ...


class Identity(Protocol):
    """Something that may unwrap a file key from the stanzas of a header."""

    def unwrap(self, stanzas: Sequence[Stanza], limits: Limits) -> bytes | None:
        """The file key, ``None`` if no stanza is ours; raises on a malformed stanza of ours."""
        ...


@dataclass(frozen=True)
class X25519Recipient:
    """A public X25519 key (``age1...``)."""

    public: bytes

    def __post_init__(self) -> None:
        if len(self.public) != 32:
            raise KeyFormatError("x25519_recipient", reason="length")

    @classmethod
    def from_string(cls, text: str) -> X25519Recipient:
        """Parse an ``age1...`` string."""
        hrp, data = bech32.decode(text.strip())
        if hrp != RECIPIENT_HRP:
            raise KeyFormatError("x25519_recipient", reason="prefix")
        return cls(data)

    def __str__(self) -> str:
        return bech32.encode(RECIPIENT_HRP, self.public)

    def wrap(self, file_key: bytes) -> Stanza:
        """Wrap with a fresh ephemeral key (spec: new per stanza and per file)."""
        ephemeral = X25519PrivateKey.generate()
        share = ephemeral.public_key().public_bytes_raw()
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(self.public))
        wrap_key = hkdf_sha256(shared, share + self.public, _X25519_INFO)
        body = _seal_file_key(wrap_key, file_key)
        return Stanza("X25519", (b64_encode(share).decode("ascii"),), body)


class X25519Identity:
    """A private X25519 key (``AGE-SECRET-KEY-1...``)."""

    def __init__(self, private: X25519PrivateKey) -> None:
        self._private = private
        self.recipient = X25519Recipient(private.public_key().public_bytes_raw())

    @classmethod
    def generate(cls) -> X25519Identity:
        """A new random identity."""
        return cls(X25519PrivateKey.generate())

    @classmethod
    def from_string(cls, text: str) -> X25519Identity:
        """Parse an ``AGE-SECRET-KEY-1...`` string (age writes it in upper case)."""
        hrp, data = bech32.decode(text.strip())
        if hrp != IDENTITY_HRP or len(data) != 32:
            raise KeyFormatError("x25519_identity", reason="prefix_or_length")
        return cls(X25519PrivateKey.from_private_bytes(data))

    def to_string(self) -> str:
        """The secret key in age's own text form (upper case)."""
        return bech32.encode(IDENTITY_HRP, self._private.private_bytes_raw()).upper()

    def unwrap(self, stanzas: Sequence[Stanza], limits: Limits) -> bytes | None:
        """Try every X25519 stanza; malformed ones are errors, foreign ones are skipped."""
        ours = self.recipient.public
        for index, stanza in enumerate(stanzas):
            if stanza.type != "X25519":
                continue
            where = f"stanza {index}"
            if len(stanza.args) != 1:
                raise TamperedError("age_header", where, reason="x25519_arguments")
            share = b64_decode_strict(stanza.args[0].encode("ascii"), "age_header", where)
            if len(share) != 32:
                raise TamperedError("age_header", where, reason="x25519_share_length")
            if len(stanza.body) != FILE_KEY_SIZE + 16:
                raise TamperedError("age_header", where, reason="body_length")
            try:
                shared = self._private.exchange(X25519PublicKey.from_public_bytes(share))
            except ValueError:
                # OpenSSL refuses an all-zero shared secret (low-order share); the spec says abort.
                raise TamperedError("age_header", where, reason="low_order_share") from None
            file_key = _open_file_key(hkdf_sha256(shared, share + ours, _X25519_INFO), stanza.body)
            if file_key is not None:
                return file_key
        return None


@dataclass(frozen=True)
class ScryptRecipient:
    """A passphrase; ``log_n`` is the base-2 work factor written into the stanza."""

    passphrase: str
    log_n: int = DEFAULT_SCRYPT_LOG_N

    def wrap(self, file_key: bytes) -> Stanza:
        """Wrap under scrypt(passphrase, fresh salt)."""
        salt = os.urandom(16)
        wrap_key = _scrypt(self.passphrase, salt, self.log_n)
        return Stanza(
            "scrypt", (b64_encode(salt).decode("ascii"), str(self.log_n)),
            _seal_file_key(wrap_key, file_key),
        )


@dataclass(frozen=True)
class ScryptIdentity:
    """A passphrase offered to open an scrypt stanza."""

    passphrase: str

    def unwrap(self, stanzas: Sequence[Stanza], limits: Limits) -> bytes | None:
        """Open the (single) scrypt stanza; the work factor is capped before scrypt runs."""
        for index, stanza in enumerate(stanzas):
            if stanza.type != "scrypt":
                continue
            where = f"stanza {index}"
            if len(stanzas) != 1:
                raise TamperedError("age_header", where, reason="scrypt_not_alone")
            if len(stanza.args) != 2:
                raise TamperedError("age_header", where, reason="scrypt_arguments")
            salt = b64_decode_strict(stanza.args[0].encode("ascii"), "age_header", where)
            if len(salt) != 16:
                raise TamperedError("age_header", where, reason="scrypt_salt_length")
            if not _LOG_N.fullmatch(stanza.args[1]):
                raise TamperedError("age_header", where, reason="scrypt_work_factor")
            if len(stanza.args[1]) > 3 or int(stanza.args[1]) > limits.max_scrypt_log_n:
                raise TooLargeError("scrypt_work_factor", where, value=stanza.args[1][:8],
                                    limit=limits.max_scrypt_log_n)
            if len(stanza.body) != FILE_KEY_SIZE + 16:
                raise TamperedError("age_header", where, reason="body_length")
            wrap_key = _scrypt(self.passphrase, salt, int(stanza.args[1]))
            return _open_file_key(wrap_key, stanza.body)
        return None


def _scrypt(passphrase: str, salt: bytes, log_n: int) -> bytes:
    kdf = Scrypt(salt=_SCRYPT_LABEL + salt, length=32, n=1 << log_n, r=8, p=1)
    return kdf.derive(passphrase.encode("utf-8"))
