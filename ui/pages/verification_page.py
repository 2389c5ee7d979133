"""The verification tracker: what is overdue, what is due today, and who the post is waiting on."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from repatriation.services.results import Changes, DueVerification
from ui.context import AppContext
from ui.dialogs.verification_reply_dialog import VerificationReplyDialog
from ui.qt_helpers import fill_combo, set_widths, setup_table
from ui.table_models.base import ROW_ROLE
from ui.table_models.due_table_model import DueColumn, DueTableModel
from ui.widgets.badge_delegate import BadgeDelegate

HORIZON_DAYS = 30  # the tracker looks a month ahead
OVERDUE, TODAY, WEEK, MONTH = "overdue", "today", "week", "month"


def in_window(item: DueVerification, window: str, today: date) -> bool:
    """Whether a due request belongs to the chosen window."""
    limits = {
        OVERDUE: item.due_on < today,
        TODAY: item.due_on <= today,
        WEEK: item.due_on <= today + timedelta(days=7),
    }
    return limits.get(window, True)


class VerificationPage(QWidget):
    """Open requests with a deadline within a month, most urgent first."""

    case_activated = Signal(str)
    loaded = Signal(int)  # rows loaded (tests wait on it)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        _ = ctx.translator.gettext
        self.model = DueTableModel(ctx.labels, ctx.today)
        # Ten years of records can leave thousands of stale requests: the window is filtered
        # and sorted in plain Python lists, never through per-row Python proxy callbacks.
        self._rows: list[DueVerification] = []
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.period = QComboBox(self)
        fill_combo(
            self.period,
            [
                (_("Overdue"), OVERDUE),
                (_("Due today or overdue"), TODAY),
                (_("Due within 7 days"), WEEK),
                (_("Due within 30 days"), MONTH),
            ],
            MONTH,
        )
        self.period.currentIndexChanged.connect(self._apply_window)
        self.reply_button = QPushButton(_("Record reply..."), self)
        self.open_button = QPushButton(_("Open case"), self)
        self.reply_button.clicked.connect(self.record_reply)
        self.open_button.clicked.connect(self._open_selected)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        setup_table(self.table, stretch_column=DueColumn.NAME)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(DueColumn.DUE, Qt.SortOrder.AscendingOrder)
        self.table.setItemDelegateForColumn(DueColumn.DEADLINE, BadgeDelegate(self.table))
        set_widths(
            self.table,
            {DueColumn.DEADLINE: 150, DueColumn.CASE: 135, DueColumn.KIND: 130, DueColumn.WAITING_ON: 150,
             DueColumn.SENT: 85, DueColumn.DUE: 85, DueColumn.LEGAL: 160},
        )  # fmt: skip
        self.table.doubleClicked.connect(lambda _index: self._open_selected())
        self.waiting = QListWidget(self)
        self.waiting.setWordWrap(True)
        waiting_box = QWidget(self)
        waiting_layout = QVBoxLayout(waiting_box)
        waiting_layout.setContentsMargins(0, 0, 0, 0)
        waiting_layout.addWidget(QLabel(_("Waiting on"), waiting_box))
        waiting_layout.addWidget(self.waiting)
        splitter = QSplitter(self)
        splitter.addWidget(self.table)
        splitter.addWidget(waiting_box)
        splitter.setSizes([880, 260])
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.period)
        top.addWidget(self.reply_button)
        top.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        ctx.tasks.data_changed.connect(self._on_data_changed)
        self.refresh()

    def refresh(self) -> None:
        verifications = self.ctx.services.verifications
        actor = self.ctx.actor
        self.ctx.tasks.run_db(lambda: verifications.due(actor, HORIZON_DAYS), done=self._show, owner=self)

    def _show(self, rows: list[DueVerification]) -> None:
        tr, today = self.ctx.translator, self.ctx.today()
        self._rows = rows
        self._apply_window()
        overdue = sum(1 for r in rows if r.due_on < today)
        due_today = sum(1 for r in rows if r.due_on == today)
        week = sum(1 for r in rows if today < r.due_on <= today + timedelta(days=7))
        self.summary.setText(
            "   ".join(
                (
                    tr.ngettext("{count} overdue", "{count} overdue", overdue).format(count=overdue),
                    tr.ngettext("{count} due today", "{count} due today", due_today).format(count=due_today),
                    tr.ngettext("{count} due this week", "{count} due this week", week).format(count=week),
                )
            )
        )
        self.waiting.clear()
        late = Counter(r.requested_to for r in rows if r.due_on < today)
        for agency, count in Counter(r.requested_to for r in rows).most_common():
            text = tr.ngettext("{count} request", "{count} requests", count).format(count=count)
            if late[agency]:
                text += " - " + tr.gettext("{count} late").format(count=late[agency])
            self.waiting.addItem(f"{agency}: {text}")
        self.loaded.emit(len(rows))

    def _apply_window(self) -> None:
        window, today = str(self.period.currentData()), self.ctx.today()
        self.model.set_rows([r for r in self._rows if in_window(r, window, today)])
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())

    def _on_data_changed(self, changes: Changes) -> None:
        if changes.cases:
            self.refresh()

    def selected(self) -> DueVerification | None:
        item = self.table.currentIndex().data(ROW_ROLE)
        return item if isinstance(item, DueVerification) else None

    def _open_selected(self) -> None:
        item = self.selected()
        if item is not None:
            self.case_activated.emit(item.case_reference)

    def record_reply(self) -> None:
        item = self.selected()
        if item is None:
            return
        question = (
            f"{item.case_reference} {item.full_name}: {self.ctx.labels.enum(item.kind)} ({item.requested_to})"
        )
        dialog = VerificationReplyDialog(self.ctx.translator, self.ctx.today(), question, self)
        if not dialog.exec():
            return
        reply, verifications = dialog.reply(), self.ctx.services.verifications
        self.ctx.tasks.run_db(
            lambda: verifications.reply(
                self.ctx.actor,
                item.case_reference,
                item.request_id,
                received_on=reply.received_on,
                outcome=reply.outcome,
                reply=reply.reply,
            ),
            changes=self.ctx.services.cases.changes_for,
        )
