"""Locale-aware dates and numbers for the UI, via Babel/CLDR (zh_CN is CLDR's zh_Hans_CN)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Literal

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.dates import format_skeleton
from babel.numbers import format_decimal as _babel_decimal
from babel.numbers import format_percent as _babel_percent

from i18n import DEFAULT_LANGUAGE, PSEUDO_LANGUAGE, canonical

Width = Literal["numeric", "short", "medium", "long", "full"]

# Catalog directory name -> CLDR locale. Babel resolves "zh_CN" itself, but spelling it out
# keeps the script subtag explicit (Simplified) and survives a CLDR alias change.
_CLDR = {"vi": "vi_VN", "en": "en_US", "zh_CN": "zh_Hans_CN", "km": "km_KH", "lo": "lo_LA"}
# Babel never emits Khmer or Lao digits (numbering_system="native" raises); use these where a
# form or a counterpart wants them. The UI keeps Western digits, which all five posts read.
_NATIVE_DIGITS = {
    "km": str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩"),
    "lo": str.maketrans("0123456789", "໐໑໒໓໔໕໖໗໘໙"),
}


@cache
def locale_for(language: str) -> Locale:
    """The Babel locale for a catalog language (the pseudo-locale formats like English)."""
    lang = canonical(language)
    if lang == PSEUDO_LANGUAGE:
        lang = "en"
    return Locale.parse(_CLDR.get(lang, _CLDR[DEFAULT_LANGUAGE]))


def format_date(day: date | None, language: str, width: Width = "medium") -> str:
    """``day`` written the way ``language`` writes dates ("" for an unknown date).

    vi medium: "7 thg 3, 2026"; zh_CN: "2026年3月7日"; short vi: "07/03/2026". ``numeric`` is
    the short form with a four-digit year for tables (km "7/3/2026", en "3/7/2026").
    """
    if day is None:
        return ""
    if width == "short" and canonical(language) == "vi":
        # CLDR's vi short pattern is d/M/yy; Vietnamese official documents write dd/MM/yyyy.
        return day.strftime("%d/%m/%Y")
    if width == "numeric":
        return _babel_date(day, format=_numeric_pattern(language), locale=locale_for(language))
    return _babel_date(day, format=width, locale=locale_for(language))


@cache
def _numeric_pattern(language: str) -> str:
    # The locale's short order and separators with a four-digit year: a date of birth written
    # "7/3/11" is ambiguous across a century, which matters for age checks.
    if canonical(language) == "vi":
        return "dd/MM/yyyy"
    pattern = str(locale_for(language).date_formats["short"].pattern)
    return pattern if "yyyy" in pattern else pattern.replace("yy", "yyyy")


# CLDR abbreviates the Vietnamese month as "thg 1"; the stand-alone "Tháng 1" is how it is written.
_MONTH_PATTERNS = {"vi": "LLL y"}


def format_month(year: int, month: int, language: str) -> str:
    """A month with its name and year: vi "Tháng 1 2026", zh_CN "2026年1月", km "មករា 2026"."""
    day, locale = date(year, month, 1), locale_for(language)
    pattern = _MONTH_PATTERNS.get(canonical(language))
    if pattern is not None:
        return _babel_date(day, format=pattern, locale=locale)
    return str(format_skeleton("yMMM", day, locale=locale))


def format_datetime(moment: datetime | None, language: str, width: Width = "medium") -> str:
    """``moment`` as a local date and time in ``language`` ("" when unknown)."""
    if moment is None:
        return ""
    return _babel_datetime(moment, format=width, locale=locale_for(language))


def format_number(number: int | float | Decimal, language: str, *, native_digits: bool = False) -> str:
    """``number`` with the grouping and decimal signs of ``language`` (vi: 1.234.567,5).

    With ``native_digits`` Khmer and Lao get their own digits (other languages are unchanged).
    """
    text = _babel_decimal(number, locale=locale_for(language))
    if native_digits:
        table = _NATIVE_DIGITS.get(canonical(language))
        if table is not None:
            text = text.translate(table)
    return text


def format_percent(fraction: float | Decimal, language: str) -> str:
    """``fraction`` (0.25) as a percentage in ``language``."""
    return _babel_percent(fraction, locale=locale_for(language))


def native_digits(text: str, language: str) -> str:
    """Replace ASCII digits in ``text`` by Khmer or Lao digits; other languages unchanged."""
    table = _NATIVE_DIGITS.get(canonical(language))
    return text if table is None else text.translate(table)
