"""Ports of the post's keys: identities, the key store file, key cards and signatures.

The use cases (``bundle_keys``, ``bundles``, ``checkpoints``, ``printout_seal``) work with these
protocols; the crypto adapter (``PostKeyCrypto`` in ``crypto/key_adapter.py``) implements them
with Ed25519, X25519 and the passphrase key store, and the composition root plugs it in.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from repatriation.domain.key_directory import AgencyKind, DirectoryEntry


class PublicKeySet(Protocol):
    """A post's public keys (``crypto.keys.PublicKeys``)."""

    @property
    def key_id(self) -> str:
        """Hex SHA-256 naming the key pair in manifests and the directory."""
        ...

    @property
    def ed25519(self) -> bytes:
        """The raw Ed25519 public key (checks the post's signatures)."""
        ...

    def fingerprint(self) -> str:
        """The 60-digit safety number compared out of band."""
        ...

    def words(self, language: str = "english") -> tuple[str, ...]:
        """The key id as 8 BIP-39 words."""
        ...

    def card(self, agency: str, kind: AgencyKind) -> str:
        """The one-line key card."""
        ...


class KeyCardView(Protocol):
    """A key card that was read and checked (``crypto.keys.KeyCard``)."""

    @property
    def agency(self) -> str:
        """Who says they hold the keys."""
        ...

    @property
    def kind(self) -> AgencyKind:
        """What the holder declares it is (never trusted for what a bundle may carry)."""
        ...

    @property
    def keys(self) -> PublicKeySet:
        """The keys on the card."""
        ...


class Signer(Protocol):
    """An unlocked identity of this post (``crypto.keys.PostIdentity``): it signs."""

    @property
    def agency(self) -> str:
        """The post's name on its card."""
        ...

    @property
    def key_id(self) -> str:
        """The identity's key id."""
        ...

    @property
    def public(self) -> PublicKeySet:
        """Its public keys."""
        ...

    def sign(self, message: bytes) -> bytes:
        """Ed25519 signature of ``message``."""
        ...


class KeyRing(Protocol):
    """The unlocked key store (``crypto.keystore.KeyStore``).

    One current identity and older ones kept to decrypt during their grace period; only the
    crypto adapter looks inside.
    """

    @property
    def current(self) -> Signer:
        """The identity that signs new bundles, checkpoints and printouts."""
        ...


class KeyCrypto(Protocol):
    """Everything the key, bundle and checkpoint use cases need done with real keys."""

    def create(self, agency: str, now: datetime) -> KeyRing:
        """A key store holding one fresh identity for ``agency``."""
        ...

    def rotate(self, ring: KeyRing, now: datetime, grace: timedelta) -> KeyRing:
        """A fresh current identity; the old one decrypts until ``now + grace``."""
        ...

    def load(self, path: Path, passphrase: str) -> KeyRing:
        """Open the key store file (``KeyStoreError`` on a wrong passphrase)."""
        ...

    def save(self, path: Path, ring: KeyRing, passphrase: str) -> None:
        """Write the key store file under ``passphrase``."""
        ...

    def read_card(self, text: str) -> KeyCardView:
        """Parse and check a key card line (``KeyFormatError`` when it is not one)."""
        ...

    def entry_from_card(self, card: KeyCardView, valid_from: datetime, kind: AgencyKind,
                        country: str = "") -> DirectoryEntry:
        """A new, not yet verified directory entry from a card ``read_card`` returned."""
        ...

    def entry_keys(self, entry: DirectoryEntry) -> PublicKeySet:
        """A directory entry's public keys (re-checked against its key id)."""
        ...

    def age_secret_key(self, ring: KeyRing) -> str:
        """The current identity's X25519 secret key as age writes it (``AGE-SECRET-KEY-1...``)."""
        ...

    def verify(self, public: bytes, message: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is the Ed25519 signature of ``message`` by ``public``."""
        ...
