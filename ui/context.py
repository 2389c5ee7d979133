"""AppContext: what every page is given (services, task runner, prompter, words, the user).

Built once by ``ui/application.py``; pages never look anything up globally.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from i18n import Translator
from repatriation.domain.actors import Actor
from repatriation.services.attachments import AttachmentService
from repatriation.services.statistics import StatisticsService
from repatriation.services.statistics_noisy_releases import NoisyReleaseService
from repatriation.services.statistics_releases import ReleaseService
from ui.error_text import describe_error
from ui.labels import Labels
from ui.ports import DeskExchange, DeskKeys, DocumentRenderer
from ui.prompts import Prompter
from ui.tasks import Task, TaskRunner

if TYPE_CHECKING:
    from repatriation.bootstrap import Services


class AppSignals(QObject):
    """App-wide signals that are not about data (data changes come from the task runner)."""

    language_changed = Signal(str)
    open_case = Signal(str)  # any page may ask the shell to show a case
    open_batch = Signal(str)
    lock_requested = Signal()  # "Lock now" (Ctrl+L)
    idle_minutes_changed = Signal(int)  # a new idle time, applied at once


@dataclass
class AppContext:
    """Services plus the Qt-side helpers; one per signed-in session."""

    services: Services
    tasks: TaskRunner
    prompter: Prompter
    translator: Translator
    actor: Actor  # the signed-in account: the only actor pages pass to the services
    signals: AppSignals = field(default_factory=AppSignals)
    # The desk's face of the exchange services (``ui/bundle_wiring.py``), None where not wired.
    bundles: DeskExchange | None = None
    keys: DeskKeys | None = None

    def __post_init__(self) -> None:
        self.tasks.unhandled_error = self._on_unhandled

    @property
    def labels(self) -> Labels:
        """Words for codes in the active language."""
        return Labels(self.translator, self._gate_name)

    def _gate_name(self, code: str) -> str:
        reference = self.services.reference
        try:
            return str(reference.gate(code).name_vi)
        except Exception:  # an unknown or retired gate: its code is all there is
            return code

    def gt(self, message: str) -> str:
        return self.translator.gettext(message)

    def today(self) -> date:
        """Today on the services' clock (fixed in tests and demos)."""
        return self.services.clock.today()

    # Services a desk may run without (a test desk, a desk with no form renderer): pages hide
    # their entry points when one is None.
    @property
    def documents(self) -> DocumentRenderer | None:
        """Printed forms (None without a form renderer)."""
        return self.services.documents

    @property
    def attachments(self) -> AttachmentService | None:
        """The encrypted photo and scan store."""
        return self.services.attachments

    @property
    def statistics(self) -> StatisticsService | None:
        """Cross-tables for the statistics page."""
        return self.services.statistics

    @property
    def releases(self) -> ReleaseService | None:
        """Published statistics tables."""
        return self.services.releases

    @property
    def noisy_releases(self) -> NoisyReleaseService | None:
        """Noisy releases under the yearly privacy budget."""
        return self.services.noisy_releases

    def show_error(self, error: BaseException, title: str = "") -> None:
        """Tell the officer what went wrong in plain words, details on request."""
        text = describe_error(error, self.translator)
        self.prompter.error(title or self.gt("Could not complete"), text.message, text.details)

    def _on_unhandled(self, task: Task, error: BaseException) -> None:
        del task
        self.show_error(error)
