"""Release periods: whole half-years ("2026-H1") and years ("2026"), and which have ended."""

from __future__ import annotations

from datetime import date

from repatriation.domain.errors import ValidationError
from repatriation.domain.statistics_spec import StatisticsSpec


def parse_period(code: str) -> tuple[date, date]:
    """First and last day of "2026" or "2026-H1"/"2026-H2"."""
    try:
        if len(code) == 4:
            year = int(code)
            return date(year, 1, 1), date(year, 12, 31)
        year, half = int(code[:4]), code[4:]
        if half == "-H1":
            return date(year, 1, 1), date(year, 6, 30)
        if half == "-H2":
            return date(year, 7, 1), date(year, 12, 31)
    except ValueError:
        pass
    raise ValidationError("bad_release_period", period=code)


def period_of(spec: StatisticsSpec) -> str:
    """The period code of a spec's dates if they are one whole half-year or year, else ""."""
    if spec.date_from is None or spec.date_to is None:
        return ""
    year = spec.date_from.year
    for code in (str(year), f"{year}-H1", f"{year}-H2"):
        if parse_period(code) == (spec.date_from, spec.date_to):
            return code
    return ""


def closed_periods(today: date, years: int = 3) -> tuple[str, ...]:
    """Half-years and years that have ended, newest first (what a release may cover)."""
    out = []
    for year in range(today.year, today.year - years - 1, -1):
        for code in (f"{year}-H2", str(year), f"{year}-H1"):
            if parse_period(code)[1] < today:
                out.append(code)
    return tuple(out)


def months_of(period: str) -> tuple[str, ...]:
    """The month codes of a period."""
    start, end = parse_period(period)
    return tuple(f"{start.year}-{m:02d}" for m in range(start.month, end.month + 1))
