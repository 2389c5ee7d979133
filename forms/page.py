"""Page furniture: A4 frame, "page x of y", a running head, and the QR code on every page.

"Page x of y" needs the page count, so pages are kept until ``save`` and the footer is drawn
then (the usual ReportLab numbered-canvas recipe). The QR code on each page carries the document
number and the SHA-256 of the form's content, so any printed sheet can be matched to the record.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
from reportlab.platypus.flowables import Flowable

from forms.layout import GREY
from forms.qr import qr_modules
from forms.text import draw_line, make_line
from forms.vocabulary import Bilingual
from repatriation.services.form_data import BiText, DocumentMeta

MARGIN_X = 15 * mm
MARGIN_TOP = 13 * mm
MARGIN_BOTTOM = 27 * mm
QR_SIZE = 19 * mm

Furniture = Callable[[Any, int, int], None]


def _numbered_canvas(furniture: Furniture) -> type[Canvas]:
    class NumberedCanvas(Canvas):  # type: ignore[misc]  # ReportLab ships no type hints
        """Holds every page until ``save`` so the footer can say "page x of y"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
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


def _line(canvas: Any, x: float, y: float, value: str, size: float, bold: bool = False,
          align: str = "left", color: tuple[float, float, float] = GREY) -> None:
    line = make_line(value, size, bold)
    if align == "right":
        x -= line.width
    draw_line(canvas, x, y, line, size, color)


def furniture_for(tr: Bilingual, meta: DocumentMeta, short_title: BiText, payload: str,
                  digest: str) -> Furniture:
    """The footer (QR, number, hash, page x of y) and the running head of pages 2 onwards."""
    page_width, _ = A4
    qr_code = qr_operators(qr_modules(payload), QR_SIZE)

    def draw(canvas: Any, page: int, total: int) -> None:
        canvas.saveState()
        canvas.setStrokeColorRGB(*GREY)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN_X, MARGIN_BOTTOM - 3 * mm, page_width - MARGIN_X, MARGIN_BOTTOM - 3 * mm)
        canvas.saveState()
        canvas.translate(MARGIN_X, 4 * mm)
        canvas.addLiteral(qr_code)
        canvas.restoreState()
        x = MARGIN_X + QR_SIZE + 3 * mm
        number = tr("No.: {number}", number=meta.document_number)
        pages = tr("Page {page} of {pages}", page=page, pages=total)
        _line(canvas, x, 19 * mm, f"{short_title.vi} - {number.vi}", 7.2, bold=True,
              color=(0.1, 0.1, 0.1))
        if short_title.other:
            _line(canvas, x, 14.6 * mm, f"{short_title.other} - {number.other}", 6.8)
        _line(canvas, x, 6 * mm, f"SHA-256: {digest}", 6.2)
        right = page_width - MARGIN_X
        _line(canvas, right, 19 * mm, pages.vi, 7.6, bold=True, align="right",
              color=(0.1, 0.1, 0.1))
        if pages.other:
            _line(canvas, right, 14.6 * mm, pages.other, 7.0, align="right")
        if page > 1:
            top = A4[1] - 8 * mm
            _line(canvas, MARGIN_X, top, f"{short_title.vi} - {number.vi}", 7.0)
            _line(canvas, right, top, pages.vi, 7.0, align="right")
        canvas.restoreState()

    return draw


def build_pdf(story: Sequence[Flowable], furniture: Furniture, title: str) -> bytes:
    """Lay the story out on A4 pages and return the PDF bytes.

    The PDF metadata carries the document title only: never a child's name.
    """
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=title, author="", subject="", creator="Repatriation Desk",
        invariant=1,  # byte-identical output for identical data (tests, hashing, archives)
    )
    frame = Frame(document.leftMargin, document.bottomMargin, document.width, document.height,
                  id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    document.build(list(story), canvasmaker=_numbered_canvas(furniture))
    return buffer.getvalue()
