"""Form fonts: the vendored Noto faces, registered once with ReportLab and chosen per script.

Every face is TrueType (ReportLab cannot embed CFF); ``tools/build_fonts.py`` rebuilds them.
Text is split into script runs (:func:`forms.text.runs`) and each run gets the face of its script.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from forms import cjk

FONT_DIR = Path(__file__).resolve().parent / "fonts"


class Script(StrEnum):
    """Scripts the forms print, each with its own face."""

    LATIN = "latin"  # Vietnamese, English, and anything else Noto Sans covers
    KHMER = "khmer"
    LAO = "lao"
    HAN = "han"


@dataclass(frozen=True)
class Face:
    """One registered face and the vertical metrics a line of it needs (in em)."""

    name: str
    file: str
    # Measured extents of real text, not the hhea values: Khmer coeng + below vowel stacks
    # reach further down than the font's declared descent.
    ascent: float
    descent: float
    # Khmer and Lao glyphs are reordered and merged by shaping (ព្រំ draws ្រ first, Lao ຳ
    # splits in two): their runs carry /ActualText so copy and search give the typed text.
    actual_text: bool = False


_FACES: dict[tuple[Script, bool], Face] = {
    (Script.LATIN, False): Face("RD-NotoSans", "NotoSans-Regular.ttf", 1.07, 0.30),
    (Script.LATIN, True): Face("RD-NotoSans-Bold", "NotoSans-Bold.ttf", 1.07, 0.30),
    (Script.KHMER, False): Face("RD-NotoSansKhmer", "NotoSansKhmer-Regular.ttf", 1.10, 0.62, True),
    (Script.KHMER, True): Face("RD-NotoSansKhmer-Bold", "NotoSansKhmer-Bold.ttf", 1.10, 0.62, True),
    (Script.LAO, False): Face("RD-NotoSansLao", "NotoSansLao-Regular.ttf", 1.18, 0.46, True),
    (Script.LAO, True): Face("RD-NotoSansLao-Bold", "NotoSansLao-Bold.ttf", 1.18, 0.46, True),
    # The Chinese subset has no bold cut (it would double the 4 MB); bold falls back to regular.
    (Script.HAN, False): Face("RD-NotoSansSC", "NotoSansSC-GB2312.ttf", 1.0, 0.22),
    (Script.HAN, True): Face("RD-NotoSansSC", "NotoSansSC-GB2312.ttf", 1.0, 0.22),
}
_BY_NAME = {face.name: face for face in _FACES.values()}

# The script each catalog language writes its labels in.
LANGUAGE_SCRIPT: dict[str, Script] = {
    "vi": Script.LATIN,
    "en": Script.LATIN,
    "zh_CN": Script.HAN,
    "km": Script.KHMER,
    "lo": Script.LAO,
}

_lock = threading.Lock()
_registered: set[str] = set()

_HAN_RANGES = (
    (0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3040, 0x30FF), (0x3100, 0x312F), (0x31C0, 0x31EF),
    (0x3200, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF), (0x20000, 0x3134F),
)


def ensure(name: str) -> None:
    """Register one face with ReportLab on first use (the 4 MB Chinese face only when needed)."""
    if name in _registered:
        return
    if name.startswith(cjk.PREFIX) and name not in _BY_NAME:
        char = chr(int(name.removeprefix(cjk.PREFIX), 16))
        cjk.prepare(char)  # outside our lock: cutting takes seconds
        han = _FACES[(Script.HAN, False)]
        _BY_NAME.setdefault(name, Face(name, str(cjk.face_file(char)), han.ascent, han.descent))
    with _lock:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / _BY_NAME[name].file)))
        _registered.add(name)


def needs_extension(char: str) -> bool:
    """Whether ``char`` is Han that no vendored face has but the system's full CJK face has.

    Only characters of the Han ranges go there: the full face also has Latin, kana and hangul,
    which the vendored faces print or which no form needs.
    """
    return (script_of(char) is Script.HAN and not any(covers(f.name, char) for f in _FACES.values())
            and cjk.has(char))


def prepare_extension(text: str) -> None:
    """Cut the full-face characters of ``text`` in one pass (before a document is laid out)."""
    cjk.prepare(c for c in set(text) if needs_extension(c))


def extension_face(char: str) -> str | None:
    """The face cut from the system's full CJK face that prints ``char``, or ``None``."""
    if not needs_extension(char):
        return None
    name = cjk.face_name(char)
    ensure(name)
    return name


def register_fonts() -> None:
    """Register every face (idempotent and thread-safe)."""
    for name in _BY_NAME:
        ensure(name)


def face_for(script: Script, bold: bool = False) -> Face:
    """The face that prints ``script`` (bold or regular)."""
    return _FACES[(script, bold)]


def face_named(name: str) -> Face:
    """The face registered under ``name``."""
    ensure(name)
    return _BY_NAME[name]


def font_path(name: str) -> Path:
    """The TTF file of a registered face (tests shape the same file with HarfBuzz)."""
    return FONT_DIR / face_named(name).file


@cache
def script_of(char: str) -> Script | None:
    """The script of one character; ``None`` for characters shared by all scripts.

    Shared characters (spaces, digits, ASCII and general punctuation, joiners) and combining
    marks take the script of their neighbours, so "(ສົ່ງຄືນ)" stays one Lao run when the
    Lao face covers the brackets, and falls back to Noto Sans when it does not.
    """
    code = ord(char)
    if code < 0x80:
        return Script.LATIN if char.isalpha() else None
    if 0x1780 <= code <= 0x17FF or 0x19E0 <= code <= 0x19FF:
        return Script.KHMER
    if 0x0E80 <= code <= 0x0EFF:
        return Script.LAO
    if any(low <= code <= high for low, high in _HAN_RANGES):
        return Script.HAN
    if 0x2000 <= code <= 0x206F or code in (0x00A0, 0x00AB, 0x00BB, 0x00B7, 0x25CC):
        return None
    if unicodedata.category(char).startswith("M"):
        return None
    return Script.LATIN


@cache
def covers(name: str, char: str) -> bool:
    """Whether the face ``name`` has a glyph for ``char`` (from its own cmap)."""
    ensure(name)
    font = pdfmetrics.getFont(name)
    code = ord(char)
    # Shaping adds Private Use Area entries to charToGlyph at run time; real text never uses them.
    return code in font.face.charToGlyph and not 0xE000 <= code <= 0xF8FF


def font_for_char(char: str, bold: bool, script: Script | None = None) -> str:
    """The face that prints ``char`` (its script's first); "" when none has it."""
    script = script or script_of(char) or Script.LATIN
    font = face_for(script, bold).name
    if covers(font, char):
        return font
    alternatives = [face_for(s, bold).name for s in Script if s is not script]
    found = next((f for f in alternatives if covers(f, char)), None)
    return found or extension_face(char) or ""


def fallback_text(char: str) -> str:
    """How a character no font has is printed."""
    return f"[U+{ord(char):04X}]"
