"""Both sides sign every page a list of persons is on, each official in a block of their own."""

from __future__ import annotations

import functools
import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from forms.renderer import ReportLabFormRenderer
from forms.samples import NAMES, sample
from forms.vocabulary import FOREIGN_SIGNATORY, Bilingual
from repatriation.services.form_data import HandoverMinutesData

RENDERER = ReportLabFormRenderer()
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")


@functools.cache
def pages(language: str) -> tuple[HandoverMinutesData, list[str]]:
    data = sample("handover_minutes", language, persons=40)
    assert isinstance(data, HandoverMinutesData)
    pdf = RENDERER.render("handover_minutes", data, language)
    count = len(PdfReader(io.BytesIO(pdf)).pages)
    texts = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-", "-"], input=pdf,
                            capture_output=True, check=True).stdout.decode("utf-8")
             for n in range(1, count + 1)]
    return data, texts


@pytest.mark.parametrize("language", ["km", "lo"])
def test_every_page_with_the_list_carries_both_sides_signatures(language: str) -> None:
    data, texts = pages(language)
    tr = Bilingual(language)
    ours, theirs = tr("FOR THE VIETNAMESE SIDE"), tr(FOREIGN_SIGNATORY[data.corridor])
    listed = [n for n, text in enumerate(texts, 1) if any(name in text for name, _ in NAMES)]
    assert len(listed) >= 4  # the three lists of 40 persons span several pages
    for number in listed:
        text = " ".join(texts[number - 1].split())
        for label in (ours.vi, ours.other, theirs.vi, theirs.other):
            assert label in text, f"page {number}: no {label!r}"
        for official in (*data.vn_side, *data.foreign_side):
            assert official.full_name in text, f"page {number}: no {official.full_name}"


@pytest.mark.parametrize("language", ["km", "lo"])
def test_the_closing_signatures_have_a_block_per_official_and_the_interpreter(
        language: str) -> None:
    data, texts = pages(language)
    closing = next(t for t in texts if "(Ký, ghi rõ họ tên và đóng dấu)" in t)
    assert closing.count("(Ký, ghi rõ họ tên và đóng dấu)") == 3  # both sides and the interpreter
    for official in (*data.vn_side, *data.foreign_side):
        assert official.full_name in closing
