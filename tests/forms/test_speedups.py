"""The render speed-ups print exactly what ReportLab alone would: QR, numbers, text operators.

Each fast path is compared with the ReportLab code it replaces, on inputs from every sample
form, and each comparison has a negative control showing it can fail.
"""

from __future__ import annotations

import io
import random
import string
import zlib
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel, QRUtil
from reportlab.pdfbase import pdfdoc, ttfonts
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr
from reportlab.pdfgen.canvas import Canvas

import forms.text
from forms import speedups
from forms.fonts import Script, face_for
from forms.pdftext import format_run
from forms.qr import penalty, qr_modules, reportlab_modules
from forms.registry import REGISTRY
from forms.renderer import ReportLabFormRenderer
from forms.samples import sample
from forms.text import shaped

KHMER = face_for(Script.KHMER).name
LANGUAGES = ("zh_CN", "km", "lo", "en", "vi")


def _payloads(count: int) -> list[str]:
    rnd = random.Random(20260307)  # fixed: a failure must reproduce
    alphabet = string.ascii_letters + string.digits + "|/-:"
    out = [f"RDESK1|handover_minutes|LC-BG-2026-{n:06d}/BB-GN|{rnd.randbytes(32).hex()}"
           for n in range(count // 2)]
    out += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 300)))
            for _ in range(count - len(out))]
    return [*out, "0", "12345", "ABC 123", "阮氏红"]


def test_fast_qr_matrix_is_module_for_module_reportlabs() -> None:
    for payload in _payloads(160):
        assert qr_modules(payload) == reportlab_modules(payload), payload


def test_qr_comparison_can_fail_another_mask_differs() -> None:
    modules = qr_modules(_payloads(2)[0])
    flipped = [[not m if (r + c) % 3 == 0 and r > 9 and c > 9 else m for c, m in enumerate(row)]
               for r, row in enumerate(modules)]
    assert flipped != reportlab_modules(_payloads(2)[0])


def test_penalty_scores_runs_blocks_finders_and_balance() -> None:
    # 21 x 21, all light: 21 rows + 21 columns of one run (21 - 2 each), 20 x 20 blocks x 3,
    # no finder pattern, 0% dark -> 10 * (50 // 5).
    assert penalty([0] * 21, [0] * 21, 21) == 42 * 19 + 400 * 3 + 100
    for mask in range(8):  # and ReportLab's own score of real trial matrices
        code = QRCode(None, QRErrorCorrectLevel.M)
        code.addData(_payloads(2)[0])
        code.version = code.calculate_version()
        code.makeImpl(True, mask)
        rows = [int("".join("1" if m else "0" for m in line), 2) for line in code.modules]
        cols = [int("".join("1" if line[c] else "0" for line in code.modules), 2)
                for c in range(code.moduleCount)]
        assert penalty(rows, cols, code.moduleCount) == QRUtil.getLostPoint(code)


@pytest.mark.parametrize("value", [0, 1, -1, 0.5, -0.5, 1e-7, 2e-7, 1000, 1e6, 1e7, 595.2756,
                                   841.8898, 9.9999999, 0.1 + 0.2, 12.3456789, -0.000123456])
def test_fp_str_matches_reportlab(value: float) -> None:
    assert speedups.fp_str(value) == speedups._ORIGINAL(value)
    assert speedups.fp_str(value, 2 * value) == speedups._ORIGINAL(value, 2 * value)
    assert speedups.fp_str([value, 1]) == speedups._ORIGINAL([value, 1])


def test_fp_str_matches_reportlab_on_many_numbers() -> None:
    rnd = random.Random(7)
    values = [rnd.uniform(-1000, 1000) for _ in range(5000)]
    values += [10 ** rnd.uniform(-8, 8) * rnd.choice((1, -1)) for _ in range(5000)]
    values += [10.0 ** k for k in range(-7, 9)]
    mismatches = [v for v in values if speedups.fp_str(v) != speedups._ORIGINAL(v)]
    assert mismatches == []
    assert speedups.fp_str(0.5) != str(0.5)  # negative control: ".5" is not Python's "0.5"


def _every_sample_form() -> list[bytes]:
    renderer = ReportLabFormRenderer()
    return [renderer.render(form, sample(form, language, 20) if form == "handover_minutes"
                            else sample(form, language), language)
            for form in REGISTRY for language in LANGUAGES]


def test_format_run_writes_what_reportlab_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    checked = {"runs": 0, "raised": 0}
    fast = forms.text.format_run

    def compare(text_object: Any, text: str) -> str:
        state = text_object._curSubset, text_object._rise, text_object._y
        expected = str(text_object._formatText(text))
        after = text_object._curSubset, text_object._rise, text_object._y
        text_object._curSubset, text_object._rise, text_object._y = state
        got = str(fast(text_object, text))
        assert got == expected, str(text)
        assert (text_object._curSubset, text_object._rise, text_object._y) == after
        checked["runs"] += 1
        checked["raised"] += " Ts" in got
        return got

    monkeypatch.setattr(forms.text, "format_run", compare)
    _every_sample_form()
    assert checked["runs"] > 3000 and checked["raised"] > 100  # Khmer rises were exercised


def test_format_run_comparison_can_fail() -> None:
    # Negative control: the same glyphs with one of them raised differently give other operators.
    canvas = Canvas(io.BytesIO())
    text = shaped("ស្តុក", KHMER, 10.0)
    assert isinstance(text, ShapedStr)

    def operators(value: str) -> str:
        text_object = canvas.beginText(0, 0)
        text_object.setFont(KHMER, 10.0)
        return str(format_run(text_object, value))

    data = list(text.__shapeData__)
    data[-1] = ShapeData(*data[-1]._replace(y_offset=data[-1].y_offset + 80))
    assert operators(text) == str(_reportlab_operators(canvas, text))
    assert operators(ShapedStr(str(text), shapeData=data)) != operators(text)


def _reportlab_operators(canvas: Canvas, value: str) -> str:
    text_object = canvas.beginText(0, 0)
    text_object.setFont(KHMER, 10.0)
    return str(text_object._formatText(value))


def test_level_one_streams_decompress_and_cached_subsets_are_identical() -> None:
    renderer = ReportLabFormRenderer()
    data = sample("handover_minutes", "zh_CN", 3)
    first = renderer.render("handover_minutes", data, "zh_CN")
    assert ttfonts.TTFontFile.makeSubset is speedups._make_subset
    assert any(b"NotoSansSC" in str(key[0]).encode() for key in speedups._subsets)
    assert renderer.render("handover_minutes", data, "zh_CN") == first  # cache hit, same bytes
    assert "越南" in PdfReader(io.BytesIO(first)).pages[0].extract_text()
    assert zlib.decompress(pdfdoc.PDFZCompress.encode(b"x" * 1000)) == b"x" * 1000
    speedups.revert()
    try:
        assert ttfonts.TTFontFile.makeSubset is speedups._ORIGINAL_SUBSET
        assert renderer.render("handover_minutes", data, "zh_CN") != first  # level 6 streams
    finally:
        speedups.apply()


def test_speedups_are_installed_where_reportlab_looks() -> None:
    import reportlab.pdfgen.canvas
    import reportlab.platypus.tables

    assert reportlab.pdfgen.canvas.fp_str is speedups.fp_str
    assert reportlab.platypus.tables.fp_str is speedups.fp_str
