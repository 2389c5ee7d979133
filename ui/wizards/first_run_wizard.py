"""The first-run wizard: from an empty data directory to a set-up post, without a terminal.

Pages are in ``first_run_pages``; the answers and their checks are ``repatriation.services.
first_run_answers`` (tested without Qt). The set-up itself (vault, supervisor, key pair, settings)
runs through the first-run port ``main.py`` hands over (``repatriation.services.first_run_ports``)
on a worker thread when Next is pressed on the data page; the recovery sheet then shows once.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QWidget, QWizard

from i18n import Translator
from repatriation.config import Settings
from repatriation.domain.enums import Corridor
from repatriation.services.first_run_answers import FirstRunAnswers, FirstRunResult
from repatriation.services.first_run_ports import FirstRunPort, FirstRuns
from ui.tasks import TaskRunner
from ui.wizards.first_run_pages import (
    DataPage,
    FirstRunPage,
    KeysPage,
    LanguagePage,
    PostPage,
    RecoveryPage,
    SupervisorPage,
    error_sentence,
)

GateLister = Callable[[Corridor], list[tuple[str, str]]]
SheetPrinter = Callable[[QTextDocument, QWidget], None]


def reference_gates() -> GateLister:
    """Border gates per corridor from the shipped reference data (code, Vietnamese name)."""
    from repatriation.reference import load_reference_data

    reference = load_reference_data(None)
    return lambda corridor: [(g.code, g.name_vi) for g in reference.gates_for(corridor)]


def print_with_dialog(document: QTextDocument, parent: QWidget) -> None:
    """Qt's print dialog (a PDF printer is offered where no printer is installed)."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec():
        document.print_(printer)


class FirstRunWizard(QWizard):
    """Emits ``completed(FirstRunResult)`` once the post is set up; Finish then closes it."""

    completed = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        settings: Settings,
        translator: Translator,
        *,
        first_run: FirstRunPort,
        tasks: TaskRunner | None = None,
        gates: GateLister | None = None,
        printer: SheetPrinter = print_with_dialog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tr_ = translator
        self.first_run = first_run
        self.tasks = tasks or TaskRunner(self)
        self._printer = printer
        self.result_: FirstRunResult | None = None
        self._running = False
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage)
        self.resize(760, 520)
        self.language_page = LanguagePage(translator, self._language_changed)
        self.post_page = PostPage(translator, gates or reference_gates())
        self.supervisor_page = SupervisorPage(translator)
        self.keys_page = KeysPage(translator, first_run.suggested_key_passphrase())
        self.data_page = DataPage(translator, first_run.locations(), self.start_setup)
        self.recovery_page = RecoveryPage(translator, self.print_sheet)
        self.pages: list[FirstRunPage] = [
            self.language_page,
            self.post_page,
            self.supervisor_page,
            self.keys_page,
            self.data_page,
            self.recovery_page,
        ]
        for page in self.pages:
            self.addPage(page)
        self.retranslate()

    def _language_changed(self, language: str) -> None:
        self.tr_.set_language(language)
        self.retranslate()

    def retranslate(self) -> None:
        """Every text in the active language (Qt has no vi/km/lo button texts of its own)."""
        _ = self.tr_.gettext
        self.setWindowTitle(_("Set up Repatriation Desk"))
        for button, text in (
            (QWizard.WizardButton.BackButton, _("Back")),
            (QWizard.WizardButton.NextButton, _("Next")),
            (QWizard.WizardButton.FinishButton, _("Start the desk")),
            (QWizard.WizardButton.CancelButton, _("Cancel")),
        ):
            self.setButtonText(button, text)
        for page in self.pages:
            page.retranslate()

    def answers(self) -> FirstRunAnswers:
        """What the pages hold now."""
        sup = self.supervisor_page
        return FirstRunAnswers(
            language=self.language_page.value(),
            profile=self.post_page.profile(),
            username=sup.username.text(),
            password=sup.password.text(),
            display_name=sup.display_name.text(),
            key_passphrase=self.keys_page.passphrase.text(),
        )

    def start_setup(self) -> bool:
        """Next on the data page: True once set up (move on), False while running or refused."""
        if self.result_ is not None:
            return True
        if self._running:
            return False
        self._running = True
        self.button(QWizard.WizardButton.NextButton).setEnabled(False)
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)
        self.data_page.problem.setText(self.tr_.gettext("Setting up... this takes a few seconds."))
        answers = self.answers()
        self.tasks.run_db(
            lambda: self.first_run.complete(answers),
            done=self._set_up,
            error=self._refused,
            label=self.tr_.gettext("Setting up..."),
            owner=self,
        )
        return False

    def _set_up(self, result: FirstRunResult) -> None:
        self._running = False
        self.result_ = result
        self.data_page.problem.clear()
        self.recovery_page.show_sheet(self.sheet_html())
        self.button(QWizard.WizardButton.NextButton).setEnabled(True)
        self.completed.emit(result)
        self.next()

    def _refused(self, error: BaseException) -> None:
        self._running = False
        self.button(QWizard.WizardButton.NextButton).setEnabled(True)
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)
        message = error_sentence(error, self.tr_)
        self.data_page.problem.setText(message)
        self.failed.emit(message)

    def sheet_html(self) -> str:
        """The recovery sheet (screen and paper): recovery key, key passphrase, fingerprint, folder."""
        result = self.result_
        if result is None:
            return ""
        _ = self.tr_.gettext
        rows: list[tuple[str, str]] = [
            (_("Post"), result.settings.post_name),
            (
                _("Recovery key"),
                result.recovery_key or _("(none: the server database is protected by its server)"),
            ),
            (_("Key passphrase"), result.key_passphrase),
            (_("Key fingerprint"), result.fingerprint),
            (_("Fingerprint words"), " ".join(result.fingerprint_words)),
            (_("Data folder"), str(result.locations.data_dir)),
        ]
        body = "".join(
            f"<tr><td><b>{html.escape(k)}</b></td><td><tt>{html.escape(v)}</tt></td></tr>" for k, v in rows
        )
        warning = ""
        if result.recovery_key_replaced:  # set up before (the command line): that sheet is void now
            warning = "<p><b>{}</b></p>".format(html.escape(_(
                "This recovery key replaces the one shown when this desk was first set up: "
                "that one no longer opens the data. Destroy the old sheet.")))
        return f"{warning}<table cellspacing='6'>{body}</table>"

    def sheet_document(self) -> QTextDocument:
        """The printable sheet."""
        document = QTextDocument(self)
        title = html.escape(self.tr_.gettext("Repatriation Desk: recovery sheet (keep locked away)"))
        document.setHtml(f"<h2>{title}</h2>{self.sheet_html()}")
        return document

    def print_sheet(self) -> None:
        """Print (or save as PDF) the recovery sheet."""
        if self.result_ is not None:
            self._printer(self.sheet_document(), self)

    def first_run_result(self) -> FirstRunResult | None:
        """The outcome, once set up."""
        return self.result_

    def reject(self) -> None:
        if self._running:
            return  # the set-up is writing keys: it cannot be interrupted safely
        super().reject()


def run_first_run_wizard(
    settings: Settings, translator: Translator, first_runs: FirstRuns
) -> Settings | None:
    """Show the wizard when the data directory is not set up yet (``first_runs`` from ``main.py``).

    Returns:
        The settings to start the desk with (unchanged when no set-up was needed), or
        ``None`` when the officer closed the wizard before the post was set up.
    """
    if not first_runs.needs_first_run(settings):
        return settings
    wizard = FirstRunWizard(settings, translator, first_run=first_runs.first_run(settings))
    try:
        wizard.exec()
        outcome = wizard.first_run_result()
    finally:
        wizard.tasks.shutdown()
    if outcome is None:
        return None
    translator.set_language(outcome.settings.language)
    return outcome.settings
