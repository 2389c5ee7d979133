"""Exports of released (suppressed) tables: CSV, JSON and XLSX bytes, with the suppression legend.

Only :class:`ReleasedTable` is exported: exports leave the post, so they never carry exact small
counts. Withheld entries are written as text ("<5", "x"), shown counts as numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from repatriation.domain.suppression import TOTAL
from repatriation.services.statistics import CrossTab, Dimension, ReleasedTable

Labeler = Callable[[Dimension, str], str]
TOTAL_CODE = "total"
COUNT_COLUMN = "count"


def _code(code: str) -> str:
    return TOTAL_CODE if code == TOTAL else code


def legend(table: ReleasedTable) -> list[tuple[str, str]]:
    """Notes that travel with every export: what was counted and what the symbols mean."""
    spec = table.spec
    return [
        ("release", str(table.number) if table.number is not None else ""),
        ("period", table.period),
        ("method", table.method),
        ("k", str(table.k)),
        ("measure", str(spec.measure)),
        ("dimensions", ",".join(spec.dimensions)),
        ("from", spec.date_from.isoformat() if spec.date_from else ""),
        ("to", spec.date_to.isoformat() if spec.date_to else ""),
        ("age_bands", ";".join(spec.age_bands.codes)),
        (f"<{table.k}", f"a count from 1 to {table.k - 1}, withheld"),
        ("x", "withheld so that a small count cannot be worked out from the totals"),
        (TOTAL_CODE, "all categories of that dimension (multi-response: distinct cases)"),
    ]


def rows(table: ReleasedTable, labeler: Labeler | None = None) -> list[list[str]]:
    """Long format: a header, then one row per cell and total (dimension codes, then the count)."""
    dimensions = table.spec.dimensions
    header = [str(d) for d in dimensions]
    if labeler is not None:
        header += [f"{d}_label" for d in dimensions]
    out = [[*header, COUNT_COLUMN]]
    for key in table.entries():
        row = [_code(code) for code in key]
        if labeler is not None:
            row += [
                labeler(d, code) if code != TOTAL else TOTAL_CODE
                for d, code in zip(dimensions, key, strict=True)
            ]
        out.append([*row, table.display(key)])
    return out


def to_csv(table: ReleasedTable, labeler: Labeler | None = None) -> bytes:
    """UTF-8 CSV (with BOM so spreadsheet programs read Vietnamese correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows(table, labeler))
    writer.writerow([])
    writer.writerows(legend(table))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_json(table: ReleasedTable, labeler: Labeler | None = None) -> bytes:
    """JSON: the legend and the entries (``count`` is a number or the withheld symbol)."""
    header, *body = rows(table, labeler)
    entries: list[dict[str, Any]] = []
    for row in body:
        entry: dict[str, Any] = dict(zip(header[:-1], row[:-1], strict=True))
        text = row[-1]
        entry[COUNT_COLUMN] = int(text) if text.isdigit() else text
        entries.append(entry)
    document = {"legend": dict(legend(table)), "k": table.k, "entries": entries}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def to_xlsx(
    table: ReleasedTable, labeler: Labeler | None = None, created: datetime | None = None
) -> bytes:
    """An XLSX workbook: the long table, a grid for two dimensions, and the notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "table"
    count = len(table.spec.dimensions) * (2 if labeler is not None else 1)
    for row in rows(table, labeler):  # codes stay text ("01", not 1); only counts are numbers
        sheet.append([*row[:count], *(_number(value) for value in row[count:])])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    if len(table.spec.dimensions) == 2:
        _grid_sheet(workbook.create_sheet("grid"), table, labeler)
    notes = workbook.create_sheet("notes")
    for name, value in legend(table):
        notes.append([name, value])
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


def _grid_sheet(sheet: Any, table: ReleasedTable, labeler: Labeler | None) -> None:
    rows_dim, cols_dim = table.spec.dimensions
    row_codes = (*table.categories[0], TOTAL)
    col_codes = (*table.categories[1], TOTAL)

    def name(dimension: Dimension, code: str) -> str:
        if code == TOTAL:
            return TOTAL_CODE
        return labeler(dimension, code) if labeler else code

    sheet.append([f"{rows_dim} \\ {cols_dim}", *(name(cols_dim, c) for c in col_codes)])
    for r in row_codes:
        sheet.append([name(rows_dim, r), *(_number(table.display((r, c))) for c in col_codes)])


def internal_legend(table: CrossTab) -> list[tuple[str, str]]:
    """Notes of an internal (exact) table: it must not leave the post."""
    spec = table.spec
    return [
        ("internal", "exact counts for use inside the post only; not a release"),
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
