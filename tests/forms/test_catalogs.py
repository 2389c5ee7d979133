"""The "forms" gettext catalogs: every form msgid translated, placeholders kept, nothing fuzzy.

Extraction (as ``pybabel extract -k tr -k N_`` over the form modules) is re-run here, so a label
added to a form without a translation fails the suite.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_python
from babel.messages.pofile import read_po

import i18n

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{(\w*)\}")
TRANSLATED = ("vi", "zh_CN", "km", "lo")


# The modules of the "forms" domain (other PDF reports in forms/ keep their own domains).
DOMAIN_MODULES = (
    "common", "layout", "page", "vocabulary", "handover_minutes", "internal_handover",
    "reception_record", "verification_request", "verification_reply", "referral_summary",
    "intake_report", "signatures",
)


def _msgids() -> set[str]:
    found: set[str] = set()
    for name in DOMAIN_MODULES:
        with (ROOT / "forms" / f"{name}.py").open("rb") as handle:
            for _, _, message, _ in extract_python(handle, ["tr", "N_"], [], {}):
                # tr("...", count=n) comes back as ("...", None): the msgid is the first item;
                # tr(variable) gives None (its msgids are marked with N_ where they are defined)
                msgid = message[0] if isinstance(message, tuple) else message
                if msgid:
                    found.add(msgid)
    return found


def _catalog(language: str):  # type: ignore[no-untyped-def]
    path = ROOT / "i18n" / "locale" / language / "LC_MESSAGES" / "forms.po"
    with path.open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_form_label_is_translated_with_its_placeholders(language: str) -> None:
    catalog = _catalog(language)
    msgids = _msgids()
    assert len(msgids) > 200
    for msgid in msgids:
        message = catalog.get(msgid)
        assert message is not None and message.string, f"{language}: untranslated {msgid!r}"
        assert not message.fuzzy, f"{language}: fuzzy {msgid!r}"
        assert set(PLACEHOLDER.findall(message.string)) == set(PLACEHOLDER.findall(msgid)), (
            f"{language}: placeholders differ in {msgid!r}"
        )


def test_english_catalog_lists_every_msgid() -> None:
    catalog = _catalog("en")
    assert _msgids() <= {m.id for m in catalog if m.id}


def test_vietnamese_and_counterpart_catalogs_load_side_by_side() -> None:
    i18n.clear_cache()
    assert i18n.translator("vi", "forms").gettext("Pursuant to:") == "Căn cứ:"
    assert i18n.translator("zh", "forms").gettext("Pursuant to:") == "依据："
    assert i18n.translator("km", "forms").gettext("Sex") == "ភេទ"
    assert i18n.translator("lo", "forms").gettext("Sex") == "ເພດ"
