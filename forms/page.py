"""Page furniture: A4 frame, "page x of y", a running head, and the QR code on every page.

"Page x of y" needs the page count, so pages are kept until ``save`` and the footer is drawn
then (the usual ReportLab numbered-canvas recipe). The QR code on each page carries the document
number and the SHA-256 of the form's content, so any printed sheet can be matched to the record.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
from reportlab.platypus.flowables import Flowable

from forms.fonts import Script, ensure, face_for, fallback_text
from forms.layout import GREY
from forms.qr import qr_modules
from forms.text import draw_line, make_line
from forms.vocabulary import Bilingual
from repatriation.services.form_context import datetime_text
from repatriation.services.form_data import BiText, DocumentMeta

MARGIN_X = 15 * mm
MARGIN_TOP = 16 * mm
PRINTABLE = 10 * mm  # many printers cannot print closer than this to the paper's edge
QR_BOTTOM = PRINTABLE + 1 * mm
QR_MODULE = 0.5 * mm  # 2.95 px at 150 dpi: a 150 dpi scan decodes it (tested with zbarimg)
QR_MIN = 20 * mm
RUNNING_HEAD = A4[1] - 13 * mm  # baseline; the ascenders stay below the 10 mm margin

Furniture = Callable[[Any, int, int], None]


def _numbered_canvas(furniture: Furniture) -> type[Canvas]:
    class NumberedCanvas(Canvas):  # type: ignore[misc]  # ReportLab ships no type hints
        """Holds every page until ``save`` so the footer can say "page x of y"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # An embedded face as the initial font: the default (Helvetica) would be referenced,
            # not embedded, by every page's preamble although no text is ever set in it.
            ensure(face_for(Script.LATIN).name)
            kwargs["initialFontName"] = face_for(Script.LATIN).name
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                furniture(self, number, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def qr_operators(modules: list[list[bool]], size: float) -> str:
    """PDF path operators drawing the dark modules in a ``size`` square at the origin.

    Built once per document and added to each page as a literal: drawing it through the
    graphics widget cost 0.4 s a page, and even canvas rectangles format thousands of floats.
    """
    count = len(modules)
    cell = size / count
    ops = []
    for row, line in enumerate(modules):
        col = 0
        while col < count:
            if not line[col]:
                col += 1
                continue
            start = col
            while col < count and line[col]:
                col += 1
            y = (count - row - 1) * cell
            ops.append(f"{start * cell:.3f} {y:.3f} {(col - start) * cell:.3f} {cell:.3f} re")
    return "0 g\n" + "\n".join(ops) + "\nf"


def qr_drawing(payload: str) -> tuple[str, float]:
    """The QR code's path operators and its side (``forms/pdf_content.py`` takes them out again)."""
    modules = qr_modules(payload)
    size = max(QR_MIN, len(modules) * QR_MODULE)
    return qr_operators(modules, size), size


def _line(canvas: Any, x: float, y: float, value: str, size: float, bold: bool = False,
          align: str = "left", color: tuple[float, float, float] = GREY,
          code: bool = False) -> None:
    line = make_line(value, size, bold, code)
    if align == "right":
        x -= line.width
    draw_line(canvas, x, y, line, size, color)


@dataclass(frozen=True)
class Footer:
    """What every page carries below the text: QR code, number, hash, print time, page x of y.

    ``bottom`` is the height the body frame leaves free for it; it grows with the QR code so
    that a longer payload keeps its modules large enough for a 150 dpi scan.
    """

    draw: Furniture
    bottom: float


def furniture_for(tr: Bilingual, meta: DocumentMeta, short_title: BiText, payload: str,
                  digest: str, fallbacks: tuple[str, ...] = ()) -> Footer:
    """The footer (QR, number, hash, page x of y) and the running head of pages 2 onwards."""
    page_width, _ = A4
    qr_code, qr_size = qr_drawing(payload)
    top = QR_BOTTOM + qr_size  # the footer's text hangs from the QR code's top edge
    number = tr("No.: {number}", number=meta.document_number)
    printed = tr("Printed on {moment}", moment=datetime_text(meta.generated_at, tr.language))
    missing = (tr("Printed as code points (no font has them): {characters}",
                  characters=" ".join(fallback_text(c) for c in fallbacks))
               if fallbacks else BiText(""))

    def draw(canvas: Any, page: int, total: int) -> None:
        canvas.saveState()
        canvas.setStrokeColorRGB(*GREY)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN_X, top + 3 * mm, page_width - MARGIN_X, top + 3 * mm)
        canvas.saveState()
        canvas.translate(MARGIN_X, QR_BOTTOM)
        canvas.addLiteral(qr_code)
        canvas.restoreState()
        x = MARGIN_X + qr_size + 3 * mm
        pages = tr("Page {page} of {pages}", page=page, pages=total)
        _line(canvas, x, top - 2.6 * mm, f"{short_title.vi} - {number.vi}", 7.2, bold=True,
              color=(0.1, 0.1, 0.1))
        if short_title.other:
            _line(canvas, x, top - 6.6 * mm, f"{short_title.other} - {number.other}", 6.8)
        lines = [printed.vi, printed.other, missing.vi, missing.other]
        y = QR_BOTTOM + 4.2 * mm
        for text in [t for t in lines if t][::-1]:
            _line(canvas, x, y, text, 6.2)
            y += 3.2 * mm
        _line(canvas, x, QR_BOTTOM + 0.6 * mm, f"SHA-256: {digest}", 6.2, code=True)
        right = page_width - MARGIN_X
        _line(canvas, right, top - 2.6 * mm, pages.vi, 7.6, bold=True, align="right",
              color=(0.1, 0.1, 0.1))
        if pages.other:
            _line(canvas, right, top - 6.6 * mm, pages.other, 7.0, align="right")
        if page > 1:
            _line(canvas, MARGIN_X, RUNNING_HEAD, f"{short_title.vi} - {number.vi}", 7.0)
            _line(canvas, right, RUNNING_HEAD, pages.vi, 7.0, align="right")
        canvas.restoreState()

    return Footer(draw, top + 6 * mm)


def build_pdf(story: Sequence[Flowable], furniture: Footer, title: str,
              subject: str = "") -> bytes:
    """Lay the story out on A4 pages and return the PDF bytes.

    The PDF metadata carries the document title and the QR text (``subject``): never a child's
    name. ``forms verify`` reads the QR text back from there.
    """
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=furniture.bottom, title=title, author="", subject=subject, creator="Repatriation Desk",
        invariant=1,  # byte-identical output for identical data (tests, hashing, archives)
    )
    frame = Frame(document.leftMargin, document.bottomMargin, document.width, document.height,
                  id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    document.build(list(story), canvasmaker=_numbered_canvas(furniture.draw))
    return buffer.getvalue()
