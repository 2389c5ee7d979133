"""Signing in when the recovery key opened the database: the key vouches for the account named."""

from __future__ import annotations

from repatriation.domain.account_policy import AuthError, normalise_username
from repatriation.domain.actors import Actor
from repatriation.domain.errors import ValidationError
from repatriation.services.audit import record_action
from repatriation.services.ports import Clock, UnitOfWorkFactory


class RecoverySignIn:
    """Part of ``AccountService``: the actor for ``--recovery-key --user NAME`` (the CLI)."""

    _uow_factory: UnitOfWorkFactory
    _clock: Clock

    def sign_in_recovered(self, username: str) -> Actor:
        """The actor for an account when the database was opened with the recovery key.

        Only the caller that unlocked the encrypted database with the recovery key may call
        this (the key opens every record, so it vouches for the account named). The sign-in
        is audited under that account; a disabled or unknown account is refused.

        Raises:
            AuthError: ``bad_credentials`` (no such account) or ``account_disabled``.
        """
        try:
            name = normalise_username(username)
        except ValidationError:
            raise AuthError("bad_credentials", retry_after=0) from None
        now = self._clock.now()
        with self._uow_factory() as uow:
            account = uow.accounts.find(name)
            if account is None:
                raise AuthError("bad_credentials", retry_after=0)
            if account.disabled:
                raise AuthError("account_disabled")
            actor = Actor(account.username, account.role)
            record_action(uow, actor, now, "login_recovery_key", "account", account.username)
            uow.commit()
        return actor
