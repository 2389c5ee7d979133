"""This post's own key card: the text, its QR code and the safety number, to show or save.

The counterpart reads the QR code or receives the saved text file (the same line ``keys card``
prints), adds it at its desk, and both officers compare the safety number aloud: twelve groups
of digits, the same on both screens, read in any language.
"""

from __future__ import annotations

import qrcode
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext

_MODULE_PX = 4


def qr_image(text: str) -> QImage:
    """The QR code of ``text`` as a black-on-white image (4 px per module, 2-module border)."""
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix) * _MODULE_PX
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    black = QColor("black").rgb()
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            if not dark:
                continue
            for dy in range(_MODULE_PX):
                for dx in range(_MODULE_PX):
                    image.setPixel(column * _MODULE_PX + dx, row * _MODULE_PX + dy, black)
    return image


class OwnKeyCardDialog(QDialog):
    """Shows the card; "Save as file..." writes the card line to a text file."""

    def __init__(self, ctx: AppContext, card: str, safety_number: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.card = ctx, card
        gt = ctx.translator.gettext
        self.setWindowTitle(gt("This post's key card"))
        self.qr = QLabel(self)
        self.qr.setPixmap(QPixmap.fromImage(qr_image(card)))
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number = QLabel(safety_number, self)
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text = QPlainTextEdit(card, self)
        self.text.setReadOnly(True)
        self.text.setMaximumHeight(80)
        save = QPushButton(gt("Save as file..."), self)
        close = QPushButton(gt("Close"), self)
        save.clicked.connect(self.save)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(gt("Safety number (read it to the counterpart):"), self))
        layout.addWidget(self.number)
        layout.addWidget(self.qr)
        layout.addWidget(self.text)
        layout.addLayout(buttons)

    def save(self) -> None:
        """Write the card line to a file the counterpart's desk (or CLI) reads."""
        gt = self.ctx.translator.gettext
        path = self.ctx.prompter.save_file(gt("Save the key card"), "post-key-card.txt",
                                           gt("Key cards (*.txt *.card)"))
        if path is None:
            return
        path.write_text(self.card + "\n", encoding="ascii")
