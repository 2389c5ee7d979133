"""Every catalog of both domains compiles, is complete, keeps placeholders and uses its script."""

from __future__ import annotations

import gettext
import io

import pytest
from babel.messages.mofile import write_mo

from tests.i18n.catalog_kit import (
    DOMAINS,
    LANGUAGES,
    TRANSLATED,
    entries,
    forms,
    load,
    placeholders,
    po_path,
    script_problem,
)

# Every catalog is complete, English included (msgstr = msgid): no exemption left.
IDENTITY_BY_FALLBACK: set[tuple[str, str]] = set()
CASES = [(lang, dom) for dom in DOMAINS for lang in LANGUAGES]


@pytest.mark.parametrize(("language", "domain"), CASES)
def test_catalog_compiles_without_errors(language: str, domain: str) -> None:
    catalog = load(language, domain)
    errors = [(m.id, e) for m, e in catalog.check()]
    assert not errors, errors[:5]
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    # Round-trip through the .mo bytes: gettext must give back every translation.
    compiled = gettext.GNUTranslations(buffer)
    for message in entries(catalog):
        ids, strings = forms(message.id), forms(message.string)
        if not all(strings):
            continue  # reported by the completeness test
        if len(ids) == 1:
            assert compiled.gettext(ids[0]) == strings[0]
        else:
            assert compiled.ngettext(ids[0], ids[1], 1) == strings[0]
            assert compiled.ngettext(ids[0], ids[1], 5) == strings[-1]
    assert catalog.num_plurals == (2 if language == "en" else 1)


@pytest.mark.parametrize(("language", "domain"), CASES)
def test_no_untranslated_or_fuzzy_entry(language: str, domain: str) -> None:
    catalog = load(language, domain)
    if (language, domain) in IDENTITY_BY_FALLBACK:
        # gettext returns the msgid for an empty English msgstr, which is the English text.
        assert not any(m.fuzzy for m in entries(catalog))
        return
    bad = [m.id for m in entries(catalog)
           if m.fuzzy or not forms(m.string) or not all(forms(m.string))]
    assert not bad, f"{len(bad)} untranslated/fuzzy in {po_path(language, domain)}: {bad[:10]}"
    assert not catalog.fuzzy, "the header is marked fuzzy"


@pytest.mark.parametrize(("language", "domain"), CASES)
def test_translations_keep_named_placeholders(language: str, domain: str) -> None:
    catalog = load(language, domain)
    bad = []
    for message in entries(catalog):
        ids = forms(message.id)
        expected = placeholders(ids[-1])
        if len(ids) > 1 and placeholders(ids[0]) != expected:
            bad.append((ids, "singular and plural msgids disagree"))
        for text in forms(message.string):
            if text and placeholders(text) != expected:
                bad.append((ids[0], text))
    assert not bad, bad[:10]


@pytest.mark.parametrize(("language", "domain"), [(lang, dom) for dom in DOMAINS for lang in TRANSLATED])
def test_translations_are_in_the_expected_script(language: str, domain: str) -> None:
    catalog = load(language, domain)
    bad = []
    for message in entries(catalog):
        source = forms(message.id)[-1]
        for text in forms(message.string):
            problem = text and script_problem(language, source, text)
            if problem:
                bad.append((source, text, problem))
    assert not bad, f"{len(bad)} entries: {bad[:10]}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_english_catalog_is_complete_and_identity_compatible(domain: str) -> None:
    # English strings are the source: every msgid has an English text with the same placeholders.
    english = {forms(m.id)[0] for m in entries(load("en", domain))}
    for language in TRANSLATED:
        assert {forms(m.id)[0] for m in entries(load(language, domain))} == english, language
