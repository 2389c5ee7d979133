"""A rendered form shown inside the desk: preview, print through QPrinter, or save as PDF.

PySide6-Essentials 6.11.3 ships only the type stubs of QtPdf/QtPdfWidgets, not the modules
(they come with the much larger PySide6-Addons), so pages are rasterised in-process by PDFium
(``pypdfium2``) and shown as images. Nothing is handed to an external viewer and no copy is
written anywhere unless the officer saves it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPageLayout, QPainter, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from i18n import Translator

SCREEN_DPI = 96
PRINT_DPI = 300


def render_pages(data: bytes, dpi: int) -> list[QImage]:
    """Every page of ``data`` as an image at ``dpi`` (a form has a handful of pages)."""
    document = pypdfium2.PdfDocument(data)
    try:
        images = []
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True, prefer_bgrx=True)
            image = QImage(
                bytes(bitmap.buffer),
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGBX8888,
            ).copy()  # the buffer belongs to PDFium and is freed with the bitmap
            bitmap.close()
            page.close()
            images.append(image)
        return images
    finally:
        document.close()


def print_pdf(data: bytes, printer: QPrinter) -> int:
    """Draw every page on ``printer``, each fitted to its printable area; returns the page count."""
    pages = render_pages(data, min(PRINT_DPI, max(printer.resolution(), 72)))
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("printer")
    try:
        for number, image in enumerate(pages):
            if number:
                printer.newPage()
            area = printer.pageLayout().paintRectPixels(printer.resolution())
            scale = min(area.width() / image.width(), area.height() / image.height())
            target = QRectF(0, 0, image.width() * scale, image.height() * scale)
            painter.drawImage(target, image)
    finally:
        painter.end()
    return len(pages)


class PdfPreviewDialog(QDialog):
    """Pages stacked in a scroll area; Print, Save as PDF and Close below."""

    printed = Signal(int)  # pages sent to the printer
    saved = Signal(object)  # Path

    def __init__(
        self,
        translator: Translator,
        title: str,
        data: bytes,
        suggested_name: str,
        save_to: Callable[[str], Path | None],
        inform: Callable[[str, str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tr = translator
        self.data = data
        self._suggested = suggested_name
        self._save_to = save_to
        self._inform = inform
        self.setWindowTitle(title)
        self.resize(900, 700)  # within 1366x768 with the window frame
        pages = QWidget(self)
        column = QVBoxLayout(pages)
        column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.page_labels: list[QLabel] = []
        for image in render_pages(data, SCREEN_DPI):
            label = QLabel(pages)
            label.setPixmap(QPixmap.fromImage(image))
            label.setFrameShape(QLabel.Shape.Box)
            column.addWidget(label)
            self.page_labels.append(label)
        scroll = QScrollArea(self)
        scroll.setWidget(pages)
        scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        scroll.setStyleSheet("QScrollArea { background: #808080; }")
        buttons = QDialogButtonBox(self)
        self.print_button = QPushButton(self.gt("Print..."), self)
        self.save_button = QPushButton(self.gt("Save as PDF..."), self)
        self.close_button = QPushButton(self.gt("Close"), self)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.print_button.clicked.connect(lambda: self.choose_printer())
        self.save_button.clicked.connect(lambda: self.save_as())
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Print, self).activated.connect(self.choose_printer)
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.save_as)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)

    def gt(self, message: str) -> str:
        return self._tr.gettext(message)

    def choose_printer(self) -> None:
        """Qt's print dialog (translated by the Qt catalogs the application loads), then print."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._suggested)
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.gt("Print"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Print every page on ``printer`` (a file printer in tests)."""
        count = print_pdf(self.data, printer)
        self.printed.emit(count)
        return count

    def save_as(self) -> Path | None:
        """Ask where (the documents folder first), write the PDF and say where it went."""
        target = self._save_to(f"{self._suggested}.pdf")
        if target is None:
            return None
        if target.suffix.lower() != ".pdf":
            target = target.with_name(f"{target.name}.pdf")
        target.write_bytes(self.data)
        self._inform(self.gt("Saved"), self.gt("The document was saved to {path}.").format(path=str(target)))
        self.saved.emit(target)
        return target
