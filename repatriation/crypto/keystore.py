"""The post's private keys on disk: one file, encrypted under a passphrase with Argon2id.

File: JSON with the KDF parameters (stored, so they can be raised later), a random salt and
nonce, and the ChaCha20-Poly1305 ciphertext of the identities. The parameters are the AEAD's
associated data, so a file with weakened parameters fails to open. Written atomically.
"""

from __future__ import annotations

import base64
import os
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from repatriation.crypto.age_recipients import X25519Identity
from repatriation.crypto.atomic import atomic_output
from repatriation.crypto.kdf_lock import ARGON2_LOCK
from repatriation.crypto.keys import PostIdentity
from repatriation.domain.bundle_errors import KeyStoreError
from repatriation.domain.key_directory import DEFAULT_GRACE, b64url, unb64url
from repatriation.domain.strict_json import canonical_json, loads_strict

FORMAT = "vn-ctp-keystore"
VERSION = 1
_MAX_FILE = 1024 * 1024


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost; RFC 9106's second recommendation and our floor is 64 MiB, t=3, p=4."""

    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4

    def check(self) -> None:
        """Refuse costs that are too weak to keep or so high they would hang the desk."""
        if not (8 * 1024 <= self.memory_kib <= 2 * 1024 * 1024 and 1 <= self.iterations <= 64
                and 1 <= self.lanes <= 16):
            raise KeyStoreError("keystore_damaged", reason="kdf_parameters")


@dataclass(frozen=True)
class KeyStore:
    """Our identities: exactly one current (signs), others rotated out (decrypt only)."""

    identities: tuple[PostIdentity, ...] = field(default_factory=tuple)

    @property
    def current(self) -> PostIdentity:
        """The identity that signs new bundles."""
        for identity in self.identities:
            if identity.retired_at is None:
                return identity
        raise KeyStoreError("no_current_identity")

    def decrypting(self, now: datetime) -> tuple[PostIdentity, ...]:
        """Identities that may still open bundles (current first)."""
        usable = [i for i in self.identities if i.can_decrypt(now)]
        return tuple(sorted(usable, key=lambda i: i.retired_at is not None))

    def with_new_identity(self, identity: PostIdentity, now: datetime,
                          grace: timedelta = DEFAULT_GRACE) -> KeyStore:
        """Rotate: ``identity`` becomes current; the previous one decrypts until now + grace."""
        kept = tuple(i.retire(now, now + grace) if i.retired_at is None else i
                     for i in self.identities)
        return KeyStore((identity, *kept))

    def pruned(self, now: datetime) -> KeyStore:
        """Drop identities whose grace period is over (they are destroyed on the next save)."""
        return replace(self, identities=tuple(i for i in self.identities if i.can_decrypt(now)))


def _derive(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    kdf = Argon2id(salt=salt, length=32, iterations=params.iterations, lanes=params.lanes,
                   memory_cost=params.memory_kib)
    # NFC so that the same passphrase typed through different Vietnamese input methods matches.
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    with ARGON2_LOCK:
        return kdf.derive(secret)


def _header(params: KdfParams, salt: bytes) -> dict[str, Any]:
    return {
        "format": FORMAT, "version": VERSION, "cipher": "chacha20-poly1305",
        "kdf": {"name": "argon2id", "salt": b64url(salt), "memory_kib": params.memory_kib,
                "iterations": params.iterations, "lanes": params.lanes},
    }


def _identity_json(identity: PostIdentity) -> dict[str, Any]:
    def when(value: datetime | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "agency": identity.agency, "x25519": identity.x25519.to_string(),
        "ed25519": b64url(identity.ed25519.private_bytes_raw()),
        "created_at": when(identity.created_at), "retired_at": when(identity.retired_at),
        "decrypt_until": when(identity.decrypt_until),
    }


def _identity_from_json(data: dict[str, Any]) -> PostIdentity:
    def when(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value is not None else None

    created = when(data["created_at"])
    if created is None:
        raise KeyStoreError("keystore_damaged", reason="created_at")
    return PostIdentity(
        x25519=X25519Identity.from_string(data["x25519"]),
        ed25519=Ed25519PrivateKey.from_private_bytes(unb64url(data["ed25519"], "keystore")),
        agency=data["agency"], created_at=created, retired_at=when(data["retired_at"]),
        decrypt_until=when(data["decrypt_until"]),
    )


def save_keystore(path: Path, store: KeyStore, passphrase: str,
                  params: KdfParams = KdfParams()) -> None:
    """Encrypt ``store`` under ``passphrase`` and write it atomically to ``path``."""
    params.check()
    salt, nonce = os.urandom(16), os.urandom(12)
    header = _header(params, salt)
    plaintext = canonical_json({"identities": [_identity_json(i) for i in store.identities]})
    sealed = ChaCha20Poly1305(_derive(passphrase, salt, params)).encrypt(
        nonce, plaintext, canonical_json(header))
    document = {**header, "nonce": b64url(nonce),
                "ciphertext": base64.b64encode(sealed).decode("ascii")}
    with atomic_output(Path(path)) as handle:
        handle.write(canonical_json(document) + b"\n")


def load_keystore(path: Path, passphrase: str) -> KeyStore:
    """Open the key store; ``KeyStoreError("wrong_passphrase")`` if the passphrase is wrong."""
    raw = Path(path).read_bytes()
    try:
        document = loads_strict(raw, what="keystore", max_bytes=_MAX_FILE, max_depth=8)
        if document["format"] != FORMAT:
            raise KeyStoreError("keystore_damaged", reason="format")
        if document["version"] != VERSION:
            raise KeyStoreError("keystore_version", version=str(document["version"])[:8])
        kdf = document["kdf"]
        params = KdfParams(kdf["memory_kib"], kdf["iterations"], kdf["lanes"])
        params.check()
        salt = unb64url(kdf["salt"], "keystore")
        header = _header(params, salt)
        if {k: document[k] for k in header} != header or kdf["name"] != "argon2id":
            raise KeyStoreError("keystore_damaged", reason="header")
        nonce = unb64url(document["nonce"], "keystore")
        sealed = base64.b64decode(document["ciphertext"], validate=True)
    except KeyStoreError:
        raise
    except Exception as exc:  # any malformed or missing field means a damaged file
        raise KeyStoreError("keystore_damaged", reason=type(exc).__name__) from None
    try:
        plaintext = ChaCha20Poly1305(_derive(passphrase, salt, params)).decrypt(
            nonce, sealed, canonical_json(header))
    except (InvalidTag, ValueError):
        raise KeyStoreError("wrong_passphrase") from None
    content = loads_strict(plaintext, what="keystore", max_bytes=_MAX_FILE, max_depth=8)
    return KeyStore(tuple(_identity_from_json(item) for item in content["identities"]))
