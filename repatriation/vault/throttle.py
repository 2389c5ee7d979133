"""Wrong passwords counted before the database opens: ``signin-attempts.json`` beside the key slots.

On an encrypted desk the account's counters live in the database, which opens only once a
password is right. So the vault keeps its own count, per user name that has a key slot (never
the text typed for an unknown name: it may be a password), with the same back-off as the
accounts (``BackoffPolicy``): while a user is paused, their slot is not even tried. Failures are
copied into the account and the audit log the next time anyone unlocks the database.

The file holds no secret and is not authenticated: whoever can edit it can also copy the key
slots and guess offline, where only the Argon2id cost slows them (ARCHITECTURE.md). It slows
guessing through the program: a co-worker at the keyboard, a script calling ``main.py``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from repatriation.crypto.keyslots import VaultError
from repatriation.domain.account_policy import BackoffPolicy, UnlockFailures
from repatriation.files import atomic_write_bytes

log = logging.getLogger(__name__)

ATTEMPTS_FILE = "signin-attempts.json"
MAX_FILE_BYTES = 1 << 20
MAX_UNREPORTED = 100  # per user; older ones are dropped (the count itself is kept)


def _parse(data: bytes) -> dict[str, UnlockFailures]:
    doc = json.loads(data.decode("utf-8"))
    if not isinstance(doc, dict):
        raise ValueError("not an object")
    result = {}
    for user, entry in doc.items():
        locked = entry.get("locked_until")
        result[str(user)] = UnlockFailures(
            failures=int(entry["failures"]),
            locked_until=datetime.fromisoformat(locked) if locked else None,
            unreported=tuple(datetime.fromisoformat(t) for t in entry.get("unreported", ())),
        )
    return result


def _to_json(entry: UnlockFailures) -> dict[str, Any]:
    return {
        "failures": entry.failures,
        "locked_until": entry.locked_until.isoformat() if entry.locked_until else None,
        "unreported": [t.isoformat() for t in entry.unreported],
    }


class SignInThrottle:
    """The vault's failed-unlock counters of one data directory."""

    def __init__(
        self, path: Path, now: Callable[[], datetime], policy: BackoffPolicy | None = None
    ) -> None:
        self.path = path
        self._now = now
        self.policy = policy or BackoffPolicy()

    def load(self) -> dict[str, UnlockFailures]:
        """Every user's counters (a damaged file counts as empty, with a warning in the log)."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        try:
            if len(data) > MAX_FILE_BYTES:
                raise ValueError("too large")
            return _parse(data)
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("sign-in attempts file unreadable; counting afresh")
            return {}

    def _save(self, entries: dict[str, UnlockFailures]) -> None:
        body = {user: _to_json(e) for user, e in sorted(entries.items()) if e != UnlockFailures()}
        atomic_write_bytes(self.path, json.dumps(body, indent=1, sort_keys=True).encode("utf-8"))

    def refuse_if_paused(self, user: str) -> None:
        """Refuse at once while ``user`` is paused (no Argon2id work, the guess is not tried).

        Raises:
            VaultError: ``account_locked`` with ``retry_after`` seconds.
        """
        entry = self.load().get(user)
        now = self._now()
        if entry is not None and entry.locked_until is not None and now < entry.locked_until:
            wait = max(1, int((entry.locked_until - now).total_seconds() + 0.999))
            raise VaultError("account_locked", retry_after=wait)

    def failed(self, user: str) -> int:
        """Count one wrong password for ``user``; returns the pause in seconds (0 for none yet)."""
        entries = self.load()
        entry = entries.get(user, UnlockFailures())
        now = self._now()
        failures = entry.failures + 1
        delay = self.policy.delay_after(failures)
        entries[user] = UnlockFailures(
            failures=failures,
            locked_until=now + delay if delay else None,
            unreported=(*entry.unreported, now)[-MAX_UNREPORTED:],
        )
        self._save(entries)
        log.warning("wrong password at the vault (%d in a row)", failures)
        return int(delay.total_seconds())

    def succeeded(self, user: str) -> None:
        """The right password: the run of failures ends (unaudited failures stay until reported)."""
        entries = self.load()
        entry = entries.get(user)
        if entry is not None and (entry.failures or entry.locked_until):
            entries[user] = replace(entry, failures=0, locked_until=None)
            self._save(entries)

    def unreported(self) -> dict[str, UnlockFailures]:
        """Users with failures not yet copied into the accounts and the audit log."""
        return {user: e for user, e in self.load().items() if e.unreported}

    def reported(self, users: Iterable[str]) -> None:
        """Forget the unaudited failures of ``users`` (they are in the database now)."""
        entries = self.load()
        for user in users:
            if user in entries:
                entries[user] = replace(entries[user], unreported=())
        self._save(entries)
