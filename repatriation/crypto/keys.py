"""Post identities (X25519 + Ed25519), public keys, fingerprints, key cards and directory entries.

A post or officer holds one ``PostIdentity``: an age X25519 key to receive bundles and an
Ed25519 key to sign them. Counterparts are known by ``DirectoryEntry`` rows. A key pair is named
by ``key_id`` (SHA-256, in manifests) and shown to people as a 60-digit fingerprint (12 groups of
5 digits, libsignal's iterated SHA-512 construction), as 8 BIP-39 words and as a QR "key card".
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from urllib.parse import quote, unquote

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from mnemonic import Mnemonic

from repatriation.crypto.age_recipients import X25519Identity, X25519Recipient
from repatriation.domain.bundle_errors import KeyFormatError
from repatriation.domain.key_directory import AgencyKind, DirectoryEntry, b64url, unb64url

_KEY_ID_CONTEXT = b"vn-ctp-key/v1\x00"
_FINGERPRINT_VERSION = b"\x00\x00"
_FINGERPRINT_ID = b"vn-ctp-key"
# libsignal's displayable fingerprint iterates SHA-512 5200 times (cost for a 2nd preimage).
FINGERPRINT_ITERATIONS = 5200
FINGERPRINT_GROUPS = 12
WORD_COUNT = 8  # 88 bits: enough against a targeted second preimage, short enough to read out
CARD_PREFIX = "vn-ctp-key:v2"
_CARD_CHECK_CONTEXT = b"vn-ctp-card/v2\x00"


@cache
def _wordlist(language: str) -> tuple[str, ...]:
    return tuple(Mnemonic(language).wordlist)


def generate_passphrase(words: int = 12) -> str:
    """A random passphrase of BIP-39 words: 12 words carry 132 bits (at least 128 are wanted)."""
    wordlist = _wordlist("english")
    return "-".join(secrets.choice(wordlist) for _ in range(words))


def verify_ed25519(public: bytes, message: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is the Ed25519 signature of ``message`` by the raw key ``public``."""
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True)
class PublicKeys:
    """The public half of a post identity."""

    x25519: X25519Recipient
    ed25519: bytes

    def __post_init__(self) -> None:
        if len(self.ed25519) != 32:
            raise KeyFormatError("ed25519_public", reason="length")

    @property
    def material(self) -> bytes:
        """Both public keys, as hashed into ids and fingerprints."""
        return self.x25519.public + self.ed25519

    @property
    def key_id(self) -> str:
        """Hex SHA-256 naming this key pair in manifests and the directory."""
        return hashlib.sha256(_KEY_ID_CONTEXT + self.material).hexdigest()

    def fingerprint(self) -> str:
        """60 digits in 12 groups of 5, compared aloud or on paper (language-neutral)."""
        material = self.material
        digest = hashlib.sha512(_FINGERPRINT_VERSION + material + _FINGERPRINT_ID).digest()
        for _ in range(FINGERPRINT_ITERATIONS):
            digest = hashlib.sha512(digest + material).digest()
        groups = (int.from_bytes(digest[i * 5:i * 5 + 5], "big") % 100_000
                  for i in range(FINGERPRINT_GROUPS))
        return " ".join(f"{g:05d}" for g in groups)

    def words(self, language: str = "english") -> tuple[str, ...]:
        """8 BIP-39 words from the key id; the same indexes in every BIP-39 language list."""
        bits = int.from_bytes(bytes.fromhex(self.key_id)[:11], "big")
        words = _wordlist(language)
        return tuple(words[(bits >> (11 * (WORD_COUNT - 1 - i))) & 0x7FF]
                     for i in range(WORD_COUNT))

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is this key's Ed25519 signature of ``message``."""
        return verify_ed25519(self.ed25519, message, signature)

    def card(self, agency: str, kind: AgencyKind) -> str:
        """The key card: one line to put in a QR code or a text file, checked on reading."""
        return ";".join((
            CARD_PREFIX, f"agency={quote(agency, safe='')}", f"kind={kind.value}",
            f"age={self.x25519}", f"ed25519={b64url(self.ed25519)}",
            f"check={card_check(agency, kind, self)}",
        ))


def card_check(agency: str, kind: AgencyKind, keys: PublicKeys) -> str:
    """16 hex digits over every field of a card: an edited name, kind or key fails reading.

    It catches damage and careless edits only (anyone can recompute it); what proves a card is
    the fingerprint (safety number) compared with the counterpart out of band.
    """
    digest = hashlib.sha256(_CARD_CHECK_CONTEXT + agency.encode("utf-8") + b"\x00"
                            + kind.value.encode("ascii") + b"\x00" + keys.material)
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class KeyCard:
    """A parsed key card: who says they hold which keys."""

    agency: str
    kind: AgencyKind
    keys: PublicKeys


def parse_card(text: str) -> KeyCard:
    """Read a key card; the ``check`` field catches a mistyped or damaged card."""
    if not text.isascii():
        raise KeyFormatError("key_card", reason="not_ascii")
    parts = text.strip().split(";")
    if not parts or parts[0] != CARD_PREFIX:
        raise KeyFormatError("key_card", reason="prefix")
    fields: dict[str, str] = {}
    for part in parts[1:]:
        name, sep, value = part.partition("=")
        if not sep or name in fields:
            raise KeyFormatError("key_card", reason="field", field=name[:20])
        fields[name] = value
    if set(fields) != {"agency", "kind", "age", "ed25519", "check"}:
        raise KeyFormatError("key_card", reason="fields")
    try:
        kind = AgencyKind(fields["kind"])
    except ValueError:
        raise KeyFormatError("key_card", reason="kind") from None
    keys = PublicKeys(X25519Recipient.from_string(fields["age"]),
                      unb64url(fields["ed25519"], "key_card"))
    try:
        agency = unquote(fields["agency"], errors="strict")
    except UnicodeDecodeError:
        raise KeyFormatError("key_card", reason="agency") from None
    if not agency.strip():
        raise KeyFormatError("key_card", reason="agency")
    if not hmac.compare_digest(card_check(agency, kind, keys).encode(), fields["check"].encode()):
        raise KeyFormatError("key_card", reason="check")
    return KeyCard(agency=agency, kind=kind, keys=keys)


@dataclass(frozen=True)
class PostIdentity:
    """Our own key pair. A rotated-out identity keeps decrypting until ``decrypt_until``."""

    x25519: X25519Identity
    ed25519: Ed25519PrivateKey
    agency: str
    created_at: datetime
    retired_at: datetime | None = None
    decrypt_until: datetime | None = None

    @classmethod
    def generate(cls, agency: str, now: datetime) -> PostIdentity:
        """A fresh identity for ``agency``."""
        return cls(X25519Identity.generate(), Ed25519PrivateKey.generate(), agency, now)

    @property
    def public(self) -> PublicKeys:
        """The public keys to hand to counterparts."""
        return PublicKeys(self.x25519.recipient, self.ed25519.public_key().public_bytes_raw())

    @property
    def key_id(self) -> str:
        """Our key id."""
        return self.public.key_id

    def sign(self, message: bytes) -> bytes:
        """Ed25519 signature of ``message``."""
        return self.ed25519.sign(message)

    def can_decrypt(self, now: datetime) -> bool:
        """Current, or rotated out but still inside its grace period."""
        return self.decrypt_until is None or now <= self.decrypt_until

    def retire(self, now: datetime, grace_until: datetime) -> PostIdentity:
        """Stop signing with this identity; keep it for decryption until ``grace_until``."""
        return replace(self, retired_at=now, decrypt_until=grace_until)


def entry_from_card(card: KeyCard, valid_from: datetime, kind: AgencyKind,
                    country: str = "") -> DirectoryEntry:
    """A new, not yet verified directory entry; ``kind`` is what OUR officer says the holder is.

    The card's own ``kind`` is only what the holder declares: what a bundle to or from it
    may carry follows the kind recorded here.
    """
    return DirectoryEntry(
        agency=card.agency, kind=kind, key_id=card.keys.key_id,
        x25519_recipient=str(card.keys.x25519), ed25519_public=b64url(card.keys.ed25519),
        valid_from=valid_from, country=country,
    )


def entry_keys(entry: DirectoryEntry) -> PublicKeys:
    """A directory entry's public keys (re-checked against its ``key_id``)."""
    keys = PublicKeys(X25519Recipient.from_string(entry.x25519_recipient),
                      unb64url(entry.ed25519_public, "directory_entry"))
    if keys.key_id != entry.key_id:
        raise KeyFormatError("directory_entry", reason="key_id_mismatch")
    return keys
