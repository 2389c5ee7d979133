"""Read back what a PDF really draws: each glyph's outline and position, and HarfBuzz's reference.

ReportLab renumbers glyphs in its subsets, so glyphs are compared by their decomposed outlines
(a glyph is known by its shape, not its number), and positions by replaying the text operators (Tm, Td, T*,
Ts, TJ offsets, Tf sizes, /Widths, cm/q/Q) as a PDF viewer would.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont as FTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream

Outline = tuple[object, ...]


@dataclass(frozen=True)
class Glyph:
    """One glyph as drawn: its outline, the face it came from, its origin in points."""

    outline: Outline
    face: str  # base font name without the subset tag, e.g. "NotoSansKhmer-Regular"
    x: float
    y: float
    size: float


def _outline(glyph_set: object, name: str) -> Outline:
    pen = DecomposingRecordingPen(glyph_set)
    glyph_set[name].draw(pen)  # type: ignore[index]
    return tuple(pen.value)


def _mul(a: list[float], b: list[float]) -> list[float]:
    """Concatenate two PDF matrices [a b c d e f] (a applied first)."""
    return [
        a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5],
    ]


class _Fonts:
    def __init__(self, resources: dict) -> None:  # type: ignore[type-arg]
        self.resources = resources
        self.cache: dict[str, tuple[dict, object, list[float], int, str]] = {}  # type: ignore[type-arg]

    def get(self, name: str) -> tuple[dict, object, list[float], int, str]:  # type: ignore[type-arg]
        if name not in self.cache:
            font = self.resources[name].get_object()
            descriptor = font["/FontDescriptor"].get_object()
            tt = FTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
            widths = [float(w) for w in font["/Widths"]]
            base = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            self.cache[name] = (
                tt["cmap"].getcmap(1, 0).cmap, tt.getGlyphSet(), widths,
                int(font.get("/FirstChar", 0)), base,
            )
        return self.cache[name]


def pdf_glyphs(pdf: bytes, page_number: int = 0) -> list[Glyph]:
    """Every glyph drawn on a page, in content-stream order, with its user-space origin."""
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[page_number]
    fonts = _Fonts(page["/Resources"]["/Font"])
    out: list[Glyph] = []
    ctm = [1.0, 0, 0, 1, 0, 0]
    stack: list[list[float]] = []
    tm = [1.0, 0, 0, 1, 0, 0]
    tlm = list(tm)
    font_name, size, leading, rise, char_space, word_space, scale = None, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0

    outlines: dict[tuple[object, int], Outline] = {}

    def show(data: bytes) -> None:
        nonlocal tm
        cmap, glyph_set, widths, first, base = fonts.get(font_name)  # type: ignore[arg-type]
        for code in data:
            origin = _mul([1, 0, 0, 1, 0, rise], _mul(tm, ctm))
            key = (font_name, code)
            if key not in outlines:
                outlines[key] = _outline(glyph_set, cmap[code])
            out.append(Glyph(outlines[key], base, origin[4], origin[5], size))
            advance = (widths[code - first] / 1000 * size + char_space) * scale
            if code == 32:
                advance += word_space * scale
            tm = _mul([1, 0, 0, 1, advance, 0], tm)

    for operands, op in ContentStream(page.get_contents(), reader).operations:
        if op == b"q":
            stack.append(list(ctm))
        elif op == b"Q":
            ctm = stack.pop()
        elif op == b"cm":
            ctm = _mul([float(v) for v in operands], ctm)
        elif op == b"BT":
            tm, tlm = [1.0, 0, 0, 1, 0, 0], [1.0, 0, 0, 1, 0, 0]
        elif op == b"Tm":
            tm = [float(v) for v in operands]
            tlm = list(tm)
        elif op in (b"Td", b"TD"):
            tlm = _mul([1, 0, 0, 1, float(operands[0]), float(operands[1])], tlm)
            tm = list(tlm)
            if op == b"TD":
                leading = -float(operands[1])
        elif op == b"T*":
            tlm = _mul([1, 0, 0, 1, 0, -leading], tlm)
            tm = list(tlm)
        elif op == b"TL":
            leading = float(operands[0])
        elif op == b"Tf":
            font_name, size = operands[0], float(operands[1])
        elif op == b"Ts":
            rise = float(operands[0])
        elif op == b"Tc":
            char_space = float(operands[0])
        elif op == b"Tw":
            word_space = float(operands[0])
        elif op == b"Tz":
            scale = float(operands[0]) / 100
        elif op == b"Tj":
            show(operands[0].original_bytes)
        elif op == b"TJ":
            for item in operands[0]:
                if hasattr(item, "original_bytes"):
                    show(item.original_bytes)
                else:
                    tm = _mul([1, 0, 0, 1, -float(item) / 1000 * size * scale, 0], tm)
    return out


@lru_cache(maxsize=16)
def _reference_font(path: str) -> tuple[object, list[str], object, int]:
    tt = FTFont(path)
    face = hb.Face(hb.Blob.from_file_path(path))
    return hb.Font(face), tt.getGlyphOrder(), tt.getGlyphSet(), tt["head"].unitsPerEm


def harfbuzz_glyphs(path: Path, text: str, size: float) -> list[Glyph]:
    """HarfBuzz's shaping of ``text`` in the font file: outlines and origins from (0, 0)."""
    font, order, glyph_set, upem = _reference_font(str(path))
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {})
    scale = size / upem
    pen_x = 0.0
    out = []
    for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        out.append(Glyph(
            _outline(glyph_set, order[info.codepoint]), path.stem,
            (pen_x + pos.x_offset) * scale, pos.y_offset * scale, size,
        ))
        pen_x += pos.x_advance
    return out


def find_shaped(drawn: list[Glyph], expected: list[Glyph], tolerance: float = 0.02) -> str | None:
    """Look for ``expected`` (same outlines, same relative positions) among ``drawn``.

    Returns ``None`` when found, else a short reason (for the assertion message).
    """
    want = [g.outline for g in expected]
    best = "glyph sequence not found"
    for start in range(len(drawn) - len(want) + 1):
        window = drawn[start:start + len(want)]
        if [g.outline for g in window] != want:
            continue
        x0, y0 = window[0].x - expected[0].x, window[0].y - expected[0].y
        errors = [
            max(abs(g.x - x0 - e.x), abs(g.y - y0 - e.y)) for g, e in zip(window, expected, strict=True)
        ]
        if max(errors) <= tolerance:
            return None
        best = f"glyphs found but misplaced by up to {max(errors):.2f} pt"
    return best
