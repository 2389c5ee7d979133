"""Every form in every language: real PDF bytes, text layer, pagination, QR code, bad data."""

from __future__ import annotations

import dataclasses
import functools
import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from forms.common import persons_list
from forms.renderer import ReportLabFormRenderer
from forms.samples import sample
from forms.text import ShapedText, width_of
from forms.vocabulary import Bilingual
from repatriation.domain.errors import ValidationError
from repatriation.services.form_checks import form_digest, qr_payload
from repatriation.services.form_data import HandedPerson, HandoverMinutesData

RENDERER = ReportLabFormRenderer()
FORMS = RENDERER.form_ids()
LANGUAGES = ("zh_CN", "km", "lo", "en", "vi")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")


@functools.cache
def rendered(form_id: str, language: str, persons: int = 3) -> bytes:
    return RENDERER.render(form_id, sample(form_id, language, persons), language)


def pdftotext(pdf: bytes, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-layout", *pages, "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode("utf-8")


def test_the_registry_has_the_seven_forms() -> None:
    assert set(FORMS) == {
        "handover_minutes", "internal_handover", "reception_record", "verification_request",
        "verification_reply", "referral_summary", "intake_report",
    }


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("form_id", FORMS)
def test_every_form_renders_in_every_language(form_id: str, language: str) -> None:
    pdf = rendered(form_id, language)
    reader = PdfReader(io.BytesIO(pdf))
    assert pdf.startswith(b"%PDF-") and len(reader.pages) >= 1
    # The metadata never carries a child's name, only the form title and number.
    title = str(reader.metadata.title)
    assert "Giàng" not in title and "LC-BG-2026-000003" in title


def test_rendering_is_deterministic() -> None:
    data = sample("intake_report", "km")
    assert RENDERER.render("intake_report", data, "km") == RENDERER.render(
        "intake_report", data, "km")


@needs_poppler
def test_pdftotext_gives_back_exact_vietnamese_and_chinese() -> None:
    text = unicodedata.normalize("NFC", pdftotext(rendered("handover_minutes", "zh_CN")))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "BIÊN BẢN GIAO, NHẬN NGƯỜI TỪ NƯỚC NGOÀI TRỞ VỀ", "Nguyễn Thị Hồng Nhung",
        "Giàng Thị Mỷ", "越南社会主义共和国", "从国外返回人员交接记录", "王建国", "河口县公安局",
        "阮氏红",
    ):
        assert expected in text, expected


@needs_poppler
def test_nfd_input_comes_out_as_nfc_text() -> None:
    data = sample("verification_reply", "zh_CN")
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hồng Đào")
    data = dataclasses.replace(data, subject=dataclasses.replace(data.subject, full_name=nfd))
    text = pdftotext(RENDERER.render("verification_reply", data, "zh_CN"))
    assert "Nguyễn Thị Hồng Đào" in text  # NFC, exactly as typed on the keyboard


@needs_poppler
def test_forty_persons_span_pages_with_page_x_of_y_and_repeated_headers() -> None:
    pdf = rendered("handover_minutes", "zh_CN", persons=40)
    total = len(PdfReader(io.BytesIO(pdf)).pages)
    assert total >= 4
    table_pages = 0
    for page in range(1, total + 1):
        text = pdftotext(pdf, page)
        assert f"Trang {page}/{total}" in text and f"第{page}页，共{total}页" in text
        if "xã Bát Xát" in text:  # a row of the persons table is on this page
            table_pages += 1
            assert "Giấy tờ tùy thân" in text and "身份证件" in text, f"no header on page {page}"
    assert table_pages >= 2
    assert all(f"Thôn {n}, xã Bát Xát" in pdftotext(pdf) for n in (1, 20, 40))


def test_a_name_too_long_for_its_cell_wraps_inside_it() -> None:
    data = sample("handover_minutes", "km", 2)
    name = "Nguyễn Thị Hồng Nhung Phương Thảo Ngọc Diệp Bảo Châu (ស្រីក្រុមគ្រួសារស្ត្រីកម្ពុជា)"
    long = dataclasses.replace(data.persons[0].person, full_name=name)
    persons = (HandedPerson(long), *data.persons[1:])
    table = persons_list(Bilingual("km"), persons)
    table.wrapOn(canvas.Canvas(io.BytesIO()), 180 * mm, 800)
    cell = table._cellvalues[1][1][0]
    assert isinstance(cell, ShapedText)
    lines = cell.line_texts()
    assert len(lines) >= 3 and "".join(lines).replace(" ", "") == name.replace(" ", "")
    column = table._colWidths[1] - 2 * 2.6  # minus the cell padding
    assert all(width_of(line, cell.style.size) <= column for line in lines)
    pdf = RENDERER.render("handover_minutes", dataclasses.replace(data, persons=persons), "km")
    assert pdf.startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: dataclasses.replace(d, persons=()), "persons"),
        (lambda d: dataclasses.replace(d, persons=(HandedPerson(dataclasses.replace(
            d.persons[0].person, full_name="  ")),)), "persons[0].person.full_name"),
        (lambda d: dataclasses.replace(d, meta=dataclasses.replace(
            d.meta, document_number="")), "meta.document_number"),
        (lambda d: dataclasses.replace(d, vn_side=()), "vn_side"),
        (lambda d: dataclasses.replace(d, place=dataclasses.replace(
            d.place, name=dataclasses.replace(d.place.name, vi=""))), "place.name"),
    ],
)
def test_a_missing_mandatory_field_is_refused_naming_it(change: object, field: str) -> None:
    data = change(sample("handover_minutes", "lo"))  # type: ignore[operator]
    with pytest.raises(ValidationError) as caught:
        RENDERER.render("handover_minutes", data, "lo")
    assert caught.value.code == "missing_field"
    assert caught.value.params["field"] == field


def test_wrong_form_or_language_are_refused() -> None:
    data = sample("handover_minutes", "km")
    with pytest.raises(ValidationError, match="wrong_form_data"):
        RENDERER.render("intake_report", data, "km")
    with pytest.raises(ValidationError, match="language_mismatch"):
        RENDERER.render("handover_minutes", data, "lo")
    with pytest.raises(ValidationError, match="unknown_form"):
        RENDERER.render("no_such_form", data, "km")


def test_the_digest_covers_the_content() -> None:
    data = sample("handover_minutes", "zh_CN")
    assert len(form_digest(data)) == 64
    changed = dataclasses.replace(data, remarks=data.remarks + ".")
    assert form_digest(changed) != form_digest(data)
    nfd = dataclasses.replace(data, remarks=unicodedata.normalize("NFD", data.remarks))
    assert form_digest(nfd) == form_digest(data)  # same text, however it was typed


@pytest.mark.skipif(shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None,
                    reason="zbar-tools / poppler-utils not installed")
@pytest.mark.parametrize("page", [1, 2])
def test_the_qr_code_on_each_page_decodes_to_number_and_hash(page: int, tmp_path: Path) -> None:
    data = sample("handover_minutes", "zh_CN")
    pdf = RENDERER.render("handover_minutes", data, "zh_CN")
    (tmp_path / "f.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", str(page), "-l", str(page),
                    "-singlefile", str(tmp_path / "f.pdf"), str(tmp_path / "p")], check=True)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "p.png")],
                             capture_output=True, check=True, text=True).stdout.strip()
    prefix, form_id, number, digest = decoded.split("|")
    assert (prefix, form_id, number) == ("RDESK1", "handover_minutes", "LC-BG-2026-000003/BB-GN")
    assert digest == form_digest(data)
    assert decoded == qr_payload(data)
    assert isinstance(data, HandoverMinutesData)
