"""The 6-monthly / annual statistics report as a PDF, in Vietnamese or English.

Input is :class:`repatriation.services.statistics_report.StatisticsReport`: released tables only,
already suppressed. Wording comes from the gettext domain ``statistics``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer
from reportlab.platypus.flowables import Flowable

from forms.layout import PAGE_WIDTH_USABLE, grid, section, text
from forms.page import MARGIN_X, PRINTABLE, Footer, build_pdf
from forms.statistics_charts import horizontal_bars, time_bars
from forms.text import TextStyle, draw_line, make_line
from i18n import N_, translator
from repatriation.domain.errors import ValidationError
from repatriation.services.form_data import BiText
from repatriation.services.statistics_report import ReportTable, StatisticsReport

DOMAIN = "statistics"
LANGUAGES = ("vi", "en")
CELL = TextStyle(7.4)
CELL_RIGHT = TextStyle(7.4, align="right")
CELL_BOLD = TextStyle(7.4, bold=True)
CELL_BOLD_RIGHT = TextStyle(7.4, bold=True, align="right")
HEAD = TextStyle(7.2, bold=True, align="center")
GREY = (0.33, 0.33, 0.33)


def render_statistics_report(report: StatisticsReport, language: str = "vi") -> bytes:
    """The report PDF in ``language`` ("vi" or "en").

    Raises:
        ValidationError: a language other than vi or en.
    """
    if language not in LANGUAGES:
        raise ValidationError("unsupported_language", language=language)
    _ = translator(language, DOMAIN).gettext
    period = _period_words(_, report)
    story: list[Flowable] = [
        text(report.post_name, TextStyle(9, bold=True, align="center")),
        Spacer(1, 4 * mm),
        text(_("STATISTICAL REPORT ON CHILDREN RETURNED FROM ABROAD"),
             TextStyle(13, bold=True, align="center")),
        text(period, TextStyle(10, align="center")),
        Spacer(1, 3 * mm),
        text(_("Counts of cases received from {start} to {end}; a child received twice counts "
               "twice. Produced on {today}.").format(
                   start=_day(report.date_from), end=_day(report.date_to),
                   today=_day(report.generated_on)), TextStyle(8)),
        text(_("To protect the children, a count from 0 to {last} is shown as \"<{k}\", and "
               "\"x\" marks a count withheld so that a small count cannot be worked out from the "
               "totals or from earlier releases. Every table is a release recorded in the post's "
               "ledger. Charts draw no bar for a withheld count.").format(last=report.k - 1,
                                                                         k=report.k),
             TextStyle(8, color=GREY)),
    ]
    for number, table in enumerate(report.tables, start=1):
        story += _table_section(_, language, number, table)
    title = _("Statistical report {period}").format(period=report.period_code)
    return build_pdf(story, _furniture(title, _), title)


def _period_words(_: Any, report: StatisticsReport) -> str:
    year, _sep, half = report.period_code.partition("-H")
    if half:
        return str(_("Six months: half {half} of {year}")).format(half=half, year=year)
    return str(_("Year {year}")).format(year=year)


def _day(value: Any) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def _table_section(_: Any, language: str, number: int, table: ReportTable) -> list[Flowable]:
    heading = section_heading(_, number, table)
    body: list[Flowable] = []
    if table.chart == "time":
        body.append(_time_chart(_, language, table))
    elif table.chart == "bars":
        labels = table.row_labels[language][:-1]
        totals = [row[-1] for row in table.cells[:-1]]
        body.append(horizontal_bars(labels, totals, PAGE_WIDTH_USABLE))
    if body:
        body.append(Spacer(1, 2 * mm))
    body.append(_grid(_, language, table))
    if table.multi_response:
        body.append(text(_("A case may count under several rows; the total counts each case "
                           "once."), TextStyle(7, color=GREY)))
    # The heading stays with the chart (or the table's first rows) on one page.
    return [CondPageBreak(60 * mm), KeepTogether([*heading, body[0]]), *body[1:]]


def section_heading(_: Any, number: int, table: ReportTable) -> list[Flowable]:
    """The numbered title of a table."""
    return section(_bitext(f"{number}. {_(table.title)}"))


def _bitext(value: str) -> BiText:
    return BiText(value)


def _grid(_: Any, language: str, table: ReportTable) -> Flowable:
    rows_labels = list(table.row_labels[language])
    rows_labels[-1] = _("Total")
    columns = list(table.column_labels[language])
    columns[-1] = _("Total")
    first = 46 * mm
    width = (PAGE_WIDTH_USABLE - first) / max(1, len(columns))
    header = [text(_(DIMENSION_HEADS.get(str(table.row_dimension), "")), HEAD),
              *(text(c, HEAD) for c in columns)]
    body = []
    for index, (label, cells) in enumerate(zip(rows_labels, table.cells, strict=True)):
        last = index == len(table.cells) - 1
        style, right = (CELL_BOLD, CELL_BOLD_RIGHT) if last else (CELL, CELL_RIGHT)
        body.append([text(label, style),
                     *(text(c, CELL_BOLD_RIGHT if i == len(cells) - 1 else right)
                       for i, c in enumerate(cells))])
    return grid([header, *body], [first, *([width] * len(columns))], header_rows=1)


def _time_chart(_: Any, language: str, table: ReportTable) -> Flowable:
    periods = [str(code) for code in table.row_codes[:-1]]
    names = table.column_labels[language][:-1]
    series = [(names[c], [table.cells[r][c] for r in range(len(periods))])
              for c in range(len(names))]
    return time_bars(periods, series, PAGE_WIDTH_USABLE, 62 * mm)


def _furniture(title: str, _: Any) -> Footer:
    page_width, _height = A4

    def draw(canvas: Any, page: int, total: int) -> None:
        canvas.saveState()
        y = PRINTABLE + 7 * mm
        line = make_line(title, 7.4)
        draw_line(canvas, MARGIN_X, y, line, 7.4, GREY)
        pages = make_line(_("Page {page} of {pages}").format(page=page, pages=total), 7.4)
        draw_line(canvas, page_width - MARGIN_X - pages.width, y, pages, 7.4, GREY)
        canvas.restoreState()

    return Footer(draw, PRINTABLE + 17 * mm)


DIMENSION_HEADS: dict[str, str] = {
    "month": N_("Month"),
    "quarter": N_("Quarter"),
    "channel": N_("Return channel"),
    "age_at_return": N_("Age at return"),
    "age_at_trafficking": N_("Age at trafficking"),
    "route": N_("Route"),
    "ethnic_group": N_("Ethnic group"),
    "province_new": N_("Province of origin"),
    "exploitation": N_("Form of exploitation"),
    "screening": N_("Victim status"),
    "services": N_("Services delivered"),
    "outcome": N_("Outcome"),
    "follow_up": N_("Follow-up"),
}


def render_both(report: StatisticsReport) -> Sequence[bytes]:
    """The Vietnamese and the English PDF."""
    return [render_statistics_report(report, language) for language in LANGUAGES]
