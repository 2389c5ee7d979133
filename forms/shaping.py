"""HarfBuzz shaping of one run with the features chosen for it: HarfBuzz's defaults, never ``dlig``.

ReportLab's ``shapeStr`` shapes with ``kern``, ``liga`` *and* ``dlig`` on. ``dlig`` is a
discretionary feature no running text wants: in Noto Sans CJK it turns "12月" and "7日" into
the ideographic telegraph symbols (U+32CB, U+33E6), one squeezed glyph on paper that
``pdftotext`` cannot read back. Running text is therefore shaped with HarfBuzz's default
features for its script (what ``hb-shape`` and the glyph tests use); codes and hashes are
shaped without any ligature ("ff" in a SHA-256 must stay two glyphs a person can read aloud).
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib.abag import ABag
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, shapeFragWord

from forms.fonts import ensure

# HarfBuzz's defaults per script (ccmp, locl, rlig, liga, clig, calt, kern, mark, mkmk and the
# script's own required features); dlig stays off.
TEXT_FEATURES: dict[str, bool] = {}
# Codes, numbers and hashes: every ligature and contextual alternate off.
CODE_FEATURES: dict[str, bool] = {"liga": False, "clig": False, "calt": False, "dlig": False}


@lru_cache(maxsize=8192)
def shaped(text: str, font: str, size: float, code: bool = False) -> str:
    """The string ReportLab draws for ``text``: a ``ShapedStr`` when HarfBuzz changed anything."""
    ensure(font)
    word = [pdfmetrics.stringWidth(text, font, size), (ABag(fontName=font, fontSize=size), text)]
    result: str = shapeFragWord(word, features=CODE_FEATURES if code else TEXT_FEATURES)[1][1]
    return result


@lru_cache(maxsize=32768)
def run_width(text: str, font: str, size: float, code: bool = False) -> float:
    """Advance width of ``text`` in ``font`` exactly as it will be drawn."""
    glyphs = shaped(text, font, size, code)
    if isinstance(glyphs, ShapedStr):
        # Drawn with TJ offsets that add up to HarfBuzz's advances (x_advance is per 1000 em).
        advance: float = sum(d.x_advance for d in glyphs.__shapeData__)
        return advance * size / 1000.0
    return float(pdfmetrics.stringWidth(text, font, size))
