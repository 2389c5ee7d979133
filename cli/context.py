"""What a command handler gets: settings, the acting user, output streams, services built lazily."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO

from i18n import Translator
from repatriation.bootstrap import Services, build_services
from repatriation.config import Settings
from repatriation.domain.actors import Actor
from repatriation.vault import Credentials


@dataclass
class CliContext:
    """Built by ``main.py``; services are created on first use so cheap commands stay cheap."""

    settings: Settings
    actor: Actor = field(default_factory=Actor.system)
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    tr: Translator = field(default_factory=Translator)
    credentials: Credentials | None = None
    _services: Services | None = None

    def say(self, message: str) -> None:
        """Write a (translated) status line to stderr, keeping stdout for data."""
        self.err.write(message + "\n")

    @property
    def services(self) -> Services:
        """The services, built on first use."""
        if self._services is None:
            self._services = build_services(self.settings, credentials=self.credentials)
        return self._services

    def close(self) -> None:
        """Release what was opened."""
        if self._services is not None:
            self._services.close()
