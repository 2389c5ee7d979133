"""PDF operators for one shaped run: ReportLab's ``_formatText``, without its per-glyph overhead.

For a HarfBuzz-shaped string ReportLab builds, per glyph, a list of offsets and bytes, then
regroups it with ``groupby``, a lambda and ``isinstance`` per element: 13% of a form's render.
:func:`format_run` makes the same groups in one pass and returns the same string (the tests
compare the two on every run of every sample form); anything but a shaped TrueType run is left
to ReportLab.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr

from forms.speedups import fp_str


def _flush(code: list[str], tokens: list[str]) -> None:
    # One glyph group: a lone string is a Tj, anything with offsets a TJ array.
    if len(tokens) == 1 and tokens[0].startswith("("):
        code.append(f"{tokens[0]} Tj")
    else:
        code.append(f"[{' '.join(tokens)}] TJ")


def _glyph_tokens(chars: bytes, shape_data: list[Any], escape: Any) -> list[str]:
    """TJ tokens of glyphs drawn at one rise: strings of bytes and the summed offsets between."""
    tokens: list[str] = []
    pending: list[bytes] = []
    number: float | None = None
    for index, data in enumerate(shape_data):
        for value in (-data.x_offset, None, data.width - data.x_advance + data.x_offset):
            if value is None:  # the glyph itself, between its two offsets
                if number is not None:
                    text = fp_str(number)
                    if text != "0":
                        tokens.append(text)
                    number = None
                pending.append(chars[index:index + 1])
            elif value:  # ReportLab drops zero offsets before grouping
                if pending:
                    tokens.append(f"({escape(b''.join(pending))})")
                    pending = []
                number = value if number is None else number + value
    if pending:
        tokens.append(f"({escape(b''.join(pending))})")
    if number is not None and (text := fp_str(number)) != "0":
        tokens.append(text)
    return tokens


def format_run(text_object: Any, text: str) -> str:
    """What ``text_object._formatText(text)`` returns, with the same side effects."""
    font = pdfmetrics.getFont(text_object._fontname)
    if not (font._dynamicFont and font.shapable and isinstance(text, ShapedStr)):
        return str(text_object._formatText(text))
    canvas = text_object._canvas
    doc = canvas._doc
    saved = text_object._code, text_object._x, text_object._y
    code: list[str] = []
    text_object._code = code  # setRise merges consecutive Ts within this list, as in ReportLab
    try:
        size = text_object._fontsize
        base = text_object._rise
        select = None
        shape_data = text.__shapeData__
        start = 0
        for subset, chars in font.splitString(text, doc):
            if subset != text_object._curSubset:
                select = select or f"{fp_str(size)} Tf {fp_str(text_object._leading)} TL"
                code.append(f"{font.getSubsetInternalName(subset, doc)} {select}")
                text_object._curSubset = subset
            segment = shape_data[start:start + len(chars)]
            group_start = 0
            # ReportLab starts a new group wherever the rise changes, and at the segment's end.
            for index in range(len(segment) + 1):
                rise = base + size * segment[index].y_offset / 1000 if index < len(segment) else None
                if index and (rise is None or rise != text_object._rise):
                    _flush(code, _glyph_tokens(chars[group_start:index], segment[group_start:index],
                                               canvas._escape))
                    group_start = index
                    if text_object._rise != base:
                        text_object.setRise(base)
                if rise is not None and rise != text_object._rise:
                    text_object.setRise(rise)
            start += len(chars)
        if text_object._rise != base:
            text_object.setRise(base)
    finally:
        text_object._code, text_object._x, text_object._y = saved
    return " ".join(code)
