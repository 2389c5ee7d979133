"""Keys for bundles: our post identity (passphrase key store) and the counterpart key directory.

The private key store is a file in the data directory (``keys/post-identity.json``), next to a
public key card (``keys/post-identity.card``) that can be shown without the passphrase. The
directory lives in the database. Every change is audited with key ids only.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

from repatriation.domain.actors import Actor
from repatriation.domain.bundle_errors import KeyStoreError
from repatriation.domain.errors import ConflictError, NotFoundError, ValidationError
from repatriation.domain.key_directory import DEFAULT_GRACE, AgencyKind, DirectoryEntry
from repatriation.domain.permissions import Action
from repatriation.domain.sensitivity import FieldClass
from repatriation.files import atomic_write_bytes
from repatriation.services.access import require
from repatriation.services.audit import record_action
from repatriation.services.key_ports import KeyCardView, KeyCrypto, KeyRing, PublicKeySet
from repatriation.services.ports import Clock, UnitOfWorkFactory

KEYSTORE_NAME = "post-identity.json"
CARD_NAME = "post-identity.card"


def aware(now: datetime) -> datetime:
    """The clock's local naive time as an aware UTC time (bundles are stamped in UTC)."""
    return now.astimezone(UTC)  # a naive time is taken as local time


def _country(kind: AgencyKind, country: str) -> str:
    """A foreign counterpart's country (ISO 3166-1 alpha-2, not VN); none for the others."""
    code = country.strip().upper()
    if kind is not AgencyKind.FOREIGN_COUNTERPART:
        return ""
    if len(code) != 2 or not code.isascii() or not code.isalpha() or code == "VN":
        raise ValidationError("counterpart_country", field="country", value=code[:8])
    return code


class KeyService:
    """Generate, rotate and unlock our identity; add, verify, retire and revoke counterparts."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock,
                 data_dir: Path, crypto: KeyCrypto, *,
                 own_kind: AgencyKind = AgencyKind.BORDER_POST) -> None:
        self._own_kind = own_kind  # what this desk is, written on its own card
        self._uow_factory = uow_factory
        self._clock = clock
        self.key_dir = Path(data_dir) / "keys"
        self._crypto = crypto

    @property
    def keystore_path(self) -> Path:
        """Where the encrypted identities are."""
        return self.key_dir / KEYSTORE_NAME

    def has_identity(self) -> bool:
        """Whether this post has generated its keys."""
        return self.keystore_path.exists()

    def _now(self) -> datetime:
        return aware(self._clock.now())

    def generate(self, actor: Actor, agency: str, passphrase: str) -> PublicKeySet:
        """Create the post identity (refused if one exists: use ``rotate``)."""
        self._require(actor)  # the same right as managing the directory the keys go with
        if self.has_identity():
            raise ConflictError("identity_exists")
        store = self._crypto.create(agency, self._now())
        self._save(store, passphrase)
        self._audit(actor, "identity_generated", store.current.key_id)
        return store.current.public

    def unlock(self, passphrase: str) -> KeyRing:
        """Open the key store (``KeyStoreError`` on a wrong passphrase)."""
        if not self.has_identity():
            raise KeyStoreError("no_identity")
        return self._crypto.load(self.keystore_path, passphrase)

    def rotate(self, actor: Actor, passphrase: str,
               grace: timedelta = DEFAULT_GRACE) -> PublicKeySet:
        """A new current identity; the old one decrypts for ``grace`` and is then destroyed."""
        self._require(actor)  # who manages the directory replaces the key it is given
        store = self.unlock(passphrase)
        rotated = self._crypto.rotate(store, self._now(), grace)
        fresh = rotated.current
        self._save(rotated, passphrase)
        self._audit(actor, "identity_rotated", fresh.key_id, previous=store.current.key_id)
        return fresh.public

    def age_secret_key(self, passphrase: str) -> str:
        """Our current secret X25519 key for age(1), after opening the key store."""
        return self._crypto.age_secret_key(self.unlock(passphrase))

    def card(self) -> str:
        """Our public key card (no passphrase needed)."""
        try:
            return (self.key_dir / CARD_NAME).read_text(encoding="ascii").strip()
        except FileNotFoundError:
            raise KeyStoreError("no_identity") from None

    def _save(self, store: KeyRing, passphrase: str) -> None:
        self.key_dir.mkdir(parents=True, exist_ok=True)
        self._crypto.save(self.keystore_path, store, passphrase)
        current = store.current
        card = current.public.card(current.agency, self._own_kind)
        atomic_write_bytes(self.key_dir / CARD_NAME, card.encode("ascii") + b"\n", mode=0o644)

    # -- the directory ------------------------------------------------------------------------

    def directory(self) -> list[DirectoryEntry]:
        """Every counterpart key."""
        with self._uow_factory() as uow:
            return uow.bundle_store.directory()

    def entry(self, key_id: str) -> DirectoryEntry:
        """One entry; a unique prefix of the key id is enough."""
        matches = [e for e in self.directory() if e.key_id.startswith(key_id.lower())]
        if len(matches) != 1 or len(key_id) < 8:
            raise NotFoundError("key_not_found", key=key_id[:64])
        return matches[0]

    def add(self, actor: Actor, card_text: str, *, kind: AgencyKind,
            country: str = "") -> DirectoryEntry:
        """Add a counterpart from its key card, not yet verified out of band.

        ``kind`` (and ``country`` for a foreign counterpart) is what our officer knows the
        holder to be; the card's own claim decides nothing.
        """
        self._require(actor)
        card = self._crypto.read_card(card_text)  # a damaged card is refused first
        entry = self._crypto.entry_from_card(card, self._now(), kind, _country(kind, country))
        with self._uow_factory() as uow:
            store = uow.bundle_store
            if store.directory_entry(entry.key_id) is not None:
                raise ConflictError("key_exists", key=entry.key_id[:16])
            store.put_entry(entry)
            record_action(uow, actor, self._clock.now(), "key_added", "key", entry.key_id,
                          kind=entry.kind.value)
            uow.commit()
        return entry

    def verify(self, actor: Actor, key_id: str, *, kind: AgencyKind | None = None,
               country: str | None = None) -> DirectoryEntry:
        """Record that the safety number was compared out of band (phone, paper, QR).

        The officer may correct the holder's kind (and country) at the same time.
        """
        now = self._now()
        entry = self.entry(key_id)
        kind = kind or entry.kind
        country = _country(kind, entry.country if country is None else country)
        return self._change(actor, key_id, "key_verified", verified_out_of_band=True,
                            verified_by=actor.username, verified_at=now, kind=kind,
                            country=country)

    def revoke(self, actor: Actor, key_id: str) -> DirectoryEntry:
        """Refuse every bundle signed by this key from now on, and stop encrypting to it."""
        return self._change(actor, key_id, "key_revoked", revoked_at=self._now())

    def retire(self, actor: Actor, key_id: str,
               valid_until: datetime | None = None) -> DirectoryEntry:
        """A counterpart rotated its key: accept bundles it made until ``valid_until`` (now)."""
        until = self._now() if valid_until is None else aware(valid_until)
        return self._change(actor, key_id, "key_retired", valid_until=until)

    def _change(self, actor: Actor, key_id: str, action: str,
                **changes: object) -> DirectoryEntry:
        self._require(actor)
        entry = dataclasses.replace(self.entry(key_id), **changes)  # type: ignore[arg-type]
        with self._uow_factory() as uow:
            uow.bundle_store.put_entry(entry)
            record_action(uow, actor, self._clock.now(), action, "key", entry.key_id)
            uow.commit()
        return entry

    def safety_number(self) -> str:
        """Our key's safety number (the same 60 digits the counterpart's desk shows)."""
        return self.read_card(self.card()).keys.fingerprint()

    def read_card(self, text: str) -> KeyCardView:
        """A key card line, read and checked (``KeyFormatError`` when it is not one)."""
        return self._crypto.read_card(text)

    def keys_of(self, entry: DirectoryEntry) -> PublicKeySet:
        """A counterpart's public keys: its safety number and words, as its card shows them."""
        return self._crypto.entry_keys(entry)

    def _require(self, actor: Actor) -> None:
        # Who may share case data with other agencies manages the keys it goes to.
        require(actor, Action.SHARE, FieldClass.BASIC, purpose="key_directory")

    def _audit(self, actor: Actor, action: str, key_id: str, **details: str) -> None:
        with self._uow_factory() as uow:
            record_action(uow, actor, self._clock.now(), action, "key", key_id, **details)
            uow.commit()
