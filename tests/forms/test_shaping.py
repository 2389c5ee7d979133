"""Glyph-sequence tests: what the PDF draws equals HarfBuzz's shaping, glyphs AND positions.

Each string is drawn through the forms' own text flowable, read back from the PDF (pdf_probe)
and compared with ``uharfbuzz.shape`` of the same font file and string. Negative controls
prove the comparison can fail: without shaping, and without the ReportLab setRise fix.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from collections.abc import Iterator

import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from forms import patches
from forms.fonts import Script, face_for, font_path
from forms.renderer import ReportLabFormRenderer
from forms.samples import sample
from forms.text import ShapedText, TextStyle, shaped
from tests.forms.pdf_probe import Glyph, find_shaped, harfbuzz_glyphs, pdf_glyphs

KHMER = face_for(Script.KHMER).name
LAO = face_for(Script.LAO).name
LATIN = face_for(Script.LATIN).name
HAN = face_for(Script.HAN).name

CASES = [
    pytest.param(KHMER, "ស្រី", id="km-coeng-ro-srei"),
    pytest.param(KHMER, "ក្រុមគ្រួសារ", id="km-coeng-ro-family"),
    pytest.param(KHMER, "ស្ត្រី", id="km-coeng-ta-ro-woman"),
    pytest.param(KHMER, "ស្តុក", id="km-coeng-below-vowel"),
    pytest.param(KHMER, "កម្ពុជា", id="km-coeng-below-vowel-cambodia"),
    pytest.param(KHMER, "កំណត់ហេតុប្រគល់ជនរងគ្រោះ", id="km-split-vowel"),
    pytest.param(LAO, "ສົ່ງຄືນ", id="lo-stacked-marks"),
    pytest.param(LAO, "ແຂວງບໍ່ແກ້ວ", id="lo-stacked-marks-bokeo"),
    pytest.param(LATIN, unicodedata.normalize("NFD", "Nguyễn Thị Hồng"), id="vi-nfd-input"),
    pytest.param(LATIN, "Biên bản bàn giao nạn nhân là trẻ em", id="vi-nfc"),
    pytest.param(HAN, "儿童受害者移交记录", id="zh"),
]
SIZE = 14.0


def _pdf_of(text: str, style: TextStyle | None = None) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    block = ShapedText(text, style or TextStyle(size=SIZE))
    _, height = block.wrap(5000, 1000)  # one line: the copies must not wrap
    block.drawOn(pdf, 40, 780 - height)
    pdf.save()
    return buffer.getvalue()


@pytest.fixture
def unfixed_reportlab() -> Iterator[None]:
    """ReportLab exactly as shipped (no setRise fix), restored afterwards."""
    patches.revert()
    shaped.cache_clear()
    try:
        yield
    finally:
        patches.apply()
        shaped.cache_clear()


@pytest.mark.parametrize(("font", "text"), CASES)
def test_pdf_glyphs_and_positions_equal_harfbuzz(font: str, text: str) -> None:
    # The text sits between other words, so the glyphs after it are checked for drift too.
    expected = harfbuzz_glyphs(font_path(font), unicodedata.normalize("NFC", text), SIZE)
    drawn = pdf_glyphs(_pdf_of(f"{text} {text}"))
    assert find_shaped(drawn, expected) is None
    # Both copies: a rise left over from the first must not move the second.
    second = drawn[len(drawn) // 2:]
    assert find_shaped(second, expected) is None


def test_negative_control_unshaped_khmer_does_not_match() -> None:
    text = "ស្ត្រី"
    expected = harfbuzz_glyphs(font_path(KHMER), text, SIZE)
    # Drawn glyph by glyph from the cmap, as ReportLab does with shaping off.
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont(KHMER, SIZE)
    pdf.drawString(40, 700, text)
    pdf.save()
    drawn = pdf_glyphs(buffer.getvalue())
    assert len(drawn) == 6 and len(expected) == 4
    assert find_shaped(drawn, expected) == "glyph sequence not found"


@pytest.mark.usefixtures("unfixed_reportlab")
def test_negative_control_without_the_rise_fix_glyphs_drift() -> None:
    text = "ស្តុកក"  # coeng + below vowel, then a glyph that the bug draws 0.3 em too low
    expected = harfbuzz_glyphs(font_path(KHMER), text, SIZE)
    problem = find_shaped(pdf_glyphs(_pdf_of(text)), expected)
    assert problem is not None and problem.startswith("glyphs found but misplaced")


def test_rise_fix_is_installed_by_importing_forms() -> None:
    from reportlab.pdfgen.textobject import PDFTextObject

    assert PDFTextObject.setRise is patches._fixed_set_rise


@functools.cache
def _form_pages(language: str) -> list[list[Glyph]]:
    pdf = ReportLabFormRenderer().render(
        "handover_minutes", sample("handover_minutes", language), language
    )
    return [pdf_glyphs(pdf, n) for n in range(len(PdfReader(io.BytesIO(pdf)).pages))]


@pytest.mark.parametrize(
    ("language", "font", "text"),
    [
        ("km", KHMER, "ស្រី"),  # in a name (sample person 0)
        ("km", KHMER, "ក្រុមគ្រួសារ"),
        ("km", KHMER, "ស្តុក"),  # a foreign official's name in the officials table
        ("km", KHMER, "ប្រគល់"),  # inside the translated labels
        ("lo", LAO, "ສົ່ງຄືນ"),
        ("lo", LAO, "ບໍ່ແກ້ວ"),
        ("zh_CN", HAN, "移交"),
    ],
)
def test_glyphs_in_a_rendered_form_equal_harfbuzz(language: str, font: str, text: str) -> None:
    pages = _form_pages(language)
    found = {size for page in pages for size in {g.size for g in page}}
    results = [
        find_shaped(page, harfbuzz_glyphs(font_path(font), text, size))
        for page in pages for size in found
    ]
    assert None in results, set(results)
