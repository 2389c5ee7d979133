"""The counterparts' keys: add one from its key card, check its safety number, revoke it.

A liaison officer adds the key card a counterpart sent (a file, pasted text, or a photo or
scan of its QR code), saying what the holder is (foreign counterpart and its country,
reception centre, border post: this, not the card, decides what bundles to and from it may
carry), compares the safety number (12 groups of digits, read aloud in any language) with the
counterpart by phone or on the printed card, and only then marks the key verified: bundles
from an unverified key are refused and none are sent to it. A key that was lost or stolen is
revoked here (bundles it signed are refused); one the counterpart replaced is retired (what it
signed until then stays accepted). This post's own card is shown, printed, saved
and replaced from here too (``own_key_card_dialog``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from repatriation.domain.actors import Actor
from repatriation.services.key_card_files import MAX_CARD_BYTES
from ui.bundle_adapter import KIND_LABELS
from ui.context import AppContext
from ui.ports import CounterpartKey, KeyDirectory, OwnKeyCard
from ui.qt_helpers import fill_table, list_table, selected_index


class KeyDirectoryDialog(QDialog):
    """Lists the directory; every change goes through the key service, off the GUI thread."""

    changed = Signal()

    def __init__(self, ctx: AppContext, keys: KeyDirectory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.keys = ctx, keys
        self.gt = ctx.translator.gettext
        self.rows: list[CounterpartKey] = []
        self.setWindowTitle(self.gt("Counterpart keys"))
        self.resize(1180, 460)  # the 60-digit safety number shown whole, within 1366 px
        intro = QLabel(self.gt(
            "Bundles are accepted only from keys verified here. Read the safety number to the "
            "counterpart by phone, or compare it with their printed key card."), self)
        intro.setWordWrap(True)
        self.kind = QComboBox(self)
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(self.gt(label), kind.value)
        self.country = QLineEdit(self)
        self.country.setMaxLength(2)
        self.country.setPlaceholderText("CN / KH / LA")
        self.kind.currentIndexChanged.connect(lambda _i: self._enable())
        holder = QHBoxLayout()
        holder.addWidget(QLabel(self.gt("The next card added is from a:"), self))
        holder.addWidget(self.kind)
        holder.addWidget(QLabel(self.gt("Country:"), self))
        holder.addWidget(self.country)
        holder.addStretch(1)
        self.table = list_table(
            [self.gt("Agency"), self.gt("Kind"), self.gt("Safety number"), self.gt("Status")], 2, self)
        self.table.itemSelectionChanged.connect(self._enable)
        self.own_button = QPushButton(self.gt("This post's key card..."), self)
        self.pasted = QPlainTextEdit(self)
        self.pasted.setPlaceholderText(self.gt("Or paste a key card here"))
        self.pasted.setMaximumHeight(96)
        self.paste_button = QPushButton(self.gt("Add pasted card"), self)
        self.own_button.clicked.connect(self.show_own_card)
        self.paste_button.clicked.connect(self.add_pasted)
        self.add_button = QPushButton(self.gt("Add from key card..."), self)
        self.image_button = QPushButton(self.gt("Add from QR picture..."), self)
        self.image_button.clicked.connect(self.add_image)
        self.verify_button = QPushButton(self.gt("Mark as verified..."), self)
        self.retire_button = QPushButton(self.gt("Replaced by a new key..."), self)
        self.revoke_button = QPushButton(self.gt("Revoke..."), self)
        close = QPushButton(self.gt("Close"), self)
        self.add_button.clicked.connect(self.add)
        self.verify_button.clicked.connect(self.verify)
        self.revoke_button.clicked.connect(self.revoke)
        self.retire_button.clicked.connect(self.retire)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.own_button, self.verify_button, self.retire_button,
                       self.revoke_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(holder)
        paste = QHBoxLayout()
        paste.addWidget(self.pasted, 1)
        adding = QVBoxLayout()  # the three ways a card arrives, side by side with the paste box
        for button in (self.paste_button, self.add_button, self.image_button):
            adding.addWidget(button)
        paste.addLayout(adding)
        layout.addLayout(paste)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.refresh()

    # -- showing --------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the directory (a database read: on the database worker)."""
        self.ctx.tasks.run_db(self.keys.counterparts, done=self._show, owner=self)

    def _show(self, rows: Sequence[CounterpartKey]) -> None:
        self.rows = list(rows)
        fill_table(self.table, ((r.agency, r.kind, r.safety_number, self._state(r))
                                for r in self.rows))
        self._enable()

    def _state(self, row: CounterpartKey) -> str:
        if row.revoked:
            return self.gt("Revoked")
        if row.retired:
            return self.gt("Replaced (older bundles accepted)")
        return self.gt("Verified") if row.verified else self.gt("Not verified yet")

    def selected(self) -> CounterpartKey | None:
        """The row the officer selected, if any."""
        index = selected_index(self.table)
        return None if index is None else self.rows[index]

    def select(self, key_id: str) -> None:
        """Select the row of ``key_id``, if it is listed."""
        for index, row in enumerate(self.rows):
            if row.key_id == key_id:
                self.table.selectRow(index)

    def _enable(self) -> None:
        row = self.selected()
        self.verify_button.setEnabled(row is not None and not row.verified and not row.revoked)
        self.revoke_button.setEnabled(row is not None and not row.revoked)
        self.retire_button.setEnabled(row is not None and not row.revoked and not row.retired)
        self.country.setEnabled(self.kind.currentData() == "foreign_counterpart")

    # -- changing -------------------------------------------------------------------------------

    def add(self) -> None:
        """Pick a key card file (text or a picture of its QR code) and add its key, unverified."""
        self._add_file(self.gt("Add from key card"), self.gt(
            "Key cards (*.txt *.card *.png *.jpg *.jpeg *.bmp);;All files (*)"))

    def add_image(self) -> None:
        """Pick a photo or scan of a key card's QR code and add the key it holds, unverified."""
        self._add_file(self.gt("Add from a QR code picture"), self.gt(
            "Pictures (*.png *.jpg *.jpeg *.bmp);;All files (*)"))

    def _add_file(self, title: str, filters: str) -> None:
        path = self.ctx.prompter.open_file(title, filters)
        if path is None:
            return
        actor = self.ctx.actor
        kind, country = str(self.kind.currentData()), self.country.text()
        # Read and decoded on the worker: a phone photo takes a moment to decode.
        self._change(lambda: self.keys.add_card(actor, self.keys.card_in_file(path), kind, country),
                     then=self._added)

    def _added(self, row: CounterpartKey) -> None:
        self.ctx.prompter.inform(
            self.gt("Key added"),
            self.gt("The key of {agency} was added. Before a bundle from it is accepted, compare "
                    "this safety number with {agency} by phone and mark the key as verified:"
                    "\n\n{number}").format(agency=row.agency, number=row.safety_number))

    def add_pasted(self) -> None:
        """Add the card pasted into the text box (as shown by another desk or ``keys card``)."""
        text = self.pasted.toPlainText()[:MAX_CARD_BYTES]
        actor = self.ctx.actor
        kind, country = str(self.kind.currentData()), self.country.text()
        self._change(lambda: self.keys.add_card(actor, text, kind, country),
                     then=self._pasted_card_added)

    def _pasted_card_added(self, row: Any) -> None:
        self.pasted.clear()
        self._added(row)

    def show_own_card(self) -> None:
        """Show this post's card (QR, text, safety number) to print, save, scan or replace."""
        from ui.dialogs.own_key_card_dialog import OwnKeyCardDialog

        def show(found: OwnKeyCard) -> None:
            dialog = OwnKeyCardDialog(self.ctx, self.keys, found, self)
            dialog.rotated.connect(lambda _card: self.changed.emit())
            dialog.exec()

        self.ctx.tasks.run_db(self.keys.own_card, done=show, owner=self)

    def verify(self) -> None:
        """After the officer confirms the words matched, record the out-of-band check."""
        self._confirmed(self.gt("Verify a key"), self.gt(
            "Did {agency} read you exactly this safety number?\n\n{number}\n\n"
            "Mark the key as verified only if every group of digits matches."),
            self.keys.mark_verified)

    def revoke(self) -> None:
        """After confirmation, refuse every bundle the key signed from now on."""
        self._confirmed(self.gt("Revoke a key"), self.gt(
            "Revoke the key of {agency}? Bundles it signed will be refused from now on and no "
            "bundle will be sent to it. This cannot be undone: {agency} must send a new key "
            "card."), self.keys.revoke)

    def retire(self) -> None:
        """The counterpart rotated its key: bundles it signed until now stay accepted."""
        self._confirmed(self.gt("A counterpart replaced its key"), self.gt(
            "Has {agency} replaced this key with a new one? Add their new key card and verify "
            "it too. Bundles signed with this key until now are still accepted; later ones are "
            "refused, and no bundle will be sent to it any more."), self.keys.retire)

    def _confirmed(self, title: str, question: str,
                   action: Callable[[Actor, str], CounterpartKey]) -> None:
        row = self.selected()
        if row is None:
            return
        text = question.format(agency=row.agency, number=row.safety_number)
        if not self.ctx.prompter.confirm(title, text):
            return
        actor, key_id = self.ctx.actor, row.key_id
        self._change(lambda: action(actor, key_id))

    def _change(self, work: Callable[[], CounterpartKey],
                then: Callable[[CounterpartKey], object] | None = None) -> None:
        def done(row: CounterpartKey) -> None:
            self.changed.emit()
            self.refresh()
            if then is not None:
                then(row)

        self.ctx.tasks.run_db(work, done=done, owner=self)
