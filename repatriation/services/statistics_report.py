"""The 6-monthly and annual statistics report: its tables, released together, as a frozen DTO.

``forms/statistics_report.py`` lays the DTO out as a PDF (Vietnamese or English). The DTO holds
only released (suppressed) display strings: the report leaves the post.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from i18n import N_
from repatriation.domain.actors import Actor
from repatriation.domain.errors import ValidationError
from repatriation.domain.statistics_spec import NONE, Dimension, Measure, StatisticsSpec
from repatriation.domain.suppression import DEFAULT_K, TOTAL
from repatriation.services.statistics import ReleasedTable
from repatriation.services.statistics_labels import make_labeler
from repatriation.services.statistics_releases import ReleaseRefused, ReleaseService, withheld_table

D = Dimension
# (title msgid, row dimension, column dimension, chart kind or "")
REPORT_TABLES: tuple[tuple[str, Dimension | None, Dimension, str], ...] = (
    (N_("Children received by period and country"), None, D.CORRIDOR, "time"),
    (N_("By return channel and country"), D.CHANNEL, D.CORRIDOR, ""),
    (N_("By age at return and sex"), D.AGE_AT_RETURN, D.SEX, ""),
    (N_("By age at trafficking and sex"), D.AGE_AT_TRAFFICKING, D.SEX, ""),
    (N_("By ethnic group and age at return"), D.ETHNIC_GROUP, D.AGE_AT_RETURN, "bars"),
    (N_("By age at trafficking and route"), D.AGE_AT_TRAFFICKING, D.ROUTE, ""),
    (N_("By province of origin and country"), D.PROVINCE_NEW, D.CORRIDOR, ""),
    (N_("By form of exploitation and country"), D.EXPLOITATION, D.CORRIDOR, ""),
    (N_("By victim status and country"), D.SCREENING, D.CORRIDOR, ""),
    (N_("By service delivered and country"), D.SERVICES, D.CORRIDOR, ""),
    (N_("By outcome and country"), D.OUTCOME, D.CORRIDOR, ""),
    (N_("By follow-up status and country"), D.FOLLOW_UP, D.CORRIDOR, ""),
)
LANGUAGES = ("vi", "en")


@dataclass(frozen=True)
class ReportTable:
    """One table of the report: labels in each language and the published text of each entry."""

    title: str  # msgid, translated by forms
    row_dimension: Dimension
    column_dimension: Dimension
    row_codes: tuple[str, ...]  # the last one is the total
    column_codes: tuple[str, ...]
    row_labels: Mapping[str, tuple[str, ...]]  # language -> labels
    column_labels: Mapping[str, tuple[str, ...]]
    cells: tuple[tuple[str, ...], ...]  # rows x columns, "<5", "x" or a number
    chart: str = ""  # "time": bars over time; "bars": one bar per row; "": none
    multi_response: bool = False


@dataclass(frozen=True)
class StatisticsReport:
    """Everything the report PDF prints."""

    post_name: str
    period_code: str  # "2026-H1" or "2026"
    date_from: date
    date_to: date
    generated_on: date
    k: int
    measure: Measure
    tables: tuple[ReportTable, ...]


def report_period(year: int, half: int | None) -> tuple[date, date, str]:
    """First day, last day and code of a half-year (1 or 2) or a whole year (``None``)."""
    if half not in (None, 1, 2):
        raise ValidationError("bad_period", half=half)
    if half is None:
        return date(year, 1, 1), date(year, 12, 31), str(year)
    start = date(year, 1 if half == 1 else 7, 1)
    end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    return start, end, f"{year}-H{half}"


def months_between(start: date, end: date) -> tuple[str, ...]:
    """Month codes from ``start`` to ``end``."""
    out = []
    day = start.replace(day=1)
    while day <= end:
        out.append(f"{day.year}-{day.month:02d}")
        day = (day + timedelta(days=32)).replace(day=1)
    return tuple(out)


def build_report(
    service: ReleaseService,
    actor: Actor,
    *,
    year: int,
    half: int | None,
    post_name: str,
    today: date,
    reference: Any = None,
    gettexts: Mapping[str, Callable[[str], str]] | None = None,
    k: int = DEFAULT_K,
) -> StatisticsReport:
    """Release the report's tables together and resolve their labels in Vietnamese and English.

    Args:
        service: the release service: each table is a release in the ledger (or the recorded one).
        actor: who produces the report (a statistician or supervisor).
        year: the year reported on.
        half: 1 or 2 for a 6-monthly report, ``None`` for the annual one.
        post_name: the issuing post, printed in the heading.
        today: the generation date.
        reference: reference data for ethnic group, province and gate names.
        gettexts: per language, the gettext used for code names (identity when absent).
        k: the suppression threshold.
    """
    start, end, code = report_period(year, half)
    time_dimension = D.MONTH if half is not None else D.QUARTER
    specs = [
        StatisticsSpec((row or time_dimension, column), date_from=start, date_to=end)
        for _, row, column, _ in REPORT_TABLES
    ]
    released = [_release(service, actor, spec, k) for spec in specs]
    labelers = {
        lang: make_labeler((gettexts or {}).get(lang, _identity), reference, lang)
        for lang in LANGUAGES
    }
    tables = []
    for (title, _, _, chart), table in zip(REPORT_TABLES, released, strict=True):
        rows = _row_codes(table, time_dimension, start, end)
        tables.append(_report_table(title, chart, table, rows, labelers))
    return StatisticsReport(
        post_name=post_name, period_code=code, date_from=start, date_to=end, generated_on=today,
        k=k, measure=Measure.CASES, tables=tuple(tables),
    )


def _identity(text: str) -> str:
    return text


def _release(service: ReleaseService, actor: Actor, spec: StatisticsSpec, k: int) -> ReleasedTable:
    """One table of the report, through the ledger; a table the audit refuses is printed withheld."""
    try:
        return service.publish(actor, spec, k, purpose="report")
    except ReleaseRefused:
        return withheld_table(spec, k)


def _row_codes(table: ReleasedTable, time_dimension: Dimension, start: date, end: date) -> tuple[str, ...]:
    row_dimension = table.spec.dimensions[0]
    if row_dimension is D.MONTH:
        return months_between(start, end)
    if row_dimension is D.QUARTER:
        return tuple(f"{start.year}-Q{q}" for q in range(1, 5))
    # Open lists (ethnic groups, provinces) list only the codes that occur in the period.
    return table.categories[0]


def _report_table(
    title: str,
    chart: str,
    table: ReleasedTable,
    rows: tuple[str, ...],
    labelers: Mapping[str, Callable[[Dimension, str], str]],
) -> ReportTable:
    row_dimension, column_dimension = table.spec.dimensions
    columns = table.categories[1]
    if column_dimension is D.CORRIDOR:
        # "Other country" and "no country" only where the release shows someone there.
        columns = tuple(c for c in columns if c not in ("XX", NONE) or table.display((TOTAL, c)) != "0")
    row_codes, column_codes = (*rows, TOTAL), (*columns, TOTAL)
    cells = tuple(tuple(table.display((r, c)) for c in column_codes) for r in row_codes)

    def names(dimension: Dimension, codes: tuple[str, ...], lang: str) -> tuple[str, ...]:
        label = labelers[lang]
        return tuple("" if c == TOTAL else label(dimension, c) for c in codes)

    return ReportTable(
        title=title,
        row_dimension=row_dimension,
        column_dimension=column_dimension,
        row_codes=row_codes,
        column_codes=column_codes,
        row_labels={lang: names(row_dimension, row_codes, lang) for lang in LANGUAGES},
        column_labels={lang: names(column_dimension, column_codes, lang) for lang in LANGUAGES},
        cells=cells,
        chart=chart,
        multi_response=row_dimension.multi_response,
    )
