"""What opens an encrypted desk: a user's password or the recovery key (plain values, no keys)."""

from __future__ import annotations

from dataclasses import dataclass, field

from repatriation.domain.text import nfc


@dataclass(frozen=True)
class PasswordCredentials:
    """A user name and password (the password never appears in ``repr`` or logs)."""

    user: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class RecoveryCredentials:
    """The recovery key printed at set-up, as typed."""

    recovery_key: str = field(repr=False)


Credentials = PasswordCredentials | RecoveryCredentials


def user_key(user: str) -> str:
    """The form of a user name key slots are matched on (NFC, case-insensitive)."""
    return nfc(user).casefold()
