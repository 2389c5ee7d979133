"""The vendored fonts: TrueType outlines, licence files, and coverage of every catalog string."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from forms.fonts import FONT_DIR, LANGUAGE_SCRIPT, Script, covers, face_for
from forms.text import runs

ROOT = Path(__file__).resolve().parents[2]


def _build_fonts_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("build_fonts", ROOT / "tools" / "build_fonts.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vendored_fonts_are_truetype_with_their_licence() -> None:
    assert _build_fonts_module().check(FONT_DIR) == []
    assert "SIL OPEN FONT LICENSE" in (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    notice = (FONT_DIR / "NOTICE.txt").read_text(encoding="utf-8")
    assert "Modified Version" in notice and "NotoSansSC-GB2312.ttf" in notice


def test_the_chinese_subset_covers_the_domain_vocabulary() -> None:
    han = face_for(Script.HAN).name
    for char in "移交被拐卖解救协查通报儿童受害者越南社会主义共和国，。：（）《》":
        assert covers(han, char), char


@pytest.mark.parametrize("language", ["vi", "zh_CN", "km", "lo"])
def test_every_catalog_string_is_covered_by_the_shipped_fonts(language: str) -> None:
    path = ROOT / "i18n" / "locale" / language / "LC_MESSAGES" / "forms.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    expected = face_for(LANGUAGE_SCRIPT[language]).name
    for message in catalog:
        if message.id and message.string:
            pieces = runs(message.string)  # raises on a character no font has
            words = re.sub(r"\{\w*\}", "", message.string)  # placeholders are not words
            if language != "vi" and any(c.isalpha() for c in words):
                assert any(r.font == expected for r in pieces), message.id
