"""Load the vendored Noto fonts at start so Vietnamese, Chinese, Khmer and Lao names display.

The TTFs are the ones ``forms/`` embeds in PDFs: they are read from disk here (never through
the forms package, which the UI must not import). A packaged build may ship copies under
``ui/resources/fonts`` instead; that folder is searched first.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

_HERE = Path(__file__).resolve().parent
FONT_DIRS: tuple[Path, ...] = (_HERE / "resources" / "fonts", _HERE.parent / "forms" / "fonts")
# Latin/Vietnamese first; Qt falls back along the list per character, so a Khmer or Chinese
# name in a Vietnamese sentence still gets the right glyphs even where Windows lacks them.
FAMILIES: tuple[str, ...] = ("Noto Sans", "Noto Sans Khmer", "Noto Sans Lao", "Noto Sans CJK SC")
BASE_POINT_SIZE = 10


def font_files() -> list[Path]:
    """The TTF files found in the first font folder that has any."""
    for directory in FONT_DIRS:
        files = sorted(directory.glob("*.ttf"))
        if files:
            return files
    return []


def load_fonts() -> tuple[str, ...]:
    """Register every vendored font with Qt; returns the family names now available."""
    families: list[str] = []
    for path in font_files():
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("font not loaded: %s", path.name)
            continue
        families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return tuple(dict.fromkeys(families))


def apply_default_font(app: QApplication, loaded: tuple[str, ...]) -> QFont:
    """Make the loaded families the application font, in fallback order."""
    font = QFont(app.font())
    chosen = [f for f in FAMILIES if f in loaded]
    if chosen:
        font.setFamilies(chosen)
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    return font
