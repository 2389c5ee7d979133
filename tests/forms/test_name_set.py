"""The fictitious name set (tests/forms/names.py) prints in every form and language.

One render per form and language carries the whole set (the batch minutes list every name as a
person; the other forms print the child's name and the set in a free-text field), so the suite
stays quick. Every name is found by plain search in ``pdftotext``, and every name is drawn glyph
for glyph, position for position, as HarfBuzz shapes it (checked on the intake report, where the
set takes four pages rather than thirty).
"""

from __future__ import annotations

import dataclasses
import functools
import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from forms import cjk
from forms.fonts import font_path
from forms.layout import BODY
from forms.renderer import ReportLabFormRenderer
from forms.samples import sample
from forms.text import runs
from repatriation.services.form_data import FormData, HandedPerson
from tests.forms.names import ALL, CHINESE, KHMER, LAO, VIETNAMESE
from tests.forms.pdf_probe import Glyph, find_shaped, harfbuzz_glyphs, pdf_glyphs

RENDERER = ReportLabFormRenderer()
LANGUAGES = ("zh_CN", "km", "lo", "en", "vi")
pytestmark = [
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils"),
    pytest.mark.skipif(cjk.source() is None, reason="fonts-noto-cjk not installed"),
]
# Where the single-child forms print free text (each name on its own line).
FREE_TEXT = {"reception_record": "belongings", "verification_request": "question",
             "verification_reply": "findings", "referral_summary": "reason",
             "intake_report": "actions_taken"}
CHILD = {"reception_record": "child", "verification_request": "subject",
         "verification_reply": "subject", "referral_summary": "child", "intake_report": "child"}


def test_the_set_has_thirty_names_per_script() -> None:
    assert all(len(names) >= 30 for names in (VIETNAMESE, CHINESE, KHMER, LAO))
    assert len(set(ALL)) == len(ALL)


def with_names(form_id: str, language: str) -> FormData:
    data = sample(form_id, language, persons=1)
    if form_id in FREE_TEXT:
        child = getattr(data, CHILD[form_id])
        return dataclasses.replace(data, **{
            CHILD[form_id]: dataclasses.replace(child, full_name=ALL[0]),
            FREE_TEXT[form_id]: "\n".join(ALL),
        })
    base = data.persons[0]  # type: ignore[union-attr]
    persons = tuple(HandedPerson(dataclasses.replace(base.person, full_name=name),
                                 base.belongings, base.documents, base.health,
                                 dataclasses.replace(base.signature, name=name))
                    for name in ALL)
    return dataclasses.replace(data, persons=persons)  # type: ignore[type-var]


@functools.cache
def rendered(form_id: str, language: str) -> bytes:
    return RENDERER.render(form_id, with_names(form_id, language), language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("form_id", RENDERER.form_ids())
def test_every_name_prints_and_is_found_by_plain_search(form_id: str, language: str) -> None:
    assert RENDERER.fallback_characters(with_names(form_id, language)) == ()
    out = subprocess.run(["pdftotext", "-", "-"], input=rendered(form_id, language),
                         capture_output=True, check=True).stdout.decode("utf-8")
    text = " ".join(out.split())  # a name wrapped in its cell reads with a space
    missing = [name for name in ALL if name not in text]
    assert not missing, missing


@functools.cache
def drawn(language: str) -> tuple[list[Glyph], dict[object, list[int]]]:
    """Every glyph of the intake report (the set, a name a line), and where each outline starts."""
    pdf = rendered("intake_report", language)
    pages = range(len(PdfReader(io.BytesIO(pdf)).pages))
    glyphs = [glyph for page in pages for glyph in pdf_glyphs(pdf, page)]
    starts: dict[object, list[int]] = {}
    for index, glyph in enumerate(glyphs):
        starts.setdefault(glyph.outline, []).append(index)
    return glyphs, starts


def found(language: str, expected: list[Glyph]) -> bool:
    glyphs, starts = drawn(language)
    return any(find_shaped(glyphs[i:i + len(expected)], expected) is None
               for i in starts.get(expected[0].outline, ()))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_name_is_drawn_as_harfbuzz_shapes_it(language: str) -> None:
    wrong = []
    for name in ALL:
        for word in name.split():  # a cell may wrap between words, never inside one
            for run in runs(word):
                expected = harfbuzz_glyphs(font_path(run.font), run.text, BODY.size)
                if not found(language, expected):
                    wrong.append((name, run.text))
    assert not wrong, wrong
