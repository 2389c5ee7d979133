"""Exports of released (suppressed) tables: CSV, JSON and XLSX bytes, with the suppression legend.

Only :class:`ReleasedTable` is exported: exports leave the post, so they never carry exact small
counts. Withheld entries are written as text ("<5", "x"), shown counts as numbers.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from repatriation.domain.statistics_spec import Dimension
from repatriation.domain.suppression import TOTAL
from repatriation.services.statistics import CrossTab, ReleasedTable
from repatriation.services.statistics_labels import dimension_name
from repatriation.services.statistics_noise import METHOD as NOISE
from repatriation.services.statistics_noise import bounds
from repatriation.services.tabular import append_xlsx_row, csv_bytes

Labeler = Callable[[Dimension, str], str]
Gettext = Callable[[str], str]
TOTAL_CODE = "total"
COUNT_COLUMN = "count"


def _code(code: str) -> str:
    return TOTAL_CODE if code == TOTAL else code


def _identity(text: str) -> str:
    return text


def legend(table: ReleasedTable, gettext: Gettext = _identity) -> list[tuple[str, str, str]]:
    """Notes that travel with every export: (key, value, explanation in the user's language)."""
    _ = gettext
    spec = table.spec
    top = table.k - 1
    head = [
        ("release", str(table.number) if table.number is not None else "",
         _("Number of this release in the post's release ledger")),
        ("period", table.period, _("Whole period counted (cases received in it)")),
    ]
    tail = [
        ("measure", str(spec.measure), _("Cases: each reception counts once")),
        ("dimensions", ",".join(spec.dimensions),
         ", ".join(dimension_name(gettext, d) for d in spec.dimensions)),
        ("from", spec.date_from.isoformat() if spec.date_from else "", _("First day")),
        ("to", spec.date_to.isoformat() if spec.date_to else "", _("Last day")),
        ("age_bands", ";".join(spec.age_bands.codes), _("Age bands (years)")),
    ]
    if table.method == NOISE:
        return [*head, *_noise_notes(table, gettext), *tail,
                (TOTAL_CODE, "", _("All categories of that dimension: the sum of the published counts"))]
    return [
        *head,
        ("method", table.method,
         _("Small counts withheld; checked against every earlier release of the same months")),
        ("k", str(table.k), _("Threshold: counts from 0 to {top} are not shown").format(top=top)),
        *tail,
        (f"<{table.k}", "", _("A count from 0 to {top}, withheld").format(top=top)),
        ("x", "", _("Withheld so that a small count cannot be worked out from the totals")),
        (TOTAL_CODE, "", _("All categories of that dimension (multi-response: distinct cases)")),
    ]


def _noise_notes(table: ReleasedTable, gettext: Gettext) -> list[tuple[str, str, str]]:
    _ = gettext
    cells = len(table.entries()) - sum(1 for key in table.entries() if TOTAL in key)
    stated = bounds(table.epsilon, cells)
    confidence = round(100 * (1 - stated.alpha))
    return [
        ("method", NOISE, _("Every count has random noise added (OpenDP); nothing is withheld")),
        ("epsilon", f"{table.epsilon:g}",
         _("Privacy loss of this release, paid from the year's privacy budget")),
        ("cell_error", f"{stated.cell}",
         _("Each count is within {error} of the true count in {confidence} of 100 releases").format(
             error=stated.cell, confidence=confidence)),
        ("total_error", f"-{stated.total_low}..+{stated.total_high}",
         _("The grand total is at most {low} below and {high} above the true total in {confidence} "
           "of 100 releases").format(low=stated.total_low, high=stated.total_high,
                                     confidence=confidence)),
    ]


def rows(
    table: ReleasedTable, labeler: Labeler | None = None, gettext: Gettext = _identity
) -> list[list[str]]:
    """Long format: a header, then one row per cell and total (dimension codes, then the count).

    With a labeler, a name column per dimension in the user's language ("Total" on totals rows).
    """
    dimensions = table.spec.dimensions
    header = [str(d) for d in dimensions]
    if labeler is not None:
        header += [f"{d}_label" for d in dimensions]
    out = [[*header, COUNT_COLUMN]]
    total = gettext("Total")
    for key in table.entries():
        row = [_code(code) for code in key]
        if labeler is not None:
            row += [
                labeler(d, code) if code != TOTAL else total
                for d, code in zip(dimensions, key, strict=True)
            ]
        out.append([*row, table.display(key)])
    return out


def to_csv(table: ReleasedTable, labeler: Labeler | None = None, gettext: Gettext = _identity) -> bytes:
    """UTF-8 CSV (with BOM so spreadsheet programs read Vietnamese correctly), then the legend.

    Formula-safe: a label that starts like a formula is written as text.
    """
    return csv_bytes([*rows(table, labeler, gettext), [], *legend(table, gettext)])


def to_json(table: ReleasedTable, labeler: Labeler | None = None, gettext: Gettext = _identity) -> bytes:
    """JSON: the legend and the entries (``count`` is a number or the withheld symbol)."""
    header, *body = rows(table, labeler, gettext)
    entries: list[dict[str, Any]] = []
    for row in body:
        entry: dict[str, Any] = dict(zip(header[:-1], row[:-1], strict=True))
        text = row[-1]
        entry[COUNT_COLUMN] = int(text) if text.isdigit() else text
        entries.append(entry)
    notes = legend(table, gettext)
    document = {"legend": {key: value for key, value, _ in notes},
                "notes": {key: text for key, _, text in notes}, "k": table.k, "entries": entries}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def to_xlsx(
    table: ReleasedTable, labeler: Labeler | None = None, created: datetime | None = None,
    gettext: Gettext = _identity,
) -> bytes:
    """An XLSX workbook: the long table, a grid for two dimensions, and the notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "table"
    count = len(table.spec.dimensions) * (2 if labeler is not None else 1)
    for row in rows(table, labeler, gettext):  # codes stay text ("01", not 1); only counts are numbers
        append_xlsx_row(sheet, [*row[:count], *(_number(value) for value in row[count:])])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    if len(table.spec.dimensions) == 2:
        _grid_sheet(workbook.create_sheet("grid"), table, labeler, gettext)
    notes = workbook.create_sheet("notes")
    for note in legend(table, gettext):
        append_xlsx_row(notes, list(note))
    if created is not None:
        # Fixed document properties: the same table gives the same bytes (tests, hashing).
        workbook.properties.created = created
        workbook.properties.modified = created
    workbook.properties.creator = "Repatriation Desk"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def _grid_sheet(sheet: Any, table: ReleasedTable, labeler: Labeler | None, gettext: Gettext) -> None:
    rows_dim, cols_dim = table.spec.dimensions
    row_codes = (*table.categories[0], TOTAL)
    col_codes = (*table.categories[1], TOTAL)

    def name(dimension: Dimension, code: str) -> str:
        if code == TOTAL:
            return gettext("Total") if labeler else TOTAL_CODE
        return labeler(dimension, code) if labeler else code

    append_xlsx_row(sheet, [f"{rows_dim} \\ {cols_dim}", *(name(cols_dim, c) for c in col_codes)])
    for r in row_codes:
        append_xlsx_row(
            sheet, [name(rows_dim, r), *(_number(table.display((r, c))) for c in col_codes)]
        )


def internal_legend(table: CrossTab, gettext: Gettext = _identity) -> list[tuple[str, str]]:
    """Notes of an internal (exact) table: it must not leave the post."""
    spec = table.spec
    return [
        ("internal", gettext("Exact counts for use inside the post only; not a release")),
        ("method", "exact"),
        ("measure", str(spec.measure)),
        ("dimensions", ",".join(spec.dimensions)),
        ("from", spec.date_from.isoformat() if spec.date_from else ""),
        ("to", spec.date_to.isoformat() if spec.date_to else ""),
        ("age_bands", ";".join(spec.age_bands.codes)),
    ]


def exact_rows(table: CrossTab, labeler: Labeler | None = None) -> list[list[str]]:
    """Internal (exact) long format: non-empty cells only, then the grand total."""
    dimensions = table.spec.dimensions
    header = [str(d) for d in dimensions]
    if labeler is not None:
        header += [f"{d}_label" for d in dimensions]
    out = [[*header, COUNT_COLUMN]]
    for key in sorted(table.counts):
        row = list(key)
        if labeler is not None:
            row += [labeler(d, code) for d, code in zip(dimensions, key, strict=True)]
        out.append([*row, str(table.counts[key])])
    out.append([TOTAL_CODE] * (len(header)) + [str(table.total)])
    return out
