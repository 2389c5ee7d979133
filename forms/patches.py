"""Two fixes to ReportLab 5.1.0, applied once when ``forms`` is imported (pinned in pyproject).

1. ``PDFTextObject.setRise`` merges two consecutive ``Ts`` operators but forgets to record the
   new rise, so after a Khmer coeng + below vowel (ស្តុក, កម្ពុជា) every later glyph of the text
   object is drawn about 0.3 em too low (docs/stack-notes.md, PDF text). It also indexes an empty
   code list when a run starts with a raised glyph.
2. Shaped glyphs without a cmap entry (coeng forms, ligatures) get Private Use Area codes, and
   the ToUnicode CMap maps them to those PUA codes, so copy/search gives garbage. We map each
   PUA code back to the characters its glyph stands for: Vietnamese extracts exactly. Khmer
   and Lao runs also carry /ActualText (forms/text.py), which gives their logical order.

Re-check both when upgrading ReportLab: ``tests/forms/test_shaping.py`` fails if either breaks.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

from fontTools.ttLib import TTFont as FontToolsFont
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfgen.textobject import PDFTextObject

from forms.speedups import fp_str

_ORIGINAL_SET_RISE: Callable[..., None] = PDFTextObject.setRise
_ORIGINAL_TO_UNICODE: Callable[[Any, list[int]], str] = ttfonts.makeToUnicodeCMap
_UNI_NAME = re.compile(r"uni((?:[0-9A-F]{4})+)")
_U_NAME = re.compile(r"u([0-9A-F]{4,6})")
_lock = threading.Lock()
_reverse_cmaps: dict[str, dict[str, str]] = {}


def _fixed_set_rise(self: Any, rise: float) -> None:
    """``setRise`` that keeps ``_rise`` and ``_y`` in step when it merges two ``Ts``."""
    code = f"{fp_str(rise)} Ts"
    if self._code and self._code[-1].endswith(" Ts"):
        # Undo the previous rise, then record this one: the original skipped the second half.
        self._y += self._rise
        self._code[-1] = code
    else:
        self._code.append(code)
    self._rise = rise
    self._y -= rise


def _glyph_text(name: str, reverse: dict[str, str]) -> str:
    base = name.split(".")[0]
    if base in reverse:
        return reverse[base]
    parts = base.split("_")  # ligature names such as uni17D2_uni179A or niggahita_maiEk-lao
    # Noto Lao names its glyphs "maiEk-lao"; a ligature carries the script suffix only once.
    suffix = "-" + base.rsplit("-", 1)[1] if "-" in base else ""
    texts = []
    for part in parts:
        if part in reverse:
            texts.append(reverse[part])
        elif suffix and part + suffix in reverse:
            texts.append(reverse[part + suffix])
        elif match := _UNI_NAME.fullmatch(part):
            hexes = match.group(1)
            texts.append("".join(chr(int(hexes[i:i + 4], 16)) for i in range(0, len(hexes), 4)))
        elif match := _U_NAME.fullmatch(part):
            texts.append(chr(int(match.group(1), 16)))
        else:
            return "\ufffd"
    return "".join(texts)


def _reverse_cmap(font: Any) -> dict[str, str]:
    path = font.face.filename
    with _lock:
        if path not in _reverse_cmaps:
            reverse: dict[str, str] = {}
            for code, glyph in sorted(FontToolsFont(path, lazy=True).getBestCmap().items()):
                reverse.setdefault(glyph, chr(code))
            _reverse_cmaps[path] = reverse
        return _reverse_cmaps[path]


def _font_for_subset_name(base_font_name: str) -> Any | None:
    # "AAAAAA+NotoSansKhmer-Regular" -> the registered TTFont whose face has that name.
    face_name = base_font_name.split("+", 1)[-1]
    for name in pdfmetrics.getRegisteredFontNames():
        font = pdfmetrics.getFont(name)
        face = getattr(font, "face", None)
        raw = getattr(face, "name", b"")
        text = raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)
        if text and face_name.startswith(text):
            return font
    return None


def _fixed_to_unicode(font_name: Any, subset: list[int]) -> str:
    """ToUnicode CMap whose PUA entries name the real characters of their glyphs."""
    cmap: str = _ORIGINAL_TO_UNICODE(font_name, subset)
    name = font_name.decode("latin-1") if isinstance(font_name, bytes) else str(font_name)
    font = _font_for_subset_name(name)
    private = getattr(font, "_TTFont__hbUnis", None) if font is not None else None
    if not private:
        return cmap
    reverse = _reverse_cmap(font)
    text_of = {code: _glyph_text(glyph, reverse) for glyph, code in private.items()}
    for index, code in enumerate(subset):
        if code in text_of:
            target = text_of[code].encode("utf-16-be").hex().upper()
            cmap = cmap.replace(f"<{index:02X}> <{code:04X}>", f"<{index:02X}> <{target}>")
    return cmap


def apply() -> None:
    """Install both fixes (idempotent)."""
    PDFTextObject.setRise = _fixed_set_rise
    ttfonts.makeToUnicodeCMap = _fixed_to_unicode
    # Binary (zlib-only) streams: ASCII85 on top costs ~50 ms a form in pure Python and 25% size.
    rl_config.useA85 = 0


def revert() -> None:
    """Restore ReportLab's originals (only the negative-control tests call this)."""
    PDFTextObject.setRise = _ORIGINAL_SET_RISE
    ttfonts.makeToUnicodeCMap = _ORIGINAL_TO_UNICODE
