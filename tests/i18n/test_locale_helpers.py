"""Pseudo-locale, locale-aware dates and numbers, name order, and the package location."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

import i18n
from i18n.formatting import format_date, format_datetime, format_number, locale_for, native_digits
from i18n.names import display_name, family_name_first, sort_key
from i18n.pseudo import pseudo
from tests.i18n.catalog_kit import ROOT, entries, forms, load, placeholders

DAY = date(2026, 3, 7)


def test_i18n_package_resolves_inside_the_repository() -> None:
    assert Path(i18n.__file__).resolve().is_relative_to(ROOT)
    assert i18n.LOCALE_DIR.is_relative_to(ROOT)


@pytest.mark.parametrize("domain", ["messages", "forms"])
def test_pseudo_locale_lengthens_about_40_percent_and_keeps_placeholders(domain: str) -> None:
    ratios = []
    for message in entries(load("en", domain)):
        for source in forms(message.id):
            text = pseudo(source)
            assert placeholders(text) == placeholders(source), source
            assert text.startswith("[") and text.endswith("]")
            ratios.append(len(text) / len(source))
    longish = [r for r, m in zip(ratios, ratios, strict=True) if m]
    mean = sum(longish) / len(longish)
    # Brackets make very short strings grow more; the body of every string grows by 40%.
    assert 1.35 <= mean <= 1.9, mean
    body = pseudo("Handover minutes")[1:-1]
    assert len(body) == round(len("Handover minutes") * 1.4)


def test_other_domains_fall_back_to_the_ui_catalog() -> None:
    i18n.clear_cache()
    # km has no statistics catalog: its labels come from the km "messages" catalog.
    assert i18n.translator("km", "statistics").gettext("Year") == "ឆ្នាំ"
    search = "Search by name, alias, ethnic group or province (Ctrl+F)"
    assert i18n.translator("lo", "forms").gettext(search) == i18n.translator("lo").gettext(search)
    # The domain's own translation still wins; unknown text stays the English msgid.
    assert i18n.translator("vi", "forms").gettext("Chinese") == "tiếng Trung Quốc"  # forms: lower case
    assert i18n.translator("vi").gettext("Chinese") == "Tiếng Trung Quốc"
    assert i18n.translator("vi", "forms").gettext("no such msgid") == "no such msgid"


def test_pseudo_translator_is_wired_for_both_call_styles() -> None:
    tr = i18n.Translator("pseudo")
    assert tr.gettext("Save") != "Save" and "~" in tr.gettext("Save")
    plural = tr.ngettext("{count} case", "{count} cases", 3).format(count=3)
    assert "3" in plural and "{" not in plural


@pytest.mark.parametrize(
    ("language", "expected"),
    [("vi", "7 thg 3, 2026"), ("zh_CN", "2026年3月7日"), ("en", "Mar 7, 2026"),
     ("km", "7 មីនា 2026"), ("lo", "7 ມ.ນ. 2026"), ("zh", "2026年3月7日")],
)
def test_dates_follow_each_language(language: str, expected: str) -> None:
    assert format_date(DAY, language) == expected


def test_short_vietnamese_dates_use_the_official_layout() -> None:
    assert format_date(date(2026, 3, 7), "vi", "short") == "07/03/2026"
    assert format_date(None, "vi") == ""
    assert "14:05" in format_datetime(datetime(2026, 3, 7, 14, 5), "zh_CN")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("vi", "07/03/2026"), ("en", "3/7/2026"), ("zh_CN", "2026/3/7"), ("km", "7/3/2026"),
     ("lo", "7/3/2026")],
)
def test_numeric_dates_keep_a_four_digit_year(language: str, expected: str) -> None:
    assert format_date(DAY, language, "numeric") == expected


def test_chinese_uses_the_simplified_han_locale() -> None:
    assert str(locale_for("zh_CN")) == "zh_Hans_CN"
    assert str(locale_for("pseudo")) == "en_US"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("vi", "1.234.567,5"), ("en", "1,234,567.5"), ("zh_CN", "1,234,567.5"), ("lo", "1.234.567,5")],
)
def test_numbers_group_by_language(language: str, expected: str) -> None:
    assert format_number(1234567.5, language) == expected


def test_native_digits_only_on_request() -> None:
    assert format_number(2026, "km", native_digits=True) == "២,០២៦"
    assert native_digits("12", "lo") == "໑໒"
    assert native_digits("12", "vi") == "12"
    assert re.fullmatch(r"[\d,.]+", format_number(2026, "km"))


@pytest.mark.parametrize(
    ("language", "expected"),
    [("vi", "Nguyễn Thị Hồng"), ("zh_CN", "Nguyễn Thị Hồng"), ("en", "Thị Hồng Nguyễn"),
     ("lo", "Thị Hồng Nguyễn")],
)
def test_name_order_per_culture(language: str, expected: str) -> None:
    assert display_name("Nguyễn", "Hồng", language, "Thị") == expected


def test_name_order_overrides_and_han_names() -> None:
    assert display_name("Nguyễn", "Hồng", "en", "Thị", given_first=False) == "Nguyễn Thị Hồng"
    assert display_name("Phommachan", "Souligna", "vi", given_first=True) == "Souligna Phommachan"
    assert display_name("王", "秀英", "en") == "王秀英"
    assert display_name("", "Hồng", "vi") == "Hồng"
    assert family_name_first("zh-CN") and not family_name_first("en")


def test_vietnamese_sort_key_orders_by_given_name_without_accents() -> None:
    people = [("Trần", "Ánh"), ("Nguyễn", "Bình"), ("Lê", "An")]
    ordered = sorted(people, key=lambda p: sort_key(p[0], p[1]))
    assert ordered == [("Lê", "An"), ("Trần", "Ánh"), ("Nguyễn", "Bình")]
