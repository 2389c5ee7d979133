"""The in-desk preview: pages drawn by PDFium, printed through QPrinter, saved where the officer says."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
from PySide6.QtPrintSupport import QPrinter
from reportlab.pdfgen import canvas

from i18n import Translator
from ui.dialogs.pdf_preview_dialog import PdfPreviewDialog


def _two_pages() -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for text in ("Biên bản trang 1", "Biên bản trang 2"):
        pdf.drawString(72, 720, text)
        pdf.rect(60, 60, 200, 200, fill=1)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_preview_prints_and_saves(qtbot, tmp_path: Path) -> None:
    informed: list[tuple[str, str]] = []
    asked: list[str] = []

    def save_to(name: str) -> Path:
        asked.append(name)
        return tmp_path / "minutes"  # no suffix typed: ".pdf" is added

    data = _two_pages()
    dialog = PdfPreviewDialog(
        Translator("en"), "Minutes", data, "LC-BG-2026-000001", save_to, lambda t, m: informed.append((t, m))
    )
    qtbot.addWidget(dialog)
    assert len(dialog.page_labels) == 2
    pixmap = dialog.page_labels[0].pixmap()
    assert (pixmap.width(), pixmap.height()) == (794, 1123)  # A4 (595 x 842 pt) at 96 dpi
    image = pixmap.toImage()
    assert image.pixelColor(5, 5).lightness() == 255  # white paper
    assert image.pixelColor(100, image.height() - 100).lightness() == 0  # the black square is drawn

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(dialog.printed) as printed:
        dialog.print_to(printer)
    assert printed.args == [2]
    assert len(pypdf.PdfReader(tmp_path / "printed.pdf").pages) == 2

    saved = dialog.save_as()
    assert asked == ["LC-BG-2026-000001.pdf"]
    assert saved == tmp_path / "minutes.pdf" and saved.read_bytes() == data
    assert informed == [("Saved", f"The document was saved to {saved}.")]
