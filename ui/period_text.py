"""Periods of the statistics in words: "Tháng 1 2026", "Quý 1 2026", never "2026-01" or "2026-Q1".

Month names come from CLDR through Babel (``i18n.formatting.format_month``), in the desk's
language; quarters and halves are catalog sentences. Years stay as numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from i18n import N_, Translator
from i18n.formatting import format_month
from repatriation.domain.statistics_spec import PERIODS, Dimension

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_HALF = re.compile(r"(\d{4})-H([12])")
_HALVES = (N_("First half of {year}"), N_("Second half of {year}"))


def period_text(code: str, translator: Translator) -> str:
    """A period code (2026, 2026-H1, 2026-Q2, 2026-03) in words; other text as it is."""
    if match := _MONTH.fullmatch(code):
        return format_month(int(match[1]), int(match[2]), translator.language)
    if match := _QUARTER.fullmatch(code):
        return translator.gettext("Quarter {quarter} of {year}").format(quarter=match[2], year=match[1])
    if match := _HALF.fullmatch(code):
        return translator.gettext(_HALVES[int(match[2]) - 1]).format(year=match[1])
    return code


def with_periods(label: Callable[[Dimension, str], str],
                 translator: Translator) -> Callable[[Dimension, str], str]:
    """``label`` that writes the period dimensions in words (for the screen; exports keep codes)."""

    def named(dimension: Dimension, code: str) -> str:
        return period_text(code, translator) if dimension in PERIODS else label(dimension, code)

    return named
