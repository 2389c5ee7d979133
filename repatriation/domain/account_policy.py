"""Account rules as plain logic: user names, password rules, failed-login back-off, idle lock.

No storage and no clock of its own: the account service and the UI pass times in, so every rule
is tested with a fake clock.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from repatriation.domain.actors import Role
from repatriation.domain.errors import DomainError, ValidationError

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 15
DEFAULT_IDLE_MINUTES = 5


class AuthError(DomainError):
    """Sign-in refused: ``bad_credentials``, ``account_locked`` or ``account_disabled``."""

    code = "auth"


def normalise_username(text: str) -> str:
    """NFC, trimmed, lower-case; refuses anything but ``a-z 0-9 . _ -`` (2 to 64 characters).

    Raises:
        ValidationError: ``bad_username``.
    """
    name = unicodedata.normalize("NFC", text).strip().lower()
    if not _USERNAME.match(name):
        raise ValidationError("bad_username", field="username")
    return name


@dataclass(frozen=True)
class PasswordRules:
    """NIST SP 800-63B style: length matters, composition rules do not."""

    min_length: int = 10
    max_length: int = 1024

    def check(self, username: str, password: str) -> None:
        """Refuse a password that is too short, too long or contains the user name.

        Raises:
            ValidationError: ``password_too_short``, ``password_too_long`` or
                ``password_contains_username``.
        """
        text = unicodedata.normalize("NFC", password)
        if len(text) < self.min_length:
            raise ValidationError("password_too_short", min_length=self.min_length)
        if len(text) > self.max_length:
            raise ValidationError("password_too_long", max_length=self.max_length)
        if username and username in text.lower():
            raise ValidationError("password_contains_username")


@dataclass(frozen=True)
class UserAccount:
    """A person who signs in, with the failed-login state that must survive a restart."""

    username: str
    role: Role
    password_hash: str  # Argon2id PHC string
    created_at: datetime
    display_name: str = ""
    disabled: bool = False
    disabled_reason: str = ""  # "by_supervisor" or "too_many_failures"
    failed_attempts: int = 0  # consecutive failures since the last success
    locked_until: datetime | None = None
    last_failure_at: datetime | None = None
    last_login_at: datetime | None = None
    password_changed_at: datetime | None = None

    def locked_at(self, now: datetime) -> bool:
        """Whether sign-in is paused by the back-off at ``now``."""
        return self.locked_until is not None and now < self.locked_until

    def retry_after(self, now: datetime) -> int:
        """Whole seconds until sign-in may be tried again (0 when not locked)."""
        if not self.locked_at(now) or self.locked_until is None:
            return 0
        return max(1, int((self.locked_until - now).total_seconds() + 0.999))


@dataclass(frozen=True)
class UserInfo:
    """What the UI and the CLI show about an account (never the hash)."""

    username: str
    display_name: str
    role: Role
    disabled: bool
    disabled_reason: str
    failed_attempts: int
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime


def user_info(account: UserAccount) -> UserInfo:
    """The account as shown to people (no hash)."""
    return UserInfo(
        account.username,
        account.display_name,
        account.role,
        account.disabled,
        account.disabled_reason,
        account.failed_attempts,
        account.locked_until,
        account.last_login_at,
        account.created_at,
    )


@dataclass(frozen=True)
class UnlockFailures:
    """One user's consecutive wrong passwords at the vault, and those not yet audited."""

    failures: int = 0
    locked_until: datetime | None = None
    unreported: tuple[datetime, ...] = ()


@dataclass(frozen=True)
class BackoffPolicy:
    """Exponential back-off from the 5th consecutive failure, doubling to 15 min; off at 100.

    Counters only slow down a co-worker at the keyboard; the Argon2id cost is what slows an
    offline attacker (docs/stack-notes.md, Cryptography).
    """

    free_failures: int = 4
    base: timedelta = timedelta(seconds=30)
    cap: timedelta = timedelta(minutes=15)
    disable_after: int = 100  # NIST SP 800-63B ceiling on consecutive failures

    def delay_after(self, failures: int) -> timedelta:
        """How long sign-in pauses after ``failures`` consecutive failures."""
        extra = failures - self.free_failures
        if extra <= 0:
            return timedelta(0)
        # Compare exponents rather than computing 2**n for a large n.
        if extra - 1 >= 30:
            return self.cap
        return min(self.cap, self.base * (1 << (extra - 1)))

    def after_failure(self, account: UserAccount, now: datetime) -> UserAccount:
        """The account after one more failed attempt at ``now``."""
        failures = account.failed_attempts + 1
        delay = self.delay_after(failures)
        disable = failures >= self.disable_after
        reason = "too_many_failures" if disable and not account.disabled else account.disabled_reason
        return replace(
            account,
            failed_attempts=failures,
            last_failure_at=now,
            locked_until=now + delay if delay else None,
            disabled=account.disabled or disable,
            disabled_reason=reason,
        )

    @staticmethod
    def after_success(account: UserAccount, now: datetime) -> UserAccount:
        """The account after a successful sign-in: counters cleared."""
        return replace(account, failed_attempts=0, locked_until=None, last_login_at=now)


@dataclass(frozen=True)
class IdleLockPolicy:
    """Lock the desk after ``minutes`` without input (default 5, administrator-set within 1-15)."""

    minutes: int = DEFAULT_IDLE_MINUTES
    clipboard_clear_seconds: int = 30
    lock_on_session_lock: bool = True

    def __post_init__(self) -> None:
        if not MIN_IDLE_MINUTES <= self.minutes <= MAX_IDLE_MINUTES:
            raise ValidationError(
                "idle_lock_out_of_range",
                field="idle_lock_minutes",
                minimum=MIN_IDLE_MINUTES,
                maximum=MAX_IDLE_MINUTES,
            )

    @property
    def timeout(self) -> timedelta:
        """Idle time after which the desk locks."""
        return timedelta(minutes=self.minutes)

    def is_due(self, last_activity: datetime, now: datetime) -> bool:
        """Whether the desk must lock now."""
        return now - last_activity >= self.timeout

    def seconds_left(self, last_activity: datetime, now: datetime) -> int:
        """Whole seconds before the lock (0 when due)."""
        left = (last_activity + self.timeout - now).total_seconds()
        return max(0, int(left))


class IdleLock:
    """The lock state the UI drives: input restarts the timer; only re-authentication unlocks.

    The UI hides every page and closes the database when ``check`` returns True.
    """

    def __init__(self, policy: IdleLockPolicy, now: datetime) -> None:
        self.policy = policy
        self._last_activity = now
        self._locked = False
        self._username: str | None = None

    @property
    def locked(self) -> bool:
        """Whether data must stay hidden."""
        return self._locked

    def signed_in(self, username: str, now: datetime) -> None:
        """Start a session for ``username``."""
        self._username = username
        self._locked = False
        self._last_activity = now

    def activity(self, now: datetime) -> None:
        """Mouse, key or wheel input: restarts the timer unless already locked."""
        if not self._locked:
            self._last_activity = now

    def check(self, now: datetime) -> bool:
        """Lock if the idle time has passed; returns whether the desk is locked."""
        if not self._locked and self.policy.is_due(self._last_activity, now):
            self._locked = True
        return self._locked

    def lock(self) -> None:
        """Lock at once (session lock, user switch, the lock button)."""
        self._locked = True

    def unlock(self, username: str, now: datetime) -> None:
        """Unlock after the same user re-authenticated; another user must sign in afresh.

        Raises:
            AuthError: ``other_user`` when ``username`` is not the one who was signed in.
        """
        if self._username is not None and username != self._username:
            raise AuthError("other_user")
        self._username = username
        self._locked = False
        self._last_activity = now
