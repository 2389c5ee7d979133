"""The shell: sidebar navigation, the pages, menus and the status bar (no business logic here).

Pages talk to services through the context; the shell only switches pages and routes
'open this case / this batch' requests. A language switch rebuilds the pages in place.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from i18n import N_
from repatriation.services.demo_desk import is_demo_desk
from repatriation.services.results import ImportReport
from ui.context import AppContext
from ui.qt_translations import install_qt_translations
from ui.widgets.task_progress import TaskProgress

if TYPE_CHECKING:  # the pages, dialogs and wizard are imported when first shown (start-up time)
    from ui.pages.case_page import CasePage
    from ui.pages.cases_page import CasesPage
    from ui.pages.handover_page import HandoverPage
    from ui.pages.reception_page import ReceptionPage
    from ui.pages.settings_page import SettingsPage
    from ui.pages.verification_page import VerificationPage
    from ui.wizards.intake_wizard import IntakeWizard

# Sidebar entries in order; the case page is reached from the lists, not from the sidebar.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("cases", N_("Cases")),
    ("verification", N_("Verification tracker")),
    ("handover", N_("Handover session")),
    ("reception", N_("Reception and care")),
    ("settings", N_("Settings")),
)
DEMO_BANNER = N_(
    "DEMO DESK: fictitious data, not encrypted, demo accounts. Never enter real cases here."
)
# Shown before Settings when the statistics service is wired (``ctx.statistics``).
STATISTICS_SECTION = ("statistics", N_("Statistics"))


class MainWindow(QMainWindow):
    """Built once per signed-in session; ``pages`` maps section keys to page widgets."""

    rebuilt = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.resize(1366, 768)
        self.pages: dict[str, QWidget] = {}
        self.wizard: IntakeWizard | None = None
        ctx.signals.language_changed.connect(self.switch_language)
        self._build()

    # -- building ------------------------------------------------------------------------------

    def gt(self, message: str) -> str:
        return self.ctx.translator.gettext(message)

    def _build(self) -> None:
        ctx = self.ctx
        self.setWindowTitle(self.gt("Repatriation Desk") + f" \u00b7 {ctx.services.settings.post_name}")
        self.sidebar = QListWidget(self)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(190)
        self.sidebar.setWordWrap(True)  # long page names wrap instead of being cut
        # Wrapped names never need sideways scrolling (the bar only took room on 1366 px screens).
        self.sidebar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget(self)
        self.pages = {}
        self.sections = list(SECTIONS)
        if ctx.statistics is not None:
            self.sections.insert(-1, STATISTICS_SECTION)
        for _key, title in self.sections:
            self.sidebar.addItem(self.gt(title))
        self.sidebar.currentRowChanged.connect(
            lambda row: self.stack.setCurrentWidget(self.page(self.sections[row][0]))
        )
        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.demo_banner: QLabel | None = None
        if is_demo_desk(ctx.services.settings.data_dir):
            # A demo desk is unencrypted with published passwords: say so on every page.
            self.demo_banner = QLabel(self.gt(DEMO_BANNER), central)
            self.demo_banner.setObjectName("demoBanner")
            self.demo_banner.setWordWrap(True)
            self.demo_banner.setStyleSheet("background:#b00020;color:white;font-weight:bold;padding:6px;")
            outer.addWidget(self.demo_banner)
        row = QHBoxLayout()
        row.setSpacing(0)
        row.addWidget(self.sidebar)
        row.addWidget(self.stack, 1)
        outer.addLayout(row, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self._build_status_bar()
        self.sidebar.setCurrentRow(0)

    # -- pages, built the first time they are shown (start-up shows the case list only) -------

    def page(self, key: str) -> QWidget:
        """The page for ``key``, created and wired on first use."""
        if key not in self.pages:
            widget = _create_page(key, self.ctx)
            if key == "statistics":
                # Its row of dimension choices must never widen the window past 1366 px (the stack
                # takes the widest page's minimum): the page gets the width there is.
                policy = widget.sizePolicy()
                policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
                widget.setSizePolicy(policy)
            self.pages[key] = widget
            self.stack.addWidget(widget)
            self._wire(key, widget)
        return self.pages[key]

    def _wire(self, key: str, widget: QWidget) -> None:
        activated = getattr(widget, "case_activated", None)
        if activated is not None:
            activated.connect(self.open_case)
        if key == "cases":
            cast("CasesPage", widget).new_intake.connect(self.new_intake)
        if key == "case":
            case_page = cast("CasePage", widget)
            case_page.back.connect(lambda: self.show_section("cases"))
            case_page.open_batch.connect(self.open_batch)
            case_page.export_requested.connect(self.export_bundle)

    @property
    def cases(self) -> CasesPage:
        return cast("CasesPage", self.page("cases"))

    @property
    def case(self) -> CasePage:
        return cast("CasePage", self.page("case"))

    @property
    def verification(self) -> VerificationPage:
        return cast("VerificationPage", self.page("verification"))

    @property
    def handover(self) -> HandoverPage:
        return cast("HandoverPage", self.page("handover"))

    @property
    def reception(self) -> ReceptionPage:
        return cast("ReceptionPage", self.page("reception"))

    @property
    def settings(self) -> SettingsPage:
        return cast("SettingsPage", self.page("settings"))

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.clear()
        desk = bar.addMenu(self.gt("Desk"))
        bundles_ready = self.ctx.bundles is not None
        entries: list[
            tuple[str, Callable[[], object], QKeySequence | QKeySequence.StandardKey | None, bool]
        ] = [
            (self.gt("New intake..."), self.new_intake, QKeySequence.StandardKey.New, True),
            (self.gt("Import cases from a file..."), self.import_cases, None, True),
            (self.gt("Export bundle..."), lambda: self.export_bundle([]), None, bundles_ready),
            (self.gt("Import bundle..."), self.import_bundle, None, bundles_ready),
            (self.gt("Received changes..."), self.open_inbox, None, bundles_ready),
            (self.gt("Lock now"), self.ctx.signals.lock_requested.emit, QKeySequence("Ctrl+L"), True),
            (self.gt("Quit"), self.close, QKeySequence.StandardKey.Quit, True),
        ]
        for text, handler, shortcut, enabled in entries:
            action = QAction(text, self)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.setEnabled(enabled)
            action.triggered.connect(lambda _checked=False, h=handler: h())
            desk.addAction(action)

    def _build_status_bar(self) -> None:
        ctx, status = self.ctx, QStatusBar(self)
        self.setStatusBar(status)  # a fresh bar: the old one goes with its widgets
        who = self.gt("Signed in as {user} ({role})").format(
            user=ctx.actor.username, role=ctx.labels.enum(ctx.actor.role)
        )
        self.user_label = QLabel(who, self)
        status.addWidget(self.user_label)
        self.progress = TaskProgress(ctx.tasks, ctx.translator, self)
        status.addPermanentWidget(self.progress)
        self.lock_button = QPushButton(self.gt("Lock now"), self)
        self.lock_button.setToolTip("Ctrl+L")
        self.lock_button.clicked.connect(lambda: ctx.signals.lock_requested.emit())
        status.addPermanentWidget(self.lock_button)

    def switch_language(self, language: str) -> None:
        """Rebuild every page in the new language, keeping the section on screen."""
        current = self.sidebar.currentRow()
        self.ctx.translator.set_language(language)
        app = QApplication.instance()
        if app is not None:
            install_qt_translations(app, self.ctx.translator)
        old = self.centralWidget()
        self._build()
        if old is not None:
            old.deleteLater()
        self.sidebar.setCurrentRow(max(0, current))
        self.rebuilt.emit()

    # -- navigation ----------------------------------------------------------------------------

    def show_section(self, key: str) -> None:
        row = next(i for i, (k, _) in enumerate(self.sections) if k == key)
        self.sidebar.setCurrentRow(row)
        self.stack.setCurrentWidget(self.pages[key])

    def _open_first_registered(self, result: Any) -> None:
        if result.references:
            self.open_case(result.references[0])

    def open_case(self, reference: str) -> None:
        self.case.show_case(reference)
        # The case belongs under "Cases" in the sidebar; move the mark without switching pages.
        self.sidebar.blockSignals(True)
        self.sidebar.setCurrentRow(0)
        self.sidebar.blockSignals(False)
        self.stack.setCurrentWidget(self.case)

    def open_batch(self, reference: str) -> None:
        self.show_section("handover")
        self.handover.open_batch(reference)

    # -- actions -------------------------------------------------------------------------------

    def new_intake(self) -> IntakeWizard:
        from ui.wizards.intake_wizard import IntakeWizard

        self.wizard = IntakeWizard(self.ctx, self)
        self.wizard.registered.connect(self._open_first_registered)
        self.wizard.open()
        return self.wizard

    def import_cases(self) -> None:
        path = self.ctx.prompter.open_file(self.gt("Import cases"), self.gt("Case files (*.csv *.json)"))
        if path is None:
            return
        self.import_file(path)

    def import_file(self, path: Path) -> None:
        imports, actor = self.ctx.services.imports, self.ctx.actor

        def done(report: ImportReport) -> None:
            self.ctx.prompter.inform(
                self.gt("Import"),
                self.ctx.translator.ngettext(
                    "{count} case imported.", "{count} cases imported.", report.created
                ).format(count=report.created),
            )

        self.ctx.tasks.run_db(
            lambda progress: imports.import_file(actor, path, progress),
            done=done,
            changes=lambda report: report.changes,
            with_progress=True,
            cancellable=True,
            label=self.gt("Importing {name}").format(name=path.name),
        )

    def export_bundle(self, case_refs: list[str]) -> None:
        bundles = self.ctx.bundles
        if bundles is None:
            return
        shown = self.pages.get("case")
        current = cast("CasePage", shown).case if shown is not None else None
        refs = case_refs or ([current.reference] if current else [])
        if not refs:
            self.ctx.prompter.inform(self.gt("Export bundle"), self.gt("Open a case first."))
            return
        from ui.dialogs.export_bundle_dialog import ExportBundleDialog

        ExportBundleDialog(self.ctx, bundles, refs, self).exec()

    def import_bundle(self) -> None:
        bundles = self.ctx.bundles
        if bundles is not None:
            from ui.dialogs.import_bundle_dialog import ImportBundleDialog

            ImportBundleDialog(self.ctx, bundles, self).exec()

    def open_inbox(self) -> None:
        bundles = self.ctx.bundles
        if bundles is not None:
            from ui.dialogs.inbox_dialog import InboxDialog

            InboxDialog(self.ctx, bundles.inbox, self).exec()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.ctx.tasks.idle and not self.ctx.prompter.confirm(
            self.gt("Quit"), self.gt("Work is still running. Quit anyway? Unfinished work is not saved.")
        ):
            event.ignore()
            return
        event.accept()


def _page_classes() -> dict[str, Callable[[AppContext], QWidget]]:
    # Imported when the first page is built, not with the shell: start-up shows the case list,
    # and the other pages (with their dialogs and wizards) cost ~100 ms of imports.
    from ui.pages.case_page import CasePage
    from ui.pages.cases_page import CasesPage
    from ui.pages.handover_page import HandoverPage
    from ui.pages.reception_page import ReceptionPage
    from ui.pages.settings_page import SettingsPage
    from ui.pages.verification_page import VerificationPage

    return {
        "cases": CasesPage,
        "case": CasePage,
        "verification": VerificationPage,
        "handover": HandoverPage,
        "reception": ReceptionPage,
        "settings": SettingsPage,
    }


def _create_page(key: str, ctx: AppContext) -> QWidget:
    if key == "statistics":
        from ui.pages.statistics_page import StatisticsPage  # only where the service is wired

        return StatisticsPage(ctx)
    if key == "cases":
        from ui.pages.cases_page import CasesPage  # the start-up page: nothing else yet

        return CasesPage(ctx)
    return _page_classes()[key](ctx)
