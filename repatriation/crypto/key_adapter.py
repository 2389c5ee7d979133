"""The crypto adapter behind ``services.key_ports.KeyCrypto``: identities, key store, cards."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from repatriation.crypto.keys import (
    KeyCard,
    PostIdentity,
    PublicKeys,
    entry_from_card,
    entry_keys,
    parse_card,
    verify_ed25519,
)
from repatriation.crypto.keystore import KdfParams, KeyStore, load_keystore, save_keystore
from repatriation.domain.key_directory import AgencyKind, DirectoryEntry
from repatriation.services.key_ports import KeyCardView, KeyRing


def own_store(ring: KeyRing) -> KeyStore:
    """The key store this adapter handed out (the services only pass it back)."""
    if not isinstance(ring, KeyStore):
        raise TypeError("not a key store opened by repatriation.crypto")
    return ring


class PostKeyCrypto:
    """Ed25519/X25519 identities in an Argon2id-sealed key store; ``kdf`` is its cost."""

    def __init__(self, kdf: KdfParams | None = None) -> None:
        self._kdf = kdf or KdfParams()

    def create(self, agency: str, now: datetime) -> KeyStore:
        """A key store holding one fresh identity."""
        return KeyStore((PostIdentity.generate(agency, now),))

    def rotate(self, ring: KeyRing, now: datetime, grace: timedelta) -> KeyStore:
        """A fresh current identity; identities past their grace period are dropped."""
        store = own_store(ring)
        fresh = PostIdentity.generate(store.current.agency, now)
        return store.with_new_identity(fresh, now, grace).pruned(now)

    def load(self, path: Path, passphrase: str) -> KeyStore:
        """Open the key store file."""
        return load_keystore(path, passphrase)

    def save(self, path: Path, ring: KeyRing, passphrase: str) -> None:
        """Write the key store file."""
        save_keystore(path, own_store(ring), passphrase, self._kdf)

    def read_card(self, text: str) -> KeyCard:
        """Parse and check a key card line."""
        return parse_card(text)

    def entry_from_card(self, card: KeyCardView, valid_from: datetime, kind: AgencyKind,
                        country: str = "") -> DirectoryEntry:
        """A new, not yet verified directory entry."""
        if not isinstance(card, KeyCard):
            raise TypeError("not a key card read by repatriation.crypto")
        return entry_from_card(card, valid_from, kind, country)

    def entry_keys(self, entry: DirectoryEntry) -> PublicKeys:
        """A directory entry's public keys."""
        return entry_keys(entry)

    def age_secret_key(self, ring: KeyRing) -> str:
        """The current identity's X25519 secret key in age's own format."""
        return own_store(ring).current.x25519.to_string()

    def verify(self, public: bytes, message: bytes, signature: bytes) -> bool:
        """Ed25519 verification."""
        return verify_ed25519(public, message, signature)
