"""This post's own key card: shown, printed, saved (PDF, PNG, text), and the key replaced.

The counterpart scans the QR code (screen, paper or a saved picture) or receives the text file
(the same line ``keys card`` prints), adds it at its desk, and both officers compare the safety
number aloud: twelve groups of digits, the same on both screens, read in any language.
Printing goes through Qt's print dialog; nothing is handed to an external viewer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPageLayout, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from repatriation.files import atomic_write_bytes
from ui.context import AppContext
from ui.key_card_sheet import SheetText, paint_on, qr_image, save_pdf, save_png
from ui.ports import KeyDirectory, OwnKeyCard

__all__ = ["OwnKeyCardDialog", "qr_image"]


class OwnKeyCardDialog(QDialog):
    """The card with Print, Save as PDF / picture / text, and Replace this post's key."""

    saved = Signal(object)  # Path
    printed = Signal()
    rotated = Signal(object)  # the new OwnKeyCard

    def __init__(self, ctx: AppContext, keys: KeyDirectory, card: OwnKeyCard,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.keys, self.card = ctx, keys, card
        self.gt = ctx.translator.gettext
        self.setWindowTitle(self.gt("This post's key card"))
        self.agency = QLabel(self)
        self.agency.setWordWrap(True)
        self.number = QLabel(self)
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mono = QFont(self.font())
        mono.setFamilies(["Noto Sans Mono", "DejaVu Sans Mono", "monospace", *mono.families()])
        mono.setPointSize(mono.pointSize() + 3)
        mono.setBold(True)
        self.number.setFont(mono)
        self.qr = QLabel(self)
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setMaximumHeight(90)
        how = QLabel(self.gt(
            "Let the counterpart scan this QR code, or give them the printed sheet or a saved "
            "file. Then read the safety number to each other: every group of digits must match "
            "before either side marks the key as verified."), self)
        how.setWordWrap(True)
        self.print_button = QPushButton(self.gt("Print..."), self)
        self.pdf_button = QPushButton(self.gt("Save as PDF..."), self)
        self.png_button = QPushButton(self.gt("Save as picture (PNG)..."), self)
        self.text_button = QPushButton(self.gt("Save as text..."), self)
        self.rotate_button = QPushButton(self.gt("Replace this post's key..."), self)
        close = QPushButton(self.gt("Close"), self)
        self.print_button.clicked.connect(lambda: self.choose_printer())
        self.pdf_button.clicked.connect(lambda: self.save_as("pdf"))
        self.png_button.clicked.connect(lambda: self.save_as("png"))
        self.text_button.clicked.connect(lambda: self.save_as("txt"))
        self.rotate_button.clicked.connect(lambda: self.replace_key())
        close.clicked.connect(self.accept)
        buttons = QGridLayout()  # two rows: five buttons in one row overflow in Khmer and Lao
        for index, button in enumerate((self.print_button, self.pdf_button, self.png_button,
                                        self.text_button)):
            buttons.addWidget(button, index // 2, index % 2)
        lower = QHBoxLayout()
        lower.addWidget(self.rotate_button)
        lower.addStretch(1)
        lower.addWidget(close)
        # The QR code on the left, big enough to scan from the screen with a phone; the rest
        # beside it, so the dialog stays well inside 768 pixels of height.
        right = QVBoxLayout()
        right.addWidget(self.agency)
        right.addWidget(QLabel(self.gt("Safety number (read it to the counterpart):"), self))
        right.addWidget(self.number)
        right.addWidget(how)
        right.addWidget(self.text)
        right.addStretch(1)
        right.addLayout(buttons)
        columns = QHBoxLayout()
        columns.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addLayout(lower)
        self.resize(920, 440)
        self._show(card)

    def _show(self, card: OwnKeyCard) -> None:
        self.card = card
        self.agency.setText(f"<b>{_escape(card.agency)}</b> ({_escape(card.kind)})")
        groups = card.safety_number.split()
        self.number.setText("\n".join(" ".join(groups[i:i + 6]) for i in range(0, len(groups), 6)))
        self.qr.setPixmap(QPixmap.fromImage(qr_image(card.card, module_px=6)))
        self.text.setPlainText(card.card)

    def sheet(self) -> SheetText:
        """What the printed sheet says, in the desk's language."""
        card = self.card
        return SheetText(
            title=self.gt("Key card for bundles"), agency=card.agency, kind=card.kind,
            number_label=self.gt("Safety number: read it aloud, every group must match"),
            safety_number=card.safety_number,
            how_to=self.gt(
                "Add this card at your desk: scan the QR code, or type or paste the line below. "
                "Then call this post and compare the safety number before marking the key "
                "as verified."),
            card=card.card, key_line=self.gt("Key id: {key}").format(key=card.key_id))

    # -- printing and saving --------------------------------------------------------------------

    def choose_printer(self) -> None:
        """Qt's print dialog (translated by the Qt catalogs the application loads), then print."""
        printer = self.new_printer()
        printer.setDocName("post-key-card")
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.gt("Print"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def new_printer(self) -> QPrinter:
        """The printer the print dialog starts from (tests start it on "print to PDF file")."""
        return QPrinter(QPrinter.PrinterMode.HighResolution)

    def print_to(self, printer: QPrinter) -> None:
        """Print the sheet on ``printer``."""
        paint_on(printer, self.sheet())
        self.printed.emit()

    def save_as(self, kind: str) -> Path | None:
        """Ask where (the documents folder first), write the card and say where it went."""
        titles = {"pdf": self.gt("Save the key card as PDF"),
                  "png": self.gt("Save the key card as a picture"),
                  "txt": self.gt("Save the key card as text")}
        filters = {"pdf": self.gt("PDF files (*.pdf)"), "png": self.gt("PNG pictures (*.png)"),
                   "txt": self.gt("Key cards (*.txt *.card)")}
        target = self.ctx.prompter.save_file(titles[kind], f"post-key-card.{kind}", filters[kind])
        if target is None:
            return None
        if target.suffix.lower() not in {f".{kind}", ".card"}:
            target = target.with_name(f"{target.name}.{kind}")
        writers: dict[str, Callable[[Path], None]] = {
            "pdf": lambda path: save_pdf(path, self.sheet()),
            "png": lambda path: save_png(path, self.sheet()),
            "txt": lambda path: atomic_write_bytes(path, self.card.card.encode("ascii") + b"\n",
                                                   mode=0o644),
        }
        try:
            writers[kind](target)
        except OSError as error:
            self.ctx.show_error(error)
            return None
        self.ctx.prompter.inform(self.gt("Saved"), self.gt(
            "The key card was saved to {path}.").format(path=str(target)))
        self.saved.emit(target)
        return target

    # -- rotation -------------------------------------------------------------------------------

    def replace_key(self) -> None:
        """After confirmation and the key store's passphrase, replace this post's key pair."""
        if not self.ctx.prompter.confirm(self.gt("Replace this post's key"), self.gt(
                "Replace the key of {agency}? Do this when the key may be known to someone else, "
                "or as the post's routine requires. Bundles are signed with the new key from "
                "now on; the old key still opens bundles sent to it for 30 days. Every "
                "counterpart must add the new key card and compare its new safety number "
                "before it accepts bundles from this post again.").format(
                    agency=self.card.agency), ok_label=self.gt("Replace the key")):
            return
        secret = self.ctx.prompter.ask_secret(self.gt("Bundle keys"),
                                              self.gt("Passphrase of this post's key store:"))
        if secret is None:
            return
        actor = self.ctx.actor
        self.ctx.tasks.run_db(lambda: self.keys.rotate_own(actor, secret), done=self._rotated,
                              owner=self)

    def _rotated(self, card: OwnKeyCard) -> None:
        self._show(card)
        self.rotated.emit(card)
        self.ctx.prompter.inform(self.gt("Key replaced"), self.gt(
            "This post has a new key. Send the new key card to every counterpart (print it or "
            "save it) and read them the new safety number:\n\n{number}").format(
                number=card.safety_number))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
