"""Ports of a data directory's first run as the desk and the CLI use it: set up a post, encrypt a desk."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from repatriation.services.first_run_answers import DataLocations, FirstRunAnswers, FirstRunResult

if TYPE_CHECKING:  # the front ends hold the settings already; only their type is named here
    from repatriation.config import Settings


class FirstRunPort(Protocol):
    """The set-up of one data directory (``repatriation.first_run.FirstRun`` implements it)."""

    def locations(self) -> DataLocations:
        """Where the data will live (shown before anything is written)."""
        ...

    def suggested_key_passphrase(self) -> str:
        """A random passphrase the wizard offers for the post's private keys."""
        ...

    def complete(self, answers: FirstRunAnswers) -> FirstRunResult:
        """Vault, first supervisor, key pair, then the settings file; a retry resumes.

        Raises ``DomainError``: a validation code, or the refusal of a service.
        """
        ...


class FirstRuns(Protocol):
    """First runs of data directories, as ``main.py`` hands them to the desk and the CLI."""

    def needs_first_run(self, settings: Settings) -> bool:
        """Whether the data directory of ``settings`` still has to be set up."""
        ...

    def first_run(self, settings: Settings) -> FirstRunPort:
        """The set-up of the data directory of ``settings``."""
        ...

    def encrypt(
        self,
        settings: Settings,
        user: str,
        password: str,
        *,
        kdf_memory_mib: int,
        kdf_iterations: int,
        show: Callable[[str], None],
    ) -> None:
        """Encrypt the data directory of ``settings`` all or nothing (the ``setup`` command).

        The staged database gets the schema and ``user`` as its first supervisor (on a desk
        with accounts, ``user`` must be one of its active supervisors); ``show`` shows the
        recovery key once, before set-up is marked complete.
        """
        ...
