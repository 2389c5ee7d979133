"""Layout primitives shared by the forms: bilingual labels, tables, headers, signature blocks.

Every piece of text is a :class:`forms.text.ShapedText` (shaped, ICU line-broken), also inside
table cells, so nothing is clipped: a long name wraps and the row grows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from forms.fonts import Script, face_for
from forms.text import ShapedText, TextStyle
from forms.vocabulary import INSTRUMENT, SIGNATURE, Bilingual
from repatriation.domain.enums import SignatureMethod
from repatriation.services.form_data import BiText, DocumentMeta, Instrument, Signature

GREY = (0.33, 0.33, 0.33)
BODY = TextStyle(8.5)
BODY_OTHER = TextStyle(7.8, color=GREY)
LABEL = TextStyle(8.2, bold=True)
LABEL_OTHER = TextStyle(7.6, color=GREY)
SMALL = TextStyle(7.2, color=GREY)
TITLE = TextStyle(13.5, bold=True, align="center")
TITLE_OTHER = TextStyle(11.5, bold=True, align="center", color=GREY)
CENTER_BOLD = TextStyle(8.6, bold=True, align="center")
CENTER_OTHER = TextStyle(7.8, align="center", color=GREY)
CENTER_SMALL = TextStyle(7.2, align="center", color=GREY)
CHOICE = TextStyle(7.4)
CHOICE_OTHER = TextStyle(6.8, color=GREY)
PAGE_WIDTH_USABLE = 180 * mm  # A4 minus 15 mm margins
CELL_PADDING = 2.6
GRID_COLOR = colors.Color(0.55, 0.55, 0.55)
HEADER_FILL = colors.Color(0.92, 0.93, 0.95)
# Every cell holds flowables, but ReportLab still selects the cell font for each one: left at
# its Helvetica default, every PDF would reference a font it never embeds.
_CELL_FONT = ("FONTNAME", (0, 0), (-1, -1), face_for(Script.LATIN).name)


def text(value: str, style: TextStyle = BODY, field: str | None = None) -> ShapedText:
    """One block of shaped text."""
    return ShapedText(value, style, field)


def bi(value: BiText, first: TextStyle = BODY, second: TextStyle = BODY_OTHER,
       field: str | None = None) -> list[Flowable]:
    """Vietnamese above, the counterpart language below (skipped when empty or identical)."""
    out: list[Flowable] = [ShapedText(value.vi, first, field)]
    if value.other.strip() and value.other.strip() != value.vi.strip():
        out.append(ShapedText(value.other, second, field))
    return out


def label(value: BiText) -> list[Flowable]:
    """A bilingual field label."""
    return bi(value, LABEL, LABEL_OTHER)


def header_cell(value: BiText) -> list[Flowable]:
    """A bilingual table-header cell, centred."""
    return bi(value, CENTER_BOLD, CENTER_OTHER)


class DottedLine(Flowable):  # type: ignore[misc]  # ReportLab ships no type hints
    """A dotted line to write on by hand (a field the record does not hold)."""

    def __init__(self, lines: int = 1, pitch: float = 14.0) -> None:
        super().__init__()
        self.lines = lines
        self.pitch = pitch

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Full width, one pitch per line."""
        self.width = availWidth
        self.height = self.lines * self.pitch
        return availWidth, self.height

    def draw(self) -> None:
        """Dotted rules near the bottom of each line."""
        canvas = self.canv
        canvas.setDash(0.6, 2.2)
        canvas.setLineWidth(0.5)
        canvas.setStrokeColorRGB(*GREY)
        for index in range(self.lines):
            y = self.height - (index + 1) * self.pitch + 2
            canvas.line(0, y, self.width, y)
        canvas.setDash()


class Box(Flowable):  # type: ignore[misc]
    """A check box (ticked or not) or an empty frame such as a thumbprint area."""

    def __init__(self, width: float, height: float, ticked: bool = False,
                 caption: str = "") -> None:
        super().__init__()
        self.width, self.height, self.ticked, self.caption = width, height, ticked, caption

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Fixed size."""
        return self.width, self.height

    def draw(self) -> None:
        """Frame, and a cross when ticked."""
        canvas = self.canv
        canvas.setLineWidth(0.6)
        canvas.setStrokeColorRGB(0.1, 0.1, 0.1)
        canvas.rect(0, 0, self.width, self.height)
        if self.ticked:
            canvas.setLineWidth(1.1)
            canvas.line(1.5, 1.5, self.width - 1.5, self.height - 1.5)
            canvas.line(1.5, self.height - 1.5, self.width - 1.5, 1.5)


def value(content: str, field: str | None = None, blank_lines: int = 1) -> Flowable:
    """A field value, or dotted lines to fill in by hand when the record holds nothing."""
    if content.strip():
        return ShapedText(content, BODY, field)
    return DottedLine(blank_lines)


class Stack(Flowable):  # type: ignore[misc]
    """Text blocks one under the other as a single table-cell flowable.

    ReportLab wraps, measures and places each flowable of a list cell on its own; a bilingual
    cell as one flowable halves that work for the hundreds of cells of a batch, and the lines
    land where the list put them (same heights, stacked from the cell's top).
    """

    def __init__(self, blocks: list[ShapedText]) -> None:
        super().__init__()
        self.blocks = blocks

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Full width; the blocks' heights added up."""
        self.width = availWidth
        self.height = sum(block.wrap(availWidth, availHeight)[1] for block in self.blocks)
        return availWidth, self.height

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        """Each block under the previous one, without a canvas state of its own."""
        x, top = self._hAlignAdjust(x, _sW), y + self.height
        for block in self.blocks:
            top -= block.height
            block.drawOn(canvas, x, top)

    def draw(self) -> None:
        """Draw at the origin (when ReportLab calls ``draw`` itself)."""
        self.drawOn(self.canv, 0, 0)


def _cell(content: Any) -> Any:
    if (isinstance(content, list) and len(content) > 1
            and all(isinstance(item, ShapedText) for item in content)):
        return [Stack(content)]
    return content


def grid(rows: Sequence[Sequence[Any]], widths: Sequence[float], header_rows: int = 0,
         extra: Sequence[tuple[Any, ...]] = (), split_in_row: float = 0) -> Table:
    """A ruled table; header rows are shaded and repeated on every page the table spans."""
    commands: list[tuple[Any, ...]] = [
        _CELL_FONT,
        ("GRID", (0, 0), (-1, -1), 0.45, GRID_COLOR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING + 0.6),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL))
        commands.append(("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"))
    commands.extend(extra)
    table = Table([[_cell(c) for c in r] for r in rows], colWidths=list(widths),
                  repeatRows=header_rows, hAlign="LEFT", splitInRow=split_in_row)
    table.setStyle(TableStyle(commands))
    return table


def plain(rows: Sequence[Sequence[Any]], widths: Sequence[float],
          extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    """An unruled layout table (headers, signature rows)."""
    commands: list[tuple[Any, ...]] = [
        _CELL_FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 1),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        *extra,
    ]
    table = Table([list(r) for r in rows], colWidths=list(widths), hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def fields(items: Sequence[tuple[BiText, Flowable | list[Flowable]]],
           label_share: float = 0.3) -> Table:
    """Label/value rows: bilingual label on the left, the value on the right.

    A value longer than a page (free text typed at the desk) splits between its lines, the
    row continuing on the next page, rather than failing the whole document.
    """
    width = PAGE_WIDTH_USABLE
    rows = [[label(name), content if isinstance(content, list) else [content]]
            for name, content in items]
    return grid(rows, [width * label_share, width * (1 - label_share)], split_in_row=30)


def section(title: BiText) -> list[Flowable]:
    """A section heading; it starts a new page when less than 35 mm are left below it.

    A conditional break rather than keep-with-next: keeping a heading with a long table moved
    the whole table to the next page and left half a page blank.
    """
    return [CondPageBreak(35 * mm), Spacer(1, 3.2 * mm),
            *bi(title, TextStyle(9.2, bold=True), TextStyle(8.2, color=GREY)), Spacer(1, 1.2 * mm)]


def national_header(tr: Bilingual, meta: DocumentMeta) -> list[Flowable]:
    """Issuer and number on the left; the national header, motto, place and date on the right."""
    left: list[Flowable] = []
    for index, line in enumerate(meta.issuing_body):
        style = CENTER_BOLD if index == len(meta.issuing_body) - 1 else TextStyle(8.4, align="center")
        left += bi(line, style, CENTER_SMALL, field=f"meta.issuing_body[{index}]")
    left.append(Rule(0.3))
    left += bi(tr("No.: {number}", number=meta.document_number), TextStyle(8.4, align="center"),
               CENTER_SMALL)
    right: list[Flowable] = [
        *bi(tr("SOCIALIST REPUBLIC OF VIET NAM"), TextStyle(9, bold=True, align="center"),
            CENTER_SMALL),
        *bi(tr("Independence - Freedom - Happiness"), TextStyle(9, bold=True, align="center"),
            CENTER_SMALL),
        Rule(0.36),
        *bi(meta.place_date, TextStyle(8.4, align="center"), CENTER_SMALL, field="meta.place_date"),
    ]
    width = PAGE_WIDTH_USABLE
    return [plain([[left, right]], [width * 0.42, width * 0.58]), Spacer(1, 4 * mm)]


class Rule(Flowable):  # type: ignore[misc]
    """A short centred rule under a header block (the line under the national motto)."""

    def __init__(self, share: float) -> None:
        super().__init__()
        self.share = share

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Full width, 5 pt high."""
        self.width = availWidth
        return availWidth, 5.0

    def draw(self) -> None:
        """The rule, centred."""
        length = self.width * self.share
        self.canv.setLineWidth(0.6)
        self.canv.line((self.width - length) / 2, 3.2, (self.width + length) / 2, 3.2)


def title(value: BiText) -> list[Flowable]:
    """The document title, centred."""
    return [*bi(value, TITLE, TITLE_OTHER), Spacer(1, 3 * mm)]


def legal_basis(tr: Bilingual, instruments: Sequence[Instrument]) -> list[Flowable]:
    """The "Pursuant to" list of instruments."""
    out = section(tr("Pursuant to:"))
    rows = [[text("-"), bi(tr(INSTRUMENT[item]))] for item in instruments]
    out.append(plain(rows, [4 * mm, PAGE_WIDTH_USABLE - 4 * mm],
                     extra=[("BOTTOMPADDING", (0, 0), (-1, -1), 2.2)]))
    return out


def signature_row(blocks: Sequence[tuple[BiText, str]], space: float = 22 * mm,
                  tr: Bilingual | None = None) -> Table:
    """Side-by-side signature blocks: role, the "sign, full name, seal" hint, space, name."""
    hint = tr("(Signature, full name and seal)") if tr else BiText("")
    cells: list[list[Flowable]] = []
    for role, name in blocks:
        if role.blank:  # an empty column keeps the signer on the right, as on paper
            cells.append([Spacer(1, 1)])
            continue
        cell: list[Flowable] = [*bi(role, CENTER_BOLD, CENTER_OTHER)]
        if not hint.blank:
            cell += bi(hint, CENTER_SMALL, CENTER_SMALL)
        cell += [Spacer(1, space), text(name or " ", CENTER_BOLD)]
        cells.append(cell)
    width = PAGE_WIDTH_USABLE / max(1, len(blocks))
    return plain([cells], [width] * len(blocks))


class Choices(Flowable):  # type: ignore[misc]
    """Check boxes with bilingual labels, one under the other (ticked ones crossed).

    A flowable rather than a nested table: 20 acknowledgement rows of nested tables cost a
    third of the time of a whole handover-minutes render.
    """

    BOX = 7.0
    GAP = 3.0

    def __init__(self, options: list[tuple[BiText, bool]], first: TextStyle = CHOICE,
                 second: TextStyle = CHOICE_OTHER) -> None:
        super().__init__()
        self.options = [(Box(self.BOX, self.BOX, ticked=ticked), bi(label, first, second))
                        for label, ticked in options]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Each option is as tall as its label (at least the box) plus a small gap."""
        inner = availWidth - self.BOX - self.GAP
        self.height = sum(max(self.BOX + 1, sum(t.wrap(inner, availHeight)[1] for t in texts))
                          + 1.5 for _, texts in self.options)
        self.width = availWidth
        return availWidth, self.height

    def draw(self) -> None:
        """Box on the left, label lines on the right, top to bottom."""
        top = self.height
        for box, texts in self.options:
            heights = [t.height for t in texts]
            box.drawOn(self.canv, 0, top - self.BOX - 1.5)
            y = top
            for block, height in zip(texts, heights, strict=True):
                y -= height
                block.drawOn(self.canv, self.BOX + self.GAP, y)
            top -= max(self.BOX + 1, sum(heights)) + 1.5


def method_choices(tr: Bilingual, signature: Signature) -> Flowable:
    """Ticked boxes for how the person acknowledged: signature, mark or thumbprint."""
    return Choices([(tr(SIGNATURE[method]), signature.method is method) for method in (
        SignatureMethod.SIGNATURE, SignatureMethod.MARK, SignatureMethod.THUMBPRINT)])


def acknowledgement_cell(tr: Bilingual, signature: Signature) -> list[Flowable]:
    """Witness line for a mark or thumbprint (empty dotted line when none recorded)."""
    out: list[Flowable] = [*bi(tr("Witnessed by"), TextStyle(7.4, bold=True), SMALL)]
    out.append(value(signature.witnessed_by, field="signature.witnessed_by"))
    return out
