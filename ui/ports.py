"""What the desk needs from services that other issues build (accounts, documents, bundles, keys).

Each is a small Protocol: the real service comes from the composition root's ``Services`` (through
``AppContext``) and tests pass a fake. Pages hide their entry point when it is absent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from repatriation.domain.actors import Actor
from repatriation.services.results import Changes

if TYPE_CHECKING:
    from ui.prompts import Prompter

Progress = Callable[[int, int, str], None]



class Authenticator(Protocol):
    """Checks a password and returns who signed in."""

    def authenticate(self, username: str, password: str) -> Actor:
        """The actor, or raises ``DomainError`` (wrong password, locked account)."""
        ...


class DocumentRenderer(Protocol):
    """The forms issue: ``DocumentService.render`` giving PDF bytes."""

    def render(
        self,
        actor: Actor,
        form_id: str,
        *,
        case_ref: str | None = None,
        batch_ref: str | None = None,
        language: str = "vi",
    ) -> bytes:
        """The PDF of ``form_id`` about a case or a batch."""
        ...


@dataclass(frozen=True)
class BundleItem:
    """One line of what a bundle holds, shown before export and before import."""

    label: str  # e.g. "LC-2026-000012: identity, verifications"
    detail: str = ""  # e.g. "health notes left out (no consent to share)"
    included: bool = True


class BundleService(Protocol):
    """The bundles issue: encrypted, signed exchange between posts."""

    def needs_passphrase(self) -> bool:
        """Whether the post's key store must be opened (passphrase) before export or import."""
        ...

    def unlock(self, passphrase: str) -> None:
        """Open the key store for the session (slow: off the GUI thread); raises if wrong."""
        ...

    def recipients(self) -> Sequence[tuple[str, str]]:
        """(recipient id, label) pairs of the posts whose keys are known."""
        ...

    def plan_export(self, actor: Actor, case_refs: Sequence[str], recipient: str) -> Sequence[BundleItem]:
        """Exactly what would be included (minimised per consent and purpose)."""
        ...

    def export(
        self, actor: Actor, case_refs: Sequence[str], recipient: str, path: Path, progress: Progress
    ) -> Path:
        """Write the bundle; returns its path."""
        ...

    def preview_import(self, actor: Actor, path: Path) -> Sequence[BundleItem]:
        """Decrypt, verify and list what the bundle would change."""
        ...

    def import_bundle(self, actor: Actor, path: Path, progress: Progress) -> Changes:
        """Apply the bundle; returns what changed."""
        ...


class KeyManager(Protocol):
    """The post's own keys (bundles issue)."""

    def describe(self) -> Sequence[tuple[str, str]]:
        """(label, fingerprint) of the post's keys and the known recipients."""
        ...


@dataclass(frozen=True)
class CounterpartKey:
    """One key of the directory as the desk lists it (nothing secret)."""

    key_id: str
    agency: str
    kind: str  # translated: counterpart agency, reception centre, border post
    safety_number: str  # 60 digits in 12 groups: read aloud in any language, same on both desks
    verified: bool
    revoked: bool
    retired: bool = False  # rotated away: its older bundles are still accepted


@dataclass(frozen=True)
class OwnKeyCard:
    """This post's public key card as the desk shows, prints and saves it (nothing secret)."""

    card: str  # the one line ``keys card`` prints and every desk reads
    safety_number: str
    agency: str
    kind: str  # translated: what this desk writes it is
    key_id: str


class KeyDirectory(Protocol):
    """The counterparts' public keys: add from a key card, verify out of band, revoke."""

    def counterparts(self) -> Sequence[CounterpartKey]:
        """Every key of the directory, in the service's order."""
        ...

    def add_card(self, actor: Actor, card_text: str, kind: str, country: str) -> CounterpartKey:
        """Add a counterpart from its key card (not yet verified), as the kind WE say it is."""
        ...

    def mark_verified(self, actor: Actor, key_id: str) -> CounterpartKey:
        """Record that the safety number was compared out of band."""
        ...

    def revoke(self, actor: Actor, key_id: str) -> CounterpartKey:
        """Refuse the key's bundles from now on and stop encrypting to it."""
        ...

    def retire(self, actor: Actor, key_id: str) -> CounterpartKey:
        """The counterpart replaced this key: accept bundles it signed until now, none after."""
        ...

    def own_card(self) -> OwnKeyCard:
        """This post's key card."""
        ...

    def card_in_file(self, path: Path) -> str:
        """The key card line in a text file, or in the QR code of a picture (PNG, JPEG, BMP)."""
        ...

    def rotate_own(self, actor: Actor, passphrase: str) -> OwnKeyCard:
        """Replace this post's key pair (the old one still opens bundles for 30 days)."""
        ...


class Inbox(Protocol):
    """Received changes waiting for a decision (``services.bundle_inbox.InboxService``)."""

    def changes(self, actor: Actor) -> Sequence[Any]:
        """Pending changes (``InboxChange`` rows), oldest first."""
        ...

    def accept(self, actor: Actor, change_ids: Sequence[int]) -> Changes:
        """Apply these changes."""
        ...

    def decline(self, actor: Actor, change_ids: Sequence[int]) -> Changes:
        """Keep our values; the changes stay on record."""
        ...


class DeskExchange(BundleService, Protocol):
    """Bundles with their import inbox, as the desk's menus use them (``ui/bundle_adapter.py``)."""

    @property
    def inbox(self) -> Inbox:
        """Received changes waiting for a decision."""
        ...


class DeskKeys(KeyManager, KeyDirectory, Protocol):
    """The post's own keys and the counterparts' directory (``ui/bundle_adapter.py``)."""


def key_store_unlock(
    bundles: BundleService, prompter: Prompter, gettext: Callable[[str], str]
) -> Callable[[], None] | None:
    """What a bundle task runs first to open the post's key store, or None if the officer cancelled.

    The passphrase is asked here, on the GUI thread; the slow unlock (KDF) runs in the task.
    """
    if not bundles.needs_passphrase():
        return lambda: None
    secret = prompter.ask_secret(gettext("Bundle keys"), gettext("Passphrase of this post's key store:"))
    if secret is None:
        return None
    return lambda: bundles.unlock(secret)


class LazyService:
    """Builds the wrapped service on first use, so the desk starts without importing it."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self._build = build
        self._built: Any = None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        with self._lock:  # first use may come from a worker thread
            if self._built is None:
                self._built = self._build()
        return getattr(self._built, name)

