"""Shaped, line-broken text for the forms: script runs, HarfBuzz widths, ICU line breaks.

ReportLab's ``Paragraph(shaping=1)`` shapes each space-free word with the face of its first
character, so "(ສົ່ງຄືນ)" (ASCII bracket + Lao) comes out as .notdef boxes, and it breaks
Khmer/Lao words at arbitrary characters. :class:`ShapedText` is therefore a small flowable
(docs/stack-notes.md, PDF text): ICU finds the break opportunities, each script run is shaped by
HarfBuzz (:mod:`forms.shaping`) and drawn with ``drawString``-style text objects.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import icu
from reportlab.platypus.flowables import Flowable

from forms.fonts import (
    Script,
    covers,
    face_for,
    face_named,
    fallback_text,
    font_for_char,
    script_of,
)
from forms.pdftext import format_run
from forms.shaping import run_width, shaped
from forms.speedups import fp_str

ZWSP = "\u200b"
_COENG = "\u17d2"  # Khmer sign coeng: the next consonant is its subscript, same cluster
_DROPPED = {"\u00ad", "\ufeff"}  # soft hyphen and BOM never print
_OPTIONAL = {"\u200c", "\u200d", "\u2060"}  # joiners: dropped when the run's face lacks them


@dataclass(frozen=True)
class Run:
    """A piece of one line in one face.

    ``code``: shaped without ligatures (hashes, numbers). ``actual``: the text the run stands
    for when it prints something else (a character no font has, printed as its code point).
    """

    text: str
    font: str
    code: bool = False
    actual: str = ""


@dataclass(frozen=True)
class Line:
    """One laid-out line: its runs and its shaped width."""

    runs: tuple[Run, ...]
    width: float


@dataclass(frozen=True)
class TextStyle:
    """Size, weight, alignment and colour of a block of text."""

    size: float = 8.5
    bold: bool = False
    code: bool = False  # hashes, numbers, references: no ligatures
    align: str = "left"  # "left", "center" or "right"
    color: tuple[float, float, float] = (0.0, 0.0, 0.0)


@lru_cache(maxsize=16384)
def clean(text: str) -> str:
    """NFC-normalise, unify line ends and tabs, drop characters that must never print."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\t", " ")
    for dropped in _DROPPED:
        text = text.replace(dropped, "")
    return text


def _resolve_scripts(text: str) -> list[Script]:
    scripts: list[Script | None] = [script_of(c) for c in text]
    resolved: list[Script] = []
    for i, char in enumerate(text):
        own = scripts[i]
        if own is not None:
            resolved.append(own)
            continue
        previous = resolved[-1] if resolved else None
        if unicodedata.category(char).startswith("M") and previous is not None:
            resolved.append(previous)  # a mark never leaves its base's face
            continue
        following = next((s for s in scripts[i + 1:] if s is not None), None)
        # ASCII punctuation joins the Chinese face only after Chinese text: "(ສົ່ງຄືນ) 阮" keeps
        # both brackets in Noto Sans when the Lao face has none.
        if char.isascii() and following is Script.HAN:
            following = None
        choice = Script.LATIN
        for candidate in (previous, following):
            if candidate is not None and covers(face_for(candidate).name, char):
                choice = candidate
                break
        resolved.append(choice)
    return resolved


def runs(text: str, bold: bool = False, code: bool = False) -> tuple[Run, ...]:
    """Split one line of text into runs of a single face each.

    A character no vendored face has goes to the block of the system's full CJK face that has
    it (:mod:`forms.cjk`); a character no font at all has is printed as its code point, e.g.
    "[U+0E2A]", in Noto Sans, with the character itself as the run's ActualText. The document
    prints, and :func:`fallbacks` names those characters for the page footer and the audit.
    """
    return _runs(text, bold, code)


def fallbacks(text: str) -> tuple[str, ...]:
    """The characters of ``text`` that no font prints (see :func:`runs`), in order, once each."""
    return tuple(dict.fromkeys(c for c in clean(text)
                               if not c.isspace() and font_for_char(c, False) == ""))


@lru_cache(maxsize=32768)
def _runs(text: str, bold: bool, code: bool = False) -> tuple[Run, ...]:
    # Cached: tables wrap every cell several times.
    out: list[Run] = []
    latin = face_for(Script.LATIN, bold).name
    for char, script in zip(text, _resolve_scripts(text), strict=True):
        font = face_for(script, bold).name
        actual = ""
        if not covers(font, char):
            if char in _OPTIONAL or char == ZWSP:
                continue
            font = font_for_char(char, bold, script)
            if not font:
                font, actual = latin, char
        piece = fallback_text(char) if actual else char
        if out and out[-1].font == font and not actual and not out[-1].actual:
            out[-1] = Run(out[-1].text + piece, font, code)
        else:
            out.append(Run(piece, font, code, actual))
    return tuple(out)


def width_of(text: str, size: float, bold: bool = False, code: bool = False) -> float:
    """Shaped width of a line of mixed-script text."""
    return sum(run_width(r.text, r.font, size, r.code) for r in runs(text, bold, code))


_break_iterators: dict[str, Any] = {}


def _iterator(kind: str) -> Any:
    # ICU's dictionary breakers (Khmer, Lao, CJK) are script-based, so the root locale serves
    # every language; iterators are cached because building one loads the dictionaries.
    if kind not in _break_iterators:
        root = icu.Locale.getRoot()
        _break_iterators[kind] = (
            icu.BreakIterator.createLineInstance(root)
            if kind == "line"
            else icu.BreakIterator.createCharacterInstance(root)
        )
    return _break_iterators[kind]


def _split_at(text: str, kind: str) -> list[str]:
    iterator = _iterator(kind)
    iterator.setText(text)
    pieces: list[str] = []
    start = iterator.first()
    for end in iterator:
        pieces.append(text[start:end])
        start = end
    return pieces


def segments(text: str) -> list[str]:
    """ICU line-break segments (each ends at a legal break opportunity)."""
    return _split_at(text, "line") if text else []


def clusters(text: str) -> list[str]:
    """Grapheme clusters, joined across a Khmer coeng (ICU splits ស្|ត្|រី; we never do)."""
    out: list[str] = []
    for piece in _split_at(text, "char") if text else []:
        if out and (out[-1].endswith(_COENG) or piece[0] in _OPTIONAL):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def _break_long(word: str, width: float, size: float, bold: bool, code: bool) -> list[str]:
    """Cut a word wider than the line at cluster boundaries (never inside a cluster)."""
    pieces: list[str] = []
    current = ""
    for cluster in clusters(word):
        if current and width_of(current + cluster, size, bold, code) > width:
            pieces.append(current)
            current = cluster
        else:
            current += cluster
    if current:
        pieces.append(current)
    return pieces


def break_lines(text: str, width: float, size: float, bold: bool = False,
                code: bool = False) -> list[str]:
    """Greedy line breaking at ICU break opportunities; zero-width spaces are consumed."""
    return list(_break_lines(text, width, size, bold, code))


@lru_cache(maxsize=8192)
def _break_lines(text: str, width: float, size: float, bold: bool,
                 code: bool = False) -> tuple[str, ...]:
    # Cached: the same labels and values ("Nữ", header cells) recur in every table row.
    lines: list[str] = []
    for paragraph in clean(text).split("\n"):
        current = ""
        used = 0.0  # width of ``current`` including its trailing spaces
        for raw in segments(paragraph):
            segment = raw.replace(ZWSP, "")
            if not segment:
                continue
            body = segment.rstrip(" ")
            body_width = width_of(body, size, bold, code)
            if current and used + body_width > width:
                lines.append(current.rstrip(" "))
                current, used = "", 0.0
                segment = segment.lstrip(" ")
                body = segment.rstrip(" ")
                body_width = width_of(body, size, bold, code)
            if not current and body_width > width:
                *full, segment = _break_long(segment, width, size, bold, code)
                lines.extend(full)
            current += segment
            # Summing segment widths ignores kerning across a break opportunity: a fraction of
            # a point, and far cheaper than re-shaping the whole line for every segment.
            used += width_of(segment, size, bold, code)
        lines.append(current.rstrip(" "))
    return tuple(lines)


@lru_cache(maxsize=8192)
def line_metrics(text: str, size: float, bold: bool = False) -> tuple[float, float]:
    """(line height, baseline offset from the line top) for the scripts used in ``text``."""
    scripts = {s for s in (script_of(c) for c in text) if s is not None} or {Script.LATIN}
    faces = [face_for(s, bold) for s in scripts] + [face_for(Script.LATIN, bold)]
    ascent = max(f.ascent for f in faces) * size
    descent = max(f.descent for f in faces) * size
    gap = 0.12 * size
    return ascent + descent + gap, ascent + gap / 2


def _line_code(canvas: Any, line: Line, size: float, color: tuple[float, float, float]) -> str:
    """The operators of one line after its ``Tm``, built once per document and line.

    They depend on the line, not on where it stands, and ReportLab gives a glyph the same subset
    code for the whole document: a row label or "Nữ" printed 40 times is shaped and encoded once.
    """
    cache: dict[tuple[Any, ...], str] = canvas._doc.__dict__.setdefault("_rd_line_code", {})
    key = (line.runs, size, color)
    code = cache.get(key)
    if code is None:
        text_object = canvas.beginText(0, 0)
        text_object.setFillColorRGB(*color)
        for run in line.runs:
            text_object.setFont(run.font, size)
            # Not textOut: the PDF advances the pen itself, and textOut would measure the string
            # again only to track a cursor nobody reads.
            drawn = format_run(text_object, shaped(run.text, run.font, size, run.code))
            actual = run.actual or (run.text if face_named(run.font).actual_text else "")
            if actual:
                # Copy and search give the typed text, in logical order, whatever was drawn.
                hexed = ("\ufeff" + actual).encode("utf-16-be").hex().upper()
                drawn = f"/Span <</ActualText <{hexed}>>> BDC {drawn} EMC"
            text_object._code.append(drawn)
        code = cache[key] = " ".join(text_object._code[2:])  # after "BT" and the origin's Tm
    return code


def line_operators(canvas: Any, x: float, y: float, line: Line, size: float,
                   color: tuple[float, float, float] = (0.0, 0.0, 0.0)) -> str:
    """One text object drawing ``line`` with its baseline at ``y`` ("" for an empty line).

    Byte for byte what ``beginText``/``setFont``/``textOut``/``drawText`` would write.
    """
    if not line.runs:
        return ""
    return f"BT 1 0 0 1 {fp_str(x, y)} Tm {_line_code(canvas, line, size, color)} ET"


def draw_line(canvas: Any, x: float, y: float, line: Line, size: float,
              color: tuple[float, float, float] = (0.0, 0.0, 0.0)) -> None:
    """Draw one laid-out line with its baseline at ``y`` (one text object, one Tf per run)."""
    if line.runs:
        canvas._code.append(line_operators(canvas, x, y, line, size, color))


def make_line(text: str, size: float, bold: bool = False, code: bool = False) -> Line:
    """Lay out ``text`` as a single line (no breaking)."""
    return _make_line(text, size, bold, code)


@lru_cache(maxsize=16384)
def _make_line(text: str, size: float, bold: bool, code: bool) -> Line:
    # Cached: every table row lays out the same labels again.
    cleaned = clean(text).replace("\n", " ").replace(ZWSP, "")
    pieces = _runs(cleaned, bold, code)
    return Line(pieces, sum(run_width(r.text, r.font, size, r.code) for r in pieces))


class ShapedText(Flowable):  # type: ignore[misc]  # ReportLab ships no type hints
    """A block of shaped, ICU-line-broken text that can sit in a frame or a table cell."""

    def __init__(self, text: str, style: TextStyle | None = None, field: str | None = None,
                 lines: list[str] | None = None) -> None:
        super().__init__()
        self.text = clean(text)
        self.style = style or TextStyle()
        self.field = field
        self._given = lines  # pre-broken lines of a split part
        self._lines: list[Line] = []
        self._laid_for: float | None = None
        self.leading, self.baseline = line_metrics(self.text, self.style.size, self.style.bold)

    def _layout(self, width: float) -> None:
        if self._laid_for == width:
            return
        style = self.style
        texts = self._given if self._given is not None else (
            break_lines(self.text, width, style.size, style.bold, style.code) if self.text else []
        )
        self._lines = [make_line(t, style.size, style.bold, style.code) for t in texts]
        self._laid_for = width

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Lay out for ``availWidth``; the height is one leading per line."""
        self._layout(availWidth)
        self.width = availWidth
        self.height = self.leading * len(self._lines)
        return availWidth, self.height

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        """Draw at (x, y) in one ``q ... Q`` group of absolutely placed text objects.

        Replaces ReportLab's saveState/translate/draw/restoreState: same page, a third of the
        operators, and no canvas state to push for each of the hundreds of cells of a form.
        """
        self._draw_at(canvas, self._hAlignAdjust(x, _sW), y)

    def draw(self) -> None:
        """Draw each line at its baseline, aligned within the wrapped width."""
        self._draw_at(self.canv, 0.0, 0.0)

    def _draw_at(self, canvas: Any, left: float, bottom: float) -> None:
        style = self.style
        top = bottom + self.height - self.baseline
        code = []
        for index, line in enumerate(self._lines):
            x = left
            if style.align == "center":
                x += (self.width - line.width) / 2
            elif style.align == "right":
                x += self.width - line.width
            code.append(line_operators(canvas, x, top - index * self.leading, line, style.size,
                                       style.color))
        if any(code):
            # q/Q: a text object's colour would otherwise outlive the block.
            canvas._code.append(f"q {' '.join(c for c in code if c)} Q")

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Split between lines when the block does not fit (long free text across pages)."""
        self._layout(availWidth)
        fit = int(availHeight // self.leading) if self.leading else 0
        if fit >= len(self._lines):
            return [self]
        if fit <= 0:
            return []
        texts = [self._text_of(line) for line in self._lines]
        return [
            ShapedText(self.text, self.style, self.field, lines=texts[:fit]),
            ShapedText(self.text, self.style, self.field, lines=texts[fit:]),
        ]

    @staticmethod
    def _text_of(line: Line) -> str:
        return "".join(r.text for r in line.runs)

    def line_texts(self) -> list[str]:
        """The text of each laid-out line (after :meth:`wrap`); tests check the break points."""
        return [self._text_of(line) for line in self._lines]

