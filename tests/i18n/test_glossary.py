"""The glossary covers every key term in all five languages and the catalogs follow it."""

from __future__ import annotations

import csv
import re
import unicodedata

import pytest

from tests.i18n.catalog_kit import ROOT, TRANSLATED, entries, forms, load, script_problem

GLOSSARY = ROOT / "i18n" / "glossary.csv"
REQUIRED = {
    "trafficking_victim", "person_undergoing_identification", "handover_minutes",
    "return_certificate", "border_gate", "auxiliary_gate", "border_opening", "border_marker",
    "reception_centre", "social_protection_facility", "consent", "legal_representative",
    "verification_request", "self_return", "interception", "rescue",
}


def _rows() -> list[dict[str, str]]:
    with GLOSSARY.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def _variants(term: str) -> list[str]:
    # "交接记录 / 移交记录" and "Bàn giao; giao, nhận" list accepted alternatives.
    return [_norm(v) for v in re.split(r"\s*/\s*|;\s*", term) if v.strip()]


def test_every_key_term_is_in_all_five_languages_with_a_source() -> None:
    rows = _rows()
    assert {row["key"] for row in rows} >= REQUIRED
    for row in rows:
        for column in ("en", "vi", "zh_CN", "km", "lo", "source"):
            assert row[column].strip(), (row["key"], column)
            assert row[column] == unicodedata.normalize("NFC", row[column]), (row["key"], column)
        for language in TRANSLATED:
            assert script_problem(language, row["en"], row[language]) is None, (row["key"], language)


@pytest.mark.parametrize("language", TRANSLATED)
def test_ui_catalog_uses_the_glossary_term_for_a_bare_key_term(language: str) -> None:
    # Where a UI msgid is exactly a glossary term, its translation is one of the glossary's.
    glossary = {_norm(row["en"]): _variants(row[language]) for row in _rows()}
    checked, bad = 0, []
    for message in entries(load(language, "messages")):
        variants = glossary.get(_norm(forms(message.id)[0]))
        if variants is None:
            continue
        checked += 1
        if _norm(forms(message.string)[0]) not in variants:
            bad.append((message.id, message.string, variants))
    assert checked >= 5
    assert not bad, bad
