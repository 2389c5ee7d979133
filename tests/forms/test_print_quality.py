"""What a counterpart official sees and copies: dates as characters, rare Han, Khmer/Lao text in
logical order, no ligature in hashes, only embedded fonts, a QR code a 150 dpi scan decodes."""

from __future__ import annotations

import dataclasses
import functools
import io
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus import Spacer

from forms import cjk
from forms.fonts import Script, face_for, font_path
from forms.page import PRINTABLE, build_pdf, furniture_for
from forms.renderer import ReportLabFormRenderer
from forms.samples import sample
from forms.shaping import shaped
from forms.text import runs
from forms.vocabulary import Bilingual
from repatriation.services.form_checks import qr_payload
from repatriation.services.form_context import datetime_text, place_date
from repatriation.services.form_data import BiText, HandoverMinutesData
from tests.forms.pdf_probe import find_shaped, harfbuzz_glyphs, pdf_glyphs

RENDERER = ReportLabFormRenderer()
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")
needs_zbar = pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools")
needs_cjk = pytest.mark.skipif(cjk.source() is None, reason="fonts-noto-cjk not installed")
DPI = 150


def pdftotext(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")


@functools.cache
def minutes(language: str, remarks: str = "") -> tuple[HandoverMinutesData, bytes]:
    data = sample("handover_minutes", language)
    assert isinstance(data, HandoverMinutesData)
    data = dataclasses.replace(data, remarks=remarks or data.remarks)
    return data, RENDERER.render("handover_minutes", data, language)


@needs_poppler
def test_a_chinese_date_prints_as_characters_not_telegraph_symbols() -> None:
    data = sample("handover_minutes", "zh_CN")
    assert isinstance(data, HandoverMinutesData)
    day = datetime(2026, 12, 7, 10, 5)
    data = dataclasses.replace(
        data, handed_at=datetime_text(day, "zh_CN"),
        meta=dataclasses.replace(data.meta, place_date=place_date(BiText("Lào Cai", "老街"),
                                                                  day.date(), "zh_CN")))
    text = pdftotext(RENDERER.render("handover_minutes", data, "zh_CN"))
    assert "老街，2026年12月7日" in text and "2026年12月7日 10:05" in text
    assert "\ufffd" not in text and "\u32cb" not in text
    # The feature itself: Noto Sans CJK's dlig would make "12月" one glyph; we draw three.
    han = face_for(Script.HAN).name
    assert len(shaped("12月", han, 10.0)) == 3


def test_a_hash_prints_without_ligatures() -> None:
    latin = face_for(Script.LATIN).name
    assert len(shaped("ff", latin, 6.2, code=False)) == 1  # the font has the ligature...
    assert len(shaped("ff", latin, 6.2, code=True)) == 2  # ...and a hash never uses it


@pytest.mark.parametrize("form_id", RENDERER.form_ids())
def test_every_font_a_form_references_is_embedded(form_id: str) -> None:
    language = {"handover_minutes": "km", "internal_handover": "lo"}.get(form_id, "zh_CN")
    reader = PdfReader(io.BytesIO(RENDERER.render(form_id, sample(form_id, language), language)))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]
    assert not any("Helvetica" in name for name in names)


@needs_poppler
def test_pdffonts_lists_no_unembedded_font(tmp_path: Path) -> None:
    (tmp_path / "f.pdf").write_bytes(minutes("zh_CN")[1])
    out = subprocess.run(["pdffonts", str(tmp_path / "f.pdf")], capture_output=True, text=True,
                         check=True).stdout.splitlines()[2:]
    assert out and all(line.split()[-5] == "yes" for line in out), out  # the "emb" column


def _page_pgm(pdf: bytes, tmp_path: Path, page: int = 1) -> tuple[int, int, bytes]:
    (tmp_path / "f.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-f", str(page), "-l", str(page),
                    "-singlefile", str(tmp_path / "f.pdf"), str(tmp_path / "p")], check=True)
    raw = (tmp_path / "p.pgm").read_bytes()
    header = raw.split(maxsplit=4)  # P5 width height maxval pixels
    return int(header[1]), int(header[2]), header[4]


def _decode(tmp_path: Path) -> str:
    return subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "p.pgm")],
                          capture_output=True, check=True, text=True).stdout.strip()


@needs_poppler
@needs_zbar
@pytest.mark.parametrize("page", [1, 3])
def test_the_qr_code_decodes_from_a_150_dpi_scan_and_nothing_prints_near_the_edge(
        page: int, tmp_path: Path) -> None:
    data, pdf = minutes("zh_CN")
    width, height, pixels = _page_pgm(pdf, tmp_path, page)
    assert _decode(tmp_path) == qr_payload(data)
    band = round(PRINTABLE / 72 * DPI) - 1  # 10 mm in pixels
    for y in range(height):
        row = pixels[y * width:(y + 1) * width]
        edge = row if y < band or y >= height - band else row[:band] + row[-band:]
        assert min(edge) > 240, f"ink {min(edge)} within 10 mm of the edge, row {y}"


@needs_poppler
@needs_zbar
def test_a_long_payload_still_decodes_at_150_dpi(tmp_path: Path) -> None:
    # The signed payload may grow (signature, key id): modules stay 0.5 mm, the code grows.
    payload = "RDESK2|handover_minutes|LC-BG-2026-000003/BB-GN|" + "Ab9+/" * 48
    data = sample("handover_minutes", "km")
    tr = Bilingual("km")
    footer = furniture_for(tr, data.meta, tr("Handover minutes"), payload, "0" * 64)
    _page_pgm(build_pdf([Spacer(1, 10)], footer, "t"), tmp_path)
    assert _decode(tmp_path) == payload


@needs_poppler
def test_khmer_and_lao_copy_and_search_in_logical_order() -> None:
    khmer = pdftotext(minutes("km")[1])
    for word in ("ស្តុក", "ស្រី ក្រុមគ្រួសារ", "ចាន់ ស្រីពៅ", "ស្នងការដ្ឋាននគរបាលខេត្តស្វាយរៀង", "ព្រំ"):
        assert word in khmer, word
    lao = pdftotext(minutes("lo")[1])
    for word in ("ນ້ຳພາວ", "ສົ່ງຄືນ ບໍ່ແກ້ວ", "ບົວພັນ ສີສຸວັນ", "ກອງບັນຊາການປ້ອງກັນຄວາມສະຫງົບແຂວງບໍລິຄຳໄຊ"):
        assert word in lao, word
    assert "\u0ecd\u0eb2" not in lao  # ຳ stays one character, never ໍ + າ


@needs_poppler
def test_a_character_no_font_has_prints_as_its_code_and_is_reported() -> None:
    data, pdf = minutes("km", "Somchai สม (Thai)")
    assert RENDERER.fallback_characters(data) == ("ส", "ม")
    text = pdftotext(pdf)
    assert "Somchai สม (Thai)" in text  # the text layer keeps the characters
    assert "[U+0E2A] [U+0E21]" in text  # the footer names them on every page
    assert text.count("[U+0E2A] [U+0E21]") >= 2 * len(PdfReader(io.BytesIO(pdf)).pages)


@needs_cjk
@needs_poppler
def test_rare_and_traditional_han_names_print_from_the_full_face() -> None:
    names = "王喆 李玥 朱镕基 张昇 陈珺 劉小明 黃國華"
    data, pdf = minutes("zh_CN", names)
    assert RENDERER.fallback_characters(data) == ()
    assert names in pdftotext(pdf)
    glyphs = [g for n in range(len(PdfReader(io.BytesIO(pdf)).pages)) for g in pdf_glyphs(pdf, n)]
    for name in names.split():
        for run in runs(name):
            expected = harfbuzz_glyphs(font_path(run.font), run.text, 8.5)
            assert find_shaped(glyphs, expected) is None, (name, run)
    assert any(run.font.startswith(cjk.PREFIX) for run in runs("喆玥镕劉"))

