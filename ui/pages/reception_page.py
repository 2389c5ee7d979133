"""Reception centre: children handed over and not yet received, then those in care and their plan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from repatriation.domain.case import Case
from repatriation.domain.enums import CaseStatus
from repatriation.services.results import CasePage, CaseQuery, CaseSort, Changes
from ui.context import AppContext
from ui.dialogs.follow_up_dialog import FollowUpDialog
from ui.dialogs.reception_dialog import ReceptionDialog
from ui.dialogs.support_dialog import SupportDialog
from ui.pages import case_sections as sections
from ui.qt_helpers import set_widths, setup_table
from ui.table_models.base import KEY_ROLE
from ui.table_models.case_table_model import CaseColumn, CaseProxyModel, CaseTableModel
from ui.widgets.badge_delegate import BadgeDelegate

FACILITY_KINDS = ("social_welfare", "ngo", "international_org")
_SHOWN = (CaseColumn.REFERENCE, CaseColumn.NAME, CaseColumn.SEX, CaseColumn.AGE, CaseColumn.STATUS)


def _table(parent: QWidget, model: CaseTableModel) -> QTableView:
    view = QTableView(parent)
    view.setModel(CaseProxyModel(model))
    setup_table(view, stretch_column=CaseColumn.NAME)
    view.setItemDelegateForColumn(CaseColumn.STATUS, BadgeDelegate(view))
    for column in CaseColumn:
        view.setColumnHidden(column, column not in _SHOWN)
    set_widths(
        view, {CaseColumn.REFERENCE: 135, CaseColumn.SEX: 80, CaseColumn.AGE: 40, CaseColumn.STATUS: 125}
    )
    return view


class ReceptionPage(QWidget):
    """Incoming children (acknowledge receipt) and children in care (care plan, follow-ups)."""

    case_activated = Signal(str)
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.selected: Case | None = None
        _ = ctx.translator.gettext
        self.incoming_model = CaseTableModel(ctx.labels, ctx.today)
        self.care_model = CaseTableModel(ctx.labels, ctx.today)
        self.incoming = _table(self, self.incoming_model)
        self.in_care = _table(self, self.care_model)
        self.receive_button = QPushButton(_("Acknowledge receipt..."), self)
        self.support_button = QPushButton(_("Add support..."), self)
        self.follow_up_button = QPushButton(_("Record follow-up..."), self)
        self.reintegrate_button = QPushButton(_("Start reintegration"), self)
        self.open_button = QPushButton(_("Open case"), self)
        self.plan = QTextBrowser(self)
        incoming_box = QGroupBox(_("Handed over, waiting to be received"), self)
        QVBoxLayout(incoming_box).addWidget(self.incoming)
        care_box = QGroupBox(_("In care and reintegration"), self)
        QVBoxLayout(care_box).addWidget(self.in_care)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.receive_button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(incoming_box, 1)
        left_layout.addWidget(care_box, 2)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        actions = QHBoxLayout()
        for button in (self.support_button, self.follow_up_button, self.reintegrate_button, self.open_button):
            actions.addWidget(button)
        actions.addStretch(1)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.plan, 1)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([640, 500])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.receive_button.clicked.connect(self.acknowledge_receipt)
        self.support_button.clicked.connect(self.add_support)
        self.follow_up_button.clicked.connect(self.record_follow_up)
        self.reintegrate_button.clicked.connect(self.start_reintegration)
        self.open_button.clicked.connect(
            lambda: self.selected and self.case_activated.emit(self.selected.reference)
        )
        self.in_care.clicked.connect(lambda index: self.select(str(index.data(KEY_ROLE) or "")))
        ctx.tasks.data_changed.connect(self._on_data_changed)
        self._show_plan(None)
        self.refresh()

    # -- loading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        cases, actor = self.ctx.services.cases, self.ctx.actor
        query = CaseQuery(sort=CaseSort.RECEIVED_ON, descending=False, limit=self.incoming_model.page_size)

        def load() -> tuple[CasePage, CasePage, CasePage]:
            return (
                cases.list_cases(_with_status(query, CaseStatus.HANDED_OVER), actor=actor),
                cases.list_cases(_with_status(query, CaseStatus.IN_CARE), actor=actor),
                cases.list_cases(_with_status(query, CaseStatus.REINTEGRATION), actor=actor),
            )

        self.ctx.tasks.run_db(load, done=self._show, owner=self)

    def _show(self, pages: tuple[CasePage, CasePage, CasePage]) -> None:
        incoming, care, reintegration = pages
        self.incoming_model.reset_with(incoming, self.incoming_model.generation + 1)
        merged = CasePage(
            rows=care.rows + reintegration.rows, total=len(care.rows) + len(reintegration.rows), offset=0
        )
        self.care_model.reset_with(merged, self.care_model.generation + 1)
        if self.selected is not None:
            self.select(self.selected.reference)
        self.loaded.emit()

    def _on_data_changed(self, changes: Changes) -> None:
        if changes.cases:
            self.refresh()

    def select(self, reference: str) -> None:
        if not reference:
            return
        cases, actor = self.ctx.services.cases, self.ctx.actor
        self.ctx.tasks.run_db(lambda: cases.get(actor, reference), done=self._show_plan, owner=self)

    def _show_plan(self, case: Case | None) -> None:
        self.selected = case
        for button in (self.support_button, self.follow_up_button, self.reintegrate_button, self.open_button):
            button.setEnabled(case is not None)
        if case is None:
            self.plan.setHtml(
                f"<p>{self.ctx.translator.gettext('Choose a child in care to see the care plan.')}</p>"
            )
            return
        self.follow_up_button.setEnabled(bool(case.follow_ups))
        self.reintegrate_button.setEnabled(case.status is CaseStatus.IN_CARE)
        labels = self.ctx.labels
        title = f"<h2>{escape(case.person.full_name)} \u00b7 {case.reference}</h2>"
        self.plan.setHtml(title + sections.care_html(case, labels) + sections.follow_ups_html(case, labels))

    # -- actions -------------------------------------------------------------------------------

    def _run(self, work: Callable[[], Case]) -> None:
        self.ctx.tasks.run_db(work, changes=self.ctx.services.cases.changes_for)

    def acknowledge_receipt(self) -> None:
        reference = self.incoming.currentIndex().data(KEY_ROLE)
        if not reference:
            self.ctx.prompter.inform(
                self.ctx.translator.gettext("Acknowledge receipt"),
                self.ctx.translator.gettext("Choose a child in the list of those handed over."),
            )
            return
        today = self.ctx.today()
        agencies = getattr(self.ctx.services.reference, "agencies_on", lambda *_: ())(today, "VN")
        facilities = [a.name for a in agencies if a.kind in FACILITY_KINDS]
        dialog = ReceptionDialog(self.ctx.translator, today, facilities, self.ctx.actor.username, self)
        if dialog.exec():
            reception, ref = dialog.reception(), str(reference)
            self._run(lambda: self.ctx.services.cases.record_reception(self.ctx.actor, ref, reception))

    def add_support(self) -> None:
        if self.selected is None:
            return
        dialog = SupportDialog(self.ctx.translator, self.ctx.today(), self)
        if dialog.exec():
            item, ref = dialog.support(), self.selected.reference
            self._run(lambda: self.ctx.services.cases.add_support(self.ctx.actor, ref, item))

    def record_follow_up(self) -> None:
        if self.selected is None or not self.selected.follow_ups:
            return
        dialog = FollowUpDialog(self.ctx.translator, self.selected.follow_ups, self.ctx.today(), self)
        if dialog.exec():
            follow_up, ref = dialog.follow_up(), self.selected.reference
            self._run(lambda: self.ctx.services.cases.record_follow_up(self.ctx.actor, ref, follow_up))

    def start_reintegration(self) -> None:
        if self.selected is None:
            return
        ref = self.selected.reference
        self._run(lambda: self.ctx.services.cases.transition(self.ctx.actor, ref, CaseStatus.REINTEGRATION))


def _with_status(query: CaseQuery, status: CaseStatus) -> CaseQuery:
    return replace(query, status=status)
