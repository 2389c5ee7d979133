"""What a command handler gets: settings, output streams, and the signed-in account with its services.

Services are built on first use, and only for a signed-in account: ``ctx.services`` and
``ctx.actor`` open the database with the credentials of ``--user`` (or the recovery key) and
check the account, so a command never reads or writes case data without one.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from cli.session import Secrets, check_set_up, signed_in
from i18n import N_, Translator
from repatriation.config import Settings
from repatriation.domain.actors import Actor
from repatriation.domain.credentials import RecoveryCredentials
from repatriation.domain.errors import DomainError
from repatriation.services.demo_desk import is_demo_desk
from repatriation.services.documents import FormRenderer

if TYPE_CHECKING:
    from repatriation.bootstrap import Services, ServicesBuilder
    from repatriation.services.first_run_ports import FirstRuns
    from repatriation.services.key_ports import KeyCrypto
    from repatriation.services.vault_ports import VaultPort

DEMO_DESK_LINE = N_(
    "DEMO DESK: fictitious data, not encrypted, demo accounts. Never enter real cases here."
)


def _no_key_crypto() -> KeyCrypto:
    raise RuntimeError("main.py hands the command line its key adapter (key_crypto)")


@dataclass
class CliContext:
    """Built by ``main.py`` for one command."""

    settings: Settings
    build: ServicesBuilder  # the composition root, handed over by ``main.py``
    open_vaults: Callable[[], VaultPort]  # the vault, also from ``main.py`` (imported on first use)
    open_first_runs: Callable[[], FirstRuns]  # set-up of a data directory, likewise
    # The key adapter for checks that need no desk (``forms verify``), also from ``main.py``.
    key_crypto: Callable[[], KeyCrypto] = _no_key_crypto
    args: argparse.Namespace = field(default_factory=argparse.Namespace)
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    tr: Translator = field(default_factory=Translator)
    secrets: Secrets | None = None
    renderer: FormRenderer | None = None  # plugged in by ``main.py`` (loads ReportLab on first form)
    _services: Services | None = None
    _actor: Actor | None = None
    _vaults: VaultPort | None = None
    _first_runs: FirstRuns | None = None

    def __post_init__(self) -> None:
        if self.secrets is None:
            self.secrets = Secrets(self.args, self.tr)

    def say(self, message: str) -> None:
        """Write a (translated) status line to stderr, keeping stdout for data."""
        self.err.write(message + "\n")

    @property
    def vaults(self) -> VaultPort:
        """The data directories' vaults (set-up, unlock, re-key, backups)."""
        if self._vaults is None:
            self._vaults = self.open_vaults()
        return self._vaults

    @property
    def first_runs(self) -> FirstRuns:
        """The set-up of data directories (``setup``, ``self-test``)."""
        if self._first_runs is None:
            self._first_runs = self.open_first_runs()
        return self._first_runs

    @property
    def services(self) -> Services:
        """The services of the signed-in account (signs in on first use)."""
        self._sign_in()
        assert self._services is not None
        return self._services

    @property
    def actor(self) -> Actor:
        """The signed-in account (signs in on first use)."""
        self._sign_in()
        assert self._actor is not None
        return self._actor

    def services_before_sign_in(self) -> Services:
        """Services with no account signed in: only for creating the very first account.

        The caller must check that no account exists (``AccountService`` refuses otherwise).
        """
        if self._services is None:
            check_set_up(self.settings, self.vaults.is_set_up)
            assert self.secrets is not None
            self._services = self.build(self.settings, credentials=self.secrets.credentials(),
                                        renderer=self.renderer)
        return self._services

    def adopt(self, services: Services, actor: Actor) -> None:
        """Use services and an actor a command made itself (``demo`` creating a demo desk)."""
        self._services, self._actor = services, actor

    def _sign_in(self) -> None:
        if self._actor is not None:
            return
        if self._services is not None:  # opened before sign-in (the first account was created)
            self._services.close()
            self._services = None
        check_set_up(self.settings, self.vaults.is_set_up)
        if not getattr(self.args, "user", None):
            raise DomainError("sign_in_needed")
        assert self.secrets is not None
        credentials = self.secrets.credentials()
        if isinstance(credentials, RecoveryCredentials) and not self.vaults.is_set_up(self.settings.data_dir):
            raise DomainError("not_set_up")  # a recovery key vouches only for an encrypted desk
        services = self.build(self.settings, credentials=credentials, renderer=self.renderer)
        try:
            actor = signed_in(services.accounts, self.args, credentials)
        except BaseException:
            services.close()
            raise
        self._services, self._actor = services, actor
        if is_demo_desk(self.settings.data_dir):
            self.say(self.tr.gettext(DEMO_DESK_LINE))

    def close(self) -> None:
        """Release what was opened."""
        if self._services is not None:
            self._services.close()
