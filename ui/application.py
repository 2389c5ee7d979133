"""Qt application start-up: fonts, style, services, sign-in, the main window, the event loop."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QApplication, QWidget

from i18n import Translator
from repatriation.config import Settings
from repatriation.domain.actors import Actor
from repatriation.domain.credentials import PasswordCredentials
from repatriation.services.documents import FormRenderer
from ui.bundle_wiring import desk_exchange
from ui.context import AppContext
from ui.dialogs.sign_in_dialog import SignInDialog
from ui.fonts import apply_default_font, load_fonts
from ui.idle_guard import IdleGuard
from ui.main_window import MainWindow
from ui.prompts import Prompter, QtPrompter
from ui.qt_translations import install_qt_translations
from ui.style import apply_style
from ui.tasks import TaskRunner
from ui.wizards.first_run_wizard import run_first_run_wizard

if TYPE_CHECKING:
    from repatriation.bootstrap import Services, ServicesBuilder
    from repatriation.services.first_run_ports import FirstRuns
    from repatriation.services.vault_ports import VaultPort

log = logging.getLogger(__name__)


def prepare_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the vendored fonts and the desk's style (idempotent)."""
    existing = QApplication.instance()
    app = (
        existing
        if isinstance(existing, QApplication)
        else QApplication(argv if argv is not None else sys.argv)
    )
    app.setApplicationName("Repatriation Desk")
    if not app.property("desk_prepared"):
        families = load_fonts()
        apply_default_font(app, families)
        apply_style(app)
        app.setProperty("desk_prepared", True)
    return app


def build_context(
    services: Services | Any,
    translator: Translator,
    actor: Actor,
    prompter: Prompter | None = None,
    tasks: TaskRunner | None = None,
) -> AppContext:
    """Wire the context pages receive; the prompter parents its dialogs to the active window.

    The exchange (bundles and keys) is built on first use from ``services.exchange``.
    """
    tasks = tasks or TaskRunner()
    chosen = prompter or QtPrompter(translator, QApplication.activeWindow)
    exchange = desk_exchange(lambda: services.exchange.bundles, translator)
    return AppContext(services=services, tasks=tasks, prompter=chosen, translator=translator, actor=actor,
                      bundles=exchange, keys=exchange)


def sign_in(
    services: Services, translator: Translator, tasks: TaskRunner | None = None, parent: QWidget | None = None
) -> Actor | None:
    """Ask who is at the desk; None when the officer cancelled."""
    accounts = services.accounts
    # A desk without any account yet asks for the first supervisor.
    first_run = not accounts.has_accounts()
    dialog = SignInDialog(
        translator, accounts, services.settings.post_name, parent, first_run=first_run, tasks=tasks
    )
    return dialog.actor() if dialog.exec() else None


class VaultSignIn:
    """Signs in on an encrypted data directory: the password opens the key slot, then the account.

    The services cannot exist before the database key is unwrapped, so they are built here.
    """

    def __init__(self, settings: Settings, renderer: FormRenderer | None, build: ServicesBuilder) -> None:
        self._settings = settings
        self._renderer = renderer
        self._build = build
        self.services: Services | None = None

    def authenticate(self, username: str, password: str) -> Actor:
        """Unlock the database with the user's slot, then check the account itself."""
        services = self._build(
            self._settings, credentials=PasswordCredentials(username, password), renderer=self._renderer
        )
        try:
            actor = services.accounts.authenticate(username, password)
        except BaseException:
            services.close()
            raise
        if self.services is not None:
            self.services.close()
        self.services = services
        return actor


def _sign_in_encrypted(
    settings: Settings, translator: Translator, tasks: TaskRunner, renderer: FormRenderer | None,
    build: ServicesBuilder,
) -> tuple[Services, Actor] | None:
    vault_sign_in = VaultSignIn(settings, renderer, build)
    dialog = SignInDialog(translator, vault_sign_in, settings.post_name, None, first_run=False, tasks=tasks)
    actor = dialog.actor() if dialog.exec() else None
    if actor is None or vault_sign_in.services is None:
        return None
    return vault_sign_in.services, actor


def _guard_idle(
    window: QWidget, services: Services, translator: Translator, tasks: TaskRunner, actor: Actor
) -> IdleGuard:
    """Hide the desk after the idle time; the same officer signs in again to see it."""
    guard = IdleGuard(window, actor.username, services.settings.idle_lock_minutes, services.clock.now)

    def reauthenticate() -> None:
        while guard.state.locked:
            dialog = SignInDialog(
                translator, services.accounts, services.settings.post_name, None, tasks=tasks
            )
            if not dialog.exec():
                window.close()  # nobody re-authenticated: close the desk, data stays hidden
                return
            signed = dialog.actor()
            if signed is not None and signed.username == actor.username:
                guard.unlock(signed.username)

    guard.locked.connect(reauthenticate)
    return guard


def run_desk(
    settings: Settings,
    translator: Translator,
    renderer: FormRenderer | None,
    build: ServicesBuilder,
    vaults: VaultPort,
    first_runs: FirstRuns,
) -> int:
    """Start the desk on the configured database; returns the exit code.

    ``build`` is the composition root's ``build_services``, ``vaults`` the data directory's
    vault (an encrypted desk signs in through it) and ``first_runs`` its set-up, all handed
    over by ``main.py``.
    """
    app = prepare_app()
    install_qt_translations(app, translator)
    # First run: a data directory not set up yet goes through the wizard first.
    ready = run_first_run_wizard(settings, translator, first_runs)
    if ready is None:
        return 0  # closed before the post was set up: nothing was saved
    settings = ready
    tasks = TaskRunner()
    services: Services | None = None
    try:
        if not settings.database_url and vaults.is_set_up(settings.data_dir):
            signed_in = _sign_in_encrypted(settings, translator, tasks, renderer, build)
            if signed_in is None:
                return 0
            services, actor = signed_in
        else:
            services = build(settings, renderer=renderer)
            signed = sign_in(services, translator, tasks)
            if signed is None:
                return 0
            actor = signed
        ctx = build_context(services, translator, actor, tasks=tasks)
        window = MainWindow(ctx)
        window.show()
        guard = _guard_idle(window, services, translator, tasks, actor)
        ctx.signals.lock_requested.connect(guard.lock_now)
        ctx.signals.idle_minutes_changed.connect(guard.set_minutes)
        try:
            return int(app.exec())
        finally:
            guard.stop()
    finally:
        tasks.shutdown()
        if services is not None:
            services.close()
