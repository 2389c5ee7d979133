"""This post's key card as a printable sheet: painted once, on a printer, a PDF or a PNG.

One ``paint_sheet`` draws the page (agency, safety number, QR code, card text, how to check it)
in a fixed logical coordinate system scaled onto whatever device it is given, so the printed
sheet, the saved PDF and the saved PNG are the same picture. The QR code is drawn as vector
squares (sharp on paper at any printer resolution); nothing goes through an external viewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import qrcode
from PySide6.QtCore import QMarginsF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextOption,
)
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

# The sheet's logical size: A4's proportions (210 x 297 mm), 1000 units wide.
SHEET_W, SHEET_H = 1000, 1414
PNG_SIZE = (1240, 1754)  # A4 at 150 dpi: a QR module is about 11 pixels, easy to decode
_MODULE_PX = 4  # on screen


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR code of ``text`` (error correction M), with a 2-module quiet border."""
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    return [[bool(cell) for cell in row] for row in code.get_matrix()]


def qr_image(text: str, module_px: int = _MODULE_PX) -> QImage:
    """The QR code of ``text`` as a black-on-white image (``module_px`` pixels a module)."""
    matrix = qr_matrix(text)
    size = len(matrix) * module_px
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        _paint_qr(painter, QRectF(0, 0, size, size), matrix)
    finally:
        painter.end()
    return image


def _paint_qr(painter: QPainter, area: QRectF, matrix: list[list[bool]]) -> None:
    module = area.width() / len(matrix)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            if dark:  # a hair wider than a module, so no white seams appear between squares
                painter.drawRect(QRectF(area.x() + column * module, area.y() + row * module,
                                        module * 1.01, module * 1.01))


@dataclass(frozen=True)
class SheetText:
    """Everything written on the sheet, already translated."""

    title: str
    agency: str
    kind: str
    number_label: str
    safety_number: str
    how_to: str
    card: str
    key_line: str


def _font(pixels: int, bold: bool = False, mono: bool = False) -> QFont:
    font = QFont(QApplication.font())
    if mono:
        font.setFamilies(["Noto Sans Mono", "DejaVu Sans Mono", "monospace", *font.families()])
        font.setStyleHint(QFont.StyleHint.TypeWriter)
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


def _text(painter: QPainter, box: QRectF, text: str, font: QFont,
          wrap: QTextOption.WrapMode = QTextOption.WrapMode.WordWrap,
          align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignHCenter) -> float:
    """Draw ``text`` wrapped in ``box``; returns the height it took."""
    painter.setFont(font)
    option = QTextOption(align)
    option.setWrapMode(wrap)
    needed = painter.boundingRect(box, text, option)
    painter.drawText(box, text, option)
    return needed.height()


def paint_sheet(painter: QPainter, target: QRect | QRectF, text: SheetText) -> None:
    """Draw the key card sheet into ``target`` (device pixels), keeping A4's proportions."""
    scale = min(target.width() / SHEET_W, target.height() / SHEET_H)
    painter.save()
    painter.translate(target.x() + (target.width() - SHEET_W * scale) / 2, target.y())
    painter.scale(scale, scale)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # crisp QR squares
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.setPen(QColor("black"))
    width, y = SHEET_W - 120, 50.0
    box = QRectF(60, y, width, 200)
    y += _text(painter, box, text.title, _font(30)) + 10
    y += _text(painter, QRectF(60, y, width, 200), text.agency, _font(40, bold=True)) + 4
    y += _text(painter, QRectF(60, y, width, 100), text.kind, _font(26)) + 30
    y += _text(painter, QRectF(60, y, width, 100), text.number_label, _font(24)) + 6
    groups = text.safety_number.split()
    lines = "\n".join(" ".join(groups[i:i + 4]) for i in range(0, len(groups), 4))
    painter.setPen(QColor("black"))
    y += _text(painter, QRectF(60, y, width, 200), lines, _font(44, bold=True, mono=True)) + 24
    side = 520.0
    matrix = qr_matrix(text.card)
    _paint_qr(painter, QRectF((SHEET_W - side) / 2, y, side, side), matrix)
    painter.setPen(QColor("black"))
    y += side + 24
    y += _text(painter, QRectF(60, y, width, 260), text.how_to, _font(22)) + 18
    y += _text(painter, QRectF(60, y, width, 200), text.card, _font(16, mono=True),
               wrap=QTextOption.WrapMode.WrapAnywhere, align=Qt.AlignmentFlag.AlignLeft) + 10
    _text(painter, QRectF(60, y, width, 60), text.key_line, _font(16, mono=True),
          align=Qt.AlignmentFlag.AlignLeft)
    painter.restore()


def paint_on(device: QPrinter | QPdfWriter, text: SheetText) -> None:
    """Paint the sheet on a printer or PDF writer, fitted to its printable area."""
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("printer")
    try:
        area = device.pageLayout().paintRectPixels(device.resolution())
        paint_sheet(painter, QRect(0, 0, area.width(), area.height()), text)
    finally:
        painter.end()


def save_pdf(path: Path, text: SheetText) -> None:
    """Write the sheet as a one-page A4 PDF."""
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, QMarginsF(12, 12, 12, 12)))
    writer.setTitle(text.title)
    writer.setCreator("Repatriation Desk")
    paint_on(writer, text)
    del writer  # the file is complete once the writer is gone


def sheet_image(text: SheetText, size: tuple[int, int] = PNG_SIZE) -> QImage:
    """The sheet as a white image of ``size`` pixels."""
    image = QImage(size[0], size[1], QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    image.setDotsPerMeterX(5906)  # 150 dpi, so a viewer shows it at A4 size
    image.setDotsPerMeterY(5906)
    painter = QPainter(image)
    try:
        margin = size[0] * 0.04
        paint_sheet(painter, QRectF(margin, margin, size[0] - 2 * margin,
                                    size[1] - 2 * margin), text)
    finally:
        painter.end()
    return image


def save_png(path: Path, text: SheetText) -> None:
    """Write the sheet as a PNG (what a counterpart can decode the QR code from)."""
    # PySide6 wants the format as str at run time; its stubs say bytes.
    if not sheet_image(text).save(str(path), "PNG"):  # type: ignore[call-overload]
        raise OSError(f"cannot write {path.name}")

