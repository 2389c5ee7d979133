"""The import inbox: each received change, ours | theirs | sender | when, applied only by decision."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from repatriation.domain.fields import EXTRA_PREFIX, extra_named
from repatriation.services.bundle_inbox import InboxChange
from repatriation.services.results import Changes
from ui.bundle_adapter import section_label
from ui.context import AppContext
from ui.labels import FIELD_LABELS, Labels
from ui.ports import Inbox


def value_text(stored: str) -> str:
    """A received or stored value in words: text as it is, records as their filled-in values."""
    try:
        value = json.loads(stored) if stored else None
    except ValueError:
        return stored
    return _plain(value) or "-"


def _plain(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return "\u2713" if value else ""
    if isinstance(value, dict):
        return "; ".join(text for text in (_plain(v) for v in value.values()) if text)
    if isinstance(value, list):
        return "; ".join(text for text in (_plain(v) for v in value) if text)
    return str(value)


class InboxDialog(QDialog):
    """Pending changes from other desks; accept or decline per change or per case."""

    def __init__(self, ctx: AppContext, inbox: Inbox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.inbox = ctx, inbox
        self.gt = ctx.translator.gettext
        self.labels = Labels(ctx.translator)
        self.rows: list[InboxChange] = []
        self.changes = Changes()
        self.setWindowTitle(self.gt("Received changes"))
        self.resize(980, 520)
        self.summary = QLabel(self)
        self.table = QTableWidget(0, 6, self)
        self.table.setHorizontalHeaderLabels([
            self.gt("Case"), self.gt("Field"), self.gt("Ours"), self.gt("Theirs"),
            self.gt("Sender"), self.gt("Sent")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.accept_button = QPushButton(self.gt("Apply selected"), self)
        self.decline_button = QPushButton(self.gt("Decline selected"), self)
        self.accept_case_button = QPushButton(self.gt("Apply all of this case"), self)
        self.decline_case_button = QPushButton(self.gt("Decline all of this case"), self)
        self.close_button = QPushButton(self.gt("Close"), self)
        self.accept_button.clicked.connect(lambda: self._decide(self.inbox.accept, False))
        self.decline_button.clicked.connect(lambda: self._decide(self.inbox.decline, False))
        self.accept_case_button.clicked.connect(lambda: self._decide(self.inbox.accept, True))
        self.decline_case_button.clicked.connect(lambda: self._decide(self.inbox.decline, True))
        self.close_button.clicked.connect(self.accept)
        self.table.itemSelectionChanged.connect(self._enable)
        buttons = QHBoxLayout()
        for button in (self.accept_button, self.decline_button, self.accept_case_button,
                       self.decline_case_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._enable()
        self.refresh()

    def refresh(self) -> None:
        """Reload the pending changes (on the database worker)."""
        actor = self.ctx.actor
        self.ctx.tasks.run_db(lambda: list(self.inbox.changes(actor)), done=self._show,
                              error=self.ctx.show_error, label=self.gt("Reading the inbox"),
                              owner=self)

    def _show(self, rows: Sequence[InboxChange]) -> None:
        self.rows = list(rows)
        self.table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            field = self.field_text(row.field, row.item_key)
            when = row.sent_at.strftime("%d/%m/%Y %H:%M") if row.sent_at else ""
            for column, text in enumerate((row.reference, field, value_text(row.ours),
                                           value_text(row.theirs), row.sender, when)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(index, column, item)
        self.summary.setText(self.gt("{count} changes wait for a decision.").format(
            count=len(self.rows)))
        self._enable()

    def field_text(self, path: str, item_key: str | None) -> str:
        """The field in words ("given name"; "Verifications, one entry"), never its path."""
        leaf = path.split(".")[-1].split("[")[0]
        section = section_label(path)
        if leaf in FIELD_LABELS or (path.startswith(EXTRA_PREFIX) and extra_named(leaf)):
            text = self.labels.field(leaf)
            text = text[:1].upper() + text[1:]  # the labels are written for the middle of a sentence
        elif section is not None:
            text = self.gt(section)
        else:
            text = self.gt("Other details")
        return text if item_key is None else self.gt("{field}, one entry").format(field=text)

    def selected(self) -> list[InboxChange]:
        """The changes on the selected rows."""
        picked = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.rows[i] for i in picked if i < len(self.rows)]

    def select_rows(self, indexes: Sequence[int]) -> None:
        """Select rows by index (keyboard users and tests)."""
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for index in indexes:
            self.table.selectRow(index)
        self.table.setSelectionMode(mode)

    def _enable(self) -> None:
        chosen = bool(self.table.selectionModel().selectedRows()) if self.rows else False
        for button in (self.accept_button, self.decline_button, self.accept_case_button,
                       self.decline_case_button):
            button.setEnabled(chosen)

    def _decide(self, decide: Callable[..., Changes], whole_case: bool) -> None:
        chosen = self.selected()
        if whole_case:
            cases = {c.reference for c in chosen}
            chosen = [r for r in self.rows if r.reference in cases]
        if not chosen:
            return
        ids, actor = [c.id for c in chosen], self.ctx.actor
        self._set_busy(True)
        self.ctx.tasks.run_db(lambda: decide(actor, ids), done=self._decided,
                              error=self._failed, changes=lambda changes: changes,
                              label=self.gt("Applying the decision"), owner=self)

    def _decided(self, changes: Changes) -> None:
        self.changes = self.changes | changes
        self._set_busy(False)
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.ctx.show_error(error)

    def _set_busy(self, busy: bool) -> None:
        for button in (self.accept_button, self.decline_button, self.accept_case_button,
                       self.decline_case_button):
            button.setEnabled(not busy)
