"""Who runs a command: ``--user NAME`` signed in with a password or the recovery key.

Every command accepts ``--user NAME``, ``--password-stdin`` and ``--recovery-key`` before or
after its name (``main.py`` adds them to every parser). The password comes from
``$REPATRIATION_PASSWORD``, else the first line of standard input with ``--password-stdin``,
else a prompt that does not echo (``cli/passwords.py``: read once, it opens the vault and the
account); the recovery key from ``$REPATRIATION_RECOVERY_KEY``, standard input or a prompt.
The signed-in account is the only actor a command has (there is no maintenance actor).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TextIO

from cli.passwords import ENV_PASSWORD, Prompt, sign_in_password, stdin_line
from cli.prompts import ask_secret
from i18n import Translator
from repatriation.config import Settings
from repatriation.domain.actors import Actor
from repatriation.domain.credentials import Credentials, PasswordCredentials, RecoveryCredentials
from repatriation.domain.errors import DomainError, ValidationError
from repatriation.services.demo_desk import is_demo_desk

ENV_RECOVERY_KEY = "REPATRIATION_RECOVERY_KEY"


def add_sign_in_options(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    """``--user``, ``--password-stdin`` and ``--recovery-key`` on one parser.

    Below the top level the defaults are suppressed, so an option given before the command
    name is not reset by the command's own parser.
    """
    if top_level:
        parser.add_argument("--user", metavar="NAME", help=_USER_HELP)
        parser.add_argument("--password-stdin", action="store_true", help=_STDIN_HELP)
        parser.add_argument("--recovery-key", action="store_true", help=_RECOVERY_HELP)
        return
    parser.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS, help=_USER_HELP)
    parser.add_argument("--password-stdin", action="store_true", default=argparse.SUPPRESS,
                        help=_STDIN_HELP)
    parser.add_argument("--recovery-key", action="store_true", default=argparse.SUPPRESS,
                        help=_RECOVERY_HELP)


_USER_HELP = f"sign in as NAME (password: --password-stdin, ${ENV_PASSWORD} or a prompt)"
_STDIN_HELP = "read passwords from standard input, one per line"
_RECOVERY_HELP = f"unlock with the recovery key (${ENV_RECOVERY_KEY}, standard input or a prompt)"


def add_sign_in_everywhere(parser: argparse.ArgumentParser) -> None:
    """Add the sign-in options to every sub-command parser below ``parser`` (recursively)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                add_sign_in_options(sub)
                add_sign_in_everywhere(sub)


class Secrets:
    """Reads the sign-in secrets once per run, in the order the module docstring gives."""

    def __init__(
        self,
        args: argparse.Namespace,
        tr: Translator,
        *,
        stdin: TextIO | None = None,
        environ: Mapping[str, str] = os.environ,
        prompt: Prompt = ask_secret,
    ) -> None:
        self._args, self._tr = args, tr
        self._stdin, self._environ, self._prompt = stdin, environ, prompt
        self._password: str | None = None
        self._recovery_key: str | None = None

    @property
    def from_stdin(self) -> bool:
        """Whether secrets are read from standard input (``--password-stdin``)."""
        return bool(getattr(self._args, "password_stdin", False))

    def stdin_line(self) -> str:
        """The next line of standard input, without its line break."""
        if self._stdin is None:
            return stdin_line()
        line = self._stdin.readline()
        if not line:
            raise ValidationError("password_missing")
        return line.rstrip("\r\n")

    def password(self, user: str) -> str:
        """The signing-in user's password (read once; later calls get the same text)."""
        if self._stdin is None:
            return sign_in_password(self._args, self._tr, self._environ, self._prompt)
        if self._password is None:
            self._password = self._environ.get(ENV_PASSWORD) or (
                self.stdin_line() if self.from_stdin
                else self._prompt(self._tr.gettext("Password for {user}: ").format(user=user)))
        return self._password

    def recovery_key(self) -> str:
        """The recovery key as typed (read once)."""
        if self._recovery_key is None:
            text = self._environ.get(ENV_RECOVERY_KEY)
            if not text:
                text = self.stdin_line() if self.from_stdin else self._prompt(
                    self._tr.gettext("Recovery key: "))
            self._recovery_key = text
        return self._recovery_key

    def credentials(self) -> Credentials | None:
        """The credentials the command line names, or ``None`` without ``--user``/``--recovery-key``."""
        if getattr(self._args, "recovery_key", False):
            return RecoveryCredentials(self.recovery_key())
        user = getattr(self._args, "user", None)
        if user:
            return PasswordCredentials(user, self.password(user))
        return None


def check_set_up(settings: Settings, encrypted: Callable[[Path], bool]) -> None:
    """Refuse a data directory that may not hold records yet (never set up, not a demo desk).

    Args:
        settings: the settings.
        encrypted: whether a data directory is set up (the vault port's ``is_set_up``).

    Raises:
        DomainError: ``not_set_up``.
    """
    if settings.database_url or encrypted(settings.data_dir) or is_demo_desk(settings.data_dir):
        return
    raise DomainError("not_set_up")


def signed_in(accounts: object, args: argparse.Namespace, credentials: Credentials | None) -> Actor:
    """The actor for ``--user``: its password checked, or the database opened by the recovery key.

    Args:
        accounts: the ``AccountService`` of the open database.
        args: the parsed command line.
        credentials: what opened the database (``None`` on a demo desk or PostgreSQL).

    Raises:
        DomainError: ``sign_in_needed`` without ``--user``; the account service's refusals.
    """
    from repatriation.services.accounts import AccountService

    assert isinstance(accounts, AccountService)
    user = getattr(args, "user", None)
    if not user:
        raise DomainError("sign_in_needed")
    if isinstance(credentials, RecoveryCredentials):
        return accounts.sign_in_recovered(user)
    if isinstance(credentials, PasswordCredentials):
        return accounts.authenticate(user, credentials.password)
    raise DomainError("sign_in_needed")
