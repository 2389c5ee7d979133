"""Accounts: create, list, disable and re-enable users, change roles and passwords, and sign in.

Passwords are Argon2id PHC strings, re-hashed at sign-in when the policy got stronger. Failed
attempts and the back-off deadline are stored in the database, so restarting the desk does not
reset them. Every change and every sign-in attempt is audited (user names only, never the text
typed into the user-name field of a failed attempt: it may be a password).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime

from repatriation.domain.account_policy import (
    AuthError,
    BackoffPolicy,
    PasswordRules,
    UnlockFailures,
    UserAccount,
    UserInfo,
    normalise_username,
    user_info,
)
from repatriation.domain.actors import Actor, Role
from repatriation.domain.errors import ConflictError, NotFoundError, ValidationError
from repatriation.domain.permissions import ACCOUNT_ROLES, Capability
from repatriation.services.access import require_capability
from repatriation.services.account_ports import AccountRepository, PasswordHasher
from repatriation.services.account_recovery import RecoverySignIn
from repatriation.services.audit import record_action, record_sign_in_failure
from repatriation.services.ports import Clock, UnitOfWorkFactory

log = logging.getLogger(__name__)


PasswordSet = Callable[[str, str], None]
AccessRemoved = Callable[[str], object]
RecoveryCheck = Callable[[str], object]  # raises when the text is not this desk's recovery key
PasswordProven = Callable[[str, str], bool]  # (username, password) opened the vault just now


class AccountService(RecoverySignIn):
    """Account use cases; each runs in one unit of work with its audit entry."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        hasher: PasswordHasher,
        backoff: BackoffPolicy | None = None,
        rules: PasswordRules | None = None,
        on_password_set: PasswordSet | None = None,
        on_access_removed: AccessRemoved | None = None,
        recovery_check: RecoveryCheck | None = None,
        password_proven: PasswordProven | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._hasher = hasher
        self.backoff = backoff or BackoffPolicy()
        self.rules = rules or PasswordRules()
        self._dummy_hash: str | None = None
        # Called after the commit with (username, password) when an account gets a password:
        # the encryption-at-rest key slots are re-wrapped for that user there.
        self._on_password_set = on_password_set
        # Called after the commit with the user name when an account is disabled: its key slot
        # is removed and the database key rotated there (encryption at rest).
        self._on_access_removed = on_access_removed
        # On an encrypted desk a supervisor's reset of someone's password (which lets them sign
        # in as that person) also needs the recovery key, kept locked away from the computer.
        self._recovery_check = recovery_check
        self._password_proven = password_proven  # the vault: this name and password unsealed it

    @property
    def reset_needs_recovery_key(self) -> bool:
        """Whether :meth:`reset_password` asks for the recovery key (encrypted desks)."""
        return self._recovery_check is not None

    # -- administration ----------------------------------------------------------------------

    def has_accounts(self) -> bool:
        """Whether any account exists (the desk asks for the first supervisor otherwise)."""
        with self._uow_factory() as uow:
            return uow.accounts.count() > 0

    def create_first_supervisor(
        self, username: str, password: str, display_name: str = ""
    ) -> UserInfo:
        """Create the first account, a supervisor; refused once any account exists."""
        return self._create(None, username, Role.SUPERVISOR, password, display_name)

    def create_user(
        self, actor: Actor, username: str, role: Role, password: str, display_name: str = ""
    ) -> UserInfo:
        """A supervisor creates an account."""
        require_capability(actor, Capability.MANAGE_USERS)
        return self._create(actor, username, role, password, display_name)

    def _create(
        self, actor: Actor | None, username: str, role: Role, password: str, display_name: str
    ) -> UserInfo:
        name = normalise_username(username)
        if role not in ACCOUNT_ROLES:
            raise ValidationError("bad_role", field="role", value=str(role))
        self.rules.check(name, password)
        encoded = self._hasher.hash(password)  # slow: done before the write lock is taken
        now = self._clock.now()
        with self._uow_factory() as uow:
            accounts = uow.accounts
            if actor is None and accounts.count() > 0:
                raise ConflictError("accounts_exist")
            if accounts.find(name) is not None:
                raise ConflictError("username_taken", username=name)
            account = UserAccount(
                username=name,
                role=role,
                password_hash=encoded,
                created_at=now,
                display_name=display_name.strip(),
                password_changed_at=now,
            )
            accounts.add(account)
            by = actor or Actor(name, role)  # the first supervisor registers themself
            record_action(uow, by, now, "user_created", "account", name, new_role=str(role))
            uow.commit()
        self._password_set(name, password)
        return user_info(account)

    def _password_set(self, username: str, password: str) -> None:
        if self._on_password_set is not None:
            self._on_password_set(username, password)

    def list_users(self, actor: Actor) -> list[UserInfo]:
        """Every account (supervisors only)."""
        require_capability(actor, Capability.MANAGE_USERS)
        with self._uow_factory() as uow:
            return [user_info(a) for a in uow.accounts.list_all()]

    def _update(
        self,
        actor: Actor,
        username: str,
        action: str,
        change: Callable[[UserAccount], UserAccount],
        **details: str,
    ) -> UserInfo:
        require_capability(actor, Capability.MANAGE_USERS)
        name = normalise_username(username)
        now = self._clock.now()
        with self._uow_factory() as uow:
            accounts = uow.accounts
            account = accounts.find(name, for_update=True)
            if account is None:
                raise NotFoundError("user_not_found", username=name)
            changed = change(account)
            if account.role is Role.SUPERVISOR and (
                changed.disabled or changed.role is not Role.SUPERVISOR
            ):
                self._keep_one_supervisor(accounts, name)
            accounts.save(changed)
            record_action(uow, actor, now, action, "account", name, **details)
            uow.commit()
        return user_info(changed)

    @staticmethod
    def _keep_one_supervisor(accounts: AccountRepository, leaving: str) -> None:
        others = [
            a
            for a in accounts.list_all()
            if a.role is Role.SUPERVISOR and not a.disabled and a.username != leaving
        ]
        if not others:
            raise ValidationError("last_supervisor", username=leaving)

    def disable_user(self, actor: Actor, username: str) -> UserInfo:
        """Disable an account (it can no longer sign in); the last supervisor stays.

        On an encrypted desk the account's key slot goes too and the database key is rotated,
        so the password opens nothing; re-enabling needs a new password (``reset_password``).
        """
        info = self._update(
            actor,
            username,
            "user_disabled",
            lambda a: replace(a, disabled=True, disabled_reason="by_supervisor"),
        )
        if self._on_access_removed is not None:
            self._on_access_removed(info.username)
        return info

    def disabled_usernames(self) -> list[str]:
        """Accounts that may not sign in (their key slots must go: ``rekey``, start-up)."""
        with self._uow_factory() as uow:
            return [a.username for a in uow.accounts.list_all() if a.disabled]

    def record_failed_unlocks(self, failures: Mapping[str, UnlockFailures]) -> list[str]:
        """Copy the vault's wrong-password counts (made while the database was closed) in.

        Each becomes a ``login_failed`` audit entry at its own time; returns the names recorded.
        """
        done: list[str] = []
        with self._uow_factory() as uow:
            accounts = uow.accounts
            for username, entry in sorted(failures.items()):
                account = accounts.find(username, for_update=True)
                if account is None:
                    continue
                changed = replace(
                    account,
                    failed_attempts=max(account.failed_attempts, entry.failures),
                    last_failure_at=max(entry.unreported, default=account.last_failure_at),
                    locked_until=entry.locked_until or account.locked_until,
                )
                accounts.save(changed)
                who, vault = Actor(account.username, account.role), {"source": "vault"}
                for n, at in enumerate(entry.unreported, start=1):
                    record_action(uow, who, at, "login_failed", "account", username, **vault, failures=n)
                done.append(username)
            uow.commit()
        return done

    def enable_user(self, actor: Actor, username: str) -> UserInfo:
        """Re-enable an account and clear its failed-login state."""
        return self._update(
            actor,
            username,
            "user_enabled",
            lambda a: replace(
                a, disabled=False, disabled_reason="", failed_attempts=0, locked_until=None
            ),
        )

    def set_role(self, actor: Actor, username: str, role: Role) -> UserInfo:
        """Change an account's role."""
        if role not in ACCOUNT_ROLES:
            raise ValidationError("bad_role", field="role", value=str(role))
        return self._update(
            actor, username, "role_changed", lambda a: replace(a, role=role), new_role=str(role)
        )

    def reset_password(
        self, actor: Actor, username: str, new_password: str, recovery_key: str | None = None
    ) -> UserInfo:
        """A supervisor sets a new password (lost password); failed-login state is cleared.

        Raises:
            ValidationError: ``recovery_key_needed`` on an encrypted desk without the key.
            VaultError: ``wrong_recovery_key`` or ``bad_recovery_key``.
        """
        require_capability(actor, Capability.MANAGE_USERS)
        name = normalise_username(username)
        self.rules.check(name, new_password)
        if self._recovery_check is not None:
            if not recovery_key:
                raise ValidationError("recovery_key_needed", field="recovery_key")
            self._recovery_check(recovery_key)
        encoded = self._hasher.hash(new_password)
        now = self._clock.now()
        info = self._update(
            actor,
            name,
            "password_reset",
            lambda a: replace(
                a,
                password_hash=encoded,
                password_changed_at=now,
                failed_attempts=0,
                locked_until=None,
            ),
        )
        self._password_set(name, new_password)
        return info

    def change_password(self, username: str, old_password: str, new_password: str) -> None:
        """The user changes their own password (signing in with the old one first)."""
        actor = self.authenticate(username, old_password)
        self.rules.check(actor.username, new_password)
        encoded = self._hasher.hash(new_password)
        now = self._clock.now()
        with self._uow_factory() as uow:
            accounts = uow.accounts
            account = accounts.find(actor.username, for_update=True)
            if account is None:
                raise NotFoundError("user_not_found", username=actor.username)
            accounts.save(replace(account, password_hash=encoded, password_changed_at=now))
            record_action(uow, actor, now, "password_changed", "account", actor.username)
            uow.commit()
        self._password_set(actor.username, new_password)

    # -- signing in --------------------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> Actor:
        """Check a user name and password and return the actor for the session.

        The slow Argon2id check runs outside any transaction; the outcome is then written in a
        short one that re-reads the row, so concurrent attempts are all counted. The vault's
        key slot, sealed by an Argon2id key of the password, may prove it instead (one check).

        Raises:
            AuthError: ``bad_credentials`` (with ``retry_after`` seconds once the back-off
                starts), ``account_locked`` (with ``retry_after``) or ``account_disabled``.
        """
        try:
            name = normalise_username(username)
        except ValidationError:
            name = ""
        with self._uow_factory() as uow:
            account = uow.accounts.find(name) if name else None
        now = self._clock.now()
        proven = self._password_proven is not None and self._password_proven(username, password)
        if account is None:
            # Same cost as a real check, so timing does not reveal which names exist.
            self._hasher.verify(password, self._dummy())
            self._record_failure(None, now)
            raise AuthError("bad_credentials", retry_after=0)
        if account.locked_at(now):
            # Refused without looking at the password: guesses during the pause are worthless.
            self._audit_only(account, now, "login_refused_locked")
            raise AuthError("account_locked", retry_after=account.retry_after(now))
        if not proven and not self._hasher.verify(password, account.password_hash):
            updated = self._record_failure(account, now)
            if updated is not None and updated.disabled:
                raise AuthError("account_disabled")
            wait = updated.retry_after(now) if updated is not None else 0
            raise AuthError("bad_credentials", retry_after=wait)
        if account.disabled:
            self._audit_only(account, now, "login_refused_disabled")
            raise AuthError("account_disabled")
        new_hash = (
            self._hasher.hash(password) if self._hasher.needs_rehash(account.password_hash) else None
        )
        return self._record_success(account.username, now, new_hash)

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash("not a password of anyone")
        return self._dummy_hash

    def _audit_only(self, account: UserAccount, now: datetime, action: str) -> None:
        with self._uow_factory() as uow:
            actor = Actor(account.username, account.role)
            record_action(uow, actor, now, action, "account", account.username)
            uow.commit()

    def _record_failure(self, account: UserAccount | None, now: datetime) -> UserAccount | None:
        with self._uow_factory() as uow:
            if account is None:
                record_sign_in_failure(uow, now, "login_failed", known=False)
                uow.commit()
                return None
            accounts = uow.accounts
            fresh = accounts.find(account.username, for_update=True) or account
            if fresh.disabled:
                updated = replace(fresh, last_failure_at=now)
            else:
                updated = self.backoff.after_failure(fresh, now)
            accounts.save(updated)
            actor = Actor(fresh.username, fresh.role)
            record_action(
                uow,
                actor,
                now,
                "login_failed",
                "account",
                fresh.username,
                failures=updated.failed_attempts,
                pause_seconds=updated.retry_after(now),
            )
            if updated.disabled and not fresh.disabled:
                record_action(
                    uow, actor, now, "user_disabled", "account", fresh.username, reason="failures"
                )
                log.warning("account disabled after %d failed sign-ins", updated.failed_attempts)
            uow.commit()
        return updated

    def _record_success(self, username: str, now: datetime, new_hash: str | None) -> Actor:
        with self._uow_factory() as uow:
            accounts = uow.accounts
            account = accounts.find(username, for_update=True)
            if account is None or account.disabled:
                raise AuthError("account_disabled")
            updated = self.backoff.after_success(account, now)
            if new_hash is not None:
                updated = replace(updated, password_hash=new_hash)
            accounts.save(updated)
            actor = Actor(account.username, account.role)
            record_action(
                uow, actor, now, "login_succeeded", "account", username, rehashed=new_hash is not None
            )
            uow.commit()
        return actor
