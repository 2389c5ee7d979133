"""Line breaking and script runs: ICU word boundaries, never inside a cluster, no ZWSP space."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from reportlab.pdfgen import canvas

from forms.fonts import Script, face_for
from forms.text import (
    ShapedText,
    TextStyle,
    break_lines,
    clusters,
    fallbacks,
    runs,
    segments,
    width_of,
)
from tests.forms.pdf_probe import pdf_glyphs

KHMER_SENTENCE = "កុមាររងគ្រោះត្រូវបានប្រគល់ទៅឲ្យមន្ត្រីក្រសួងសង្គមកិច្ចនៅច្រកព្រំដែនអន្តរជាតិ"
KHMER_WORDS = ["កុមារ", "រងគ្រោះ", "ត្រូវ", "បាន", "ប្រគល់", "ទៅ", "ឲ្យ", "មន្ត្រី", "ក្រសួង",
               "សង្គមកិច្ច", "នៅ", "ច្រកព្រំដែន", "អន្តរជាតិ"]
LAO_SENTENCE = "ເດັກນ້ອຍຜູ້ເຄາະຮ້າຍໄດ້ຖືກສົ່ງຄືນທີ່ດ່ານສາກົນແຂວງບໍ່ແກ້ວ"


def test_icu_finds_khmer_word_boundaries() -> None:
    assert segments(KHMER_SENTENCE) == KHMER_WORDS


@pytest.mark.parametrize("width", [60.0, 90.0, 150.0, 260.0])
@pytest.mark.parametrize("text", [KHMER_SENTENCE, LAO_SENTENCE])
def test_lines_break_only_between_words(text: str, width: float) -> None:
    assert max(width_of(w, 10) for w in segments(text)) < width  # every word fits a line
    lines = break_lines(text, width, 10)
    assert "".join(lines) == text  # nothing lost, nothing added
    boundaries = {0}
    for word in segments(text):
        boundaries.add(max(boundaries) + len(word))
    position = 0
    for line in lines[:-1]:
        position += len(line)
        assert position in boundaries, f"break inside a word after {line!r}"
        assert width_of(line, 10) <= width + 0.01


def test_a_word_longer_than_the_line_breaks_between_clusters_only() -> None:
    word = "ក្រុមគ្រួសារស្ត្រីស្តុកកម្ពុជា"  # one "word" for the test: no spaces, ICU may split
    lines = break_lines(word, 25, 12)
    assert len(lines) > 2 and "".join(lines) == word
    for line in lines:
        assert not line.endswith("\u17d2"), "a coeng was separated from its subscript"
        assert line[0] not in "\u17b6\u17b7\u17b8\u17bb\u17bc\u17c1\u17c6\u17d2"


def test_clusters_keep_coeng_with_the_subscript() -> None:
    assert clusters("ស្ត្រី") == ["ស្ត្រី"]
    assert clusters("ក្រុម") == ["ក្រុ", "ម"]


def test_zero_width_space_is_a_break_opportunity_never_a_printed_space() -> None:
    text = "ស្ត្រី\u200bក្រុមគ្រួសារ\u200bកម្ពុជា"
    narrow = break_lines(text, 45, 12)
    assert all("\u200b" not in line and " " not in line for line in narrow)
    assert "".join(narrow) == text.replace("\u200b", "")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    block = ShapedText(text, TextStyle(12))
    block.wrap(1000, 100)
    block.drawOn(pdf, 20, 700)
    pdf.save()
    glyphs = pdf_glyphs(buffer.getvalue())
    space = pdf_glyphs(_pdf_with(" x"))[0].outline  # the empty outline of a space glyph
    assert all(g.outline != space for g in glyphs)


def _pdf_with(text: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    block = ShapedText(text, TextStyle(12))
    block.wrap(1000, 100)
    block.drawOn(pdf, 20, 700)
    pdf.save()
    return buffer.getvalue()


def test_mixed_scripts_get_their_own_faces_and_brackets_follow_their_word() -> None:
    pieces = runs("Nguyễn (ສົ່ງຄືນ) 阮氏红 ស្រី")
    fonts = [(r.text, r.font) for r in pieces]
    assert fonts == [
        ("Nguyễn (", face_for(Script.LATIN).name),
        ("ສົ່ງຄືນ", face_for(Script.LAO).name),
        (") ", face_for(Script.LATIN).name),
        ("阮氏红 ", face_for(Script.HAN).name),
        ("ស្រី", face_for(Script.KHMER).name),
    ]


def test_khmer_brackets_stay_in_the_khmer_face() -> None:
    assert [r.font for r in runs("(ស្រី)")] == [face_for(Script.KHMER).name]


def test_a_character_no_font_has_prints_as_its_code_point_and_is_named() -> None:
    pieces = runs("Somchai สม")
    latin = face_for(Script.LATIN).name
    assert [(r.text, r.font, r.actual) for r in pieces] == [
        ("Somchai ", latin, ""), ("[U+0E2A]", latin, "ส"), ("[U+0E21]", latin, "ม")]
    assert fallbacks("Somchai สม\nok สม") == ("ส", "ม")


def test_nfd_input_is_normalised() -> None:
    block = ShapedText("Nguye\u0302\u0303n")
    assert block.text == "Nguyễn"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_lao_text_layer_keeps_every_character() -> None:
    text = "(ສົ່ງຄືນ) ແຂວງບໍ່ແກ້ວ"
    out = subprocess.run(["pdftotext", "-", "-"], input=_pdf_with(text), capture_output=True,
                         check=True).stdout.decode().strip()
    # The mark alternates (maiEk-lao.small) map back to U+0EC8; pdftotext may still order a
    # zero-width mark after the next base, so compare the characters, not their order.
    assert sorted(out.replace(" ", "")) == sorted(text.replace(" ", ""))
    assert not any(0xE000 <= ord(c) <= 0xF8FF for c in out)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_khmer_text_layer_keeps_every_character() -> None:
    text = "ស្ត្រី"
    out = subprocess.run(["pdftotext", "-", "-"], input=_pdf_with(text), capture_output=True,
                         check=True).stdout.decode().strip()
    # Visual order (coeng-RO is drawn first) but no Private Use Area code is left.
    assert sorted(out.replace(" ", "")) == sorted(text)
    assert not any(0xE000 <= ord(c) <= 0xF8FF for c in out)
