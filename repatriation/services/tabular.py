"""Spreadsheet-safe CSV and XLSX cells: every export writes its rows through this module.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel and LibreOffice (``=HYPERLINK(...)`` imported as a name would run when an official opens
the export). Following the OWASP CSV-injection rule, such text gets a leading apostrophe, which
the spreadsheet shows as plain text; the full-width forms are escaped too, because CJK input
methods type them and some spreadsheet locales treat them alike. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def safe_cell(value: Any) -> Any:
    """``value`` unchanged unless it is text a spreadsheet would evaluate; then ``'`` + text."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    """Every cell of ``row`` through :func:`safe_cell`."""
    return [safe_cell(v) for v in row]


def write_csv_rows(stream: TextIO, rows: Iterable[Sequence[Any]]) -> None:
    """Write rows (header included) as CSV to a text stream, formula-safe."""
    writer = csv.writer(stream, lineterminator="\n")
    for row in rows:
        writer.writerow(safe_row(row))


def write_csv_records(
    stream: TextIO, records: Iterable[Mapping[str, Any]], fields: Sequence[str]
) -> None:
    """Write dict records under a header of ``fields``, formula-safe."""
    write_csv_rows(stream, _as_rows(records, fields))


def _as_rows(records: Iterable[Mapping[str, Any]], fields: Sequence[str]) -> Iterable[list[Any]]:
    yield list(fields)
    for record in records:
        yield ["" if record.get(f) is None else record.get(f) for f in fields]


def csv_bytes(rows: Iterable[Sequence[Any]], bom: bool = True) -> bytes:
    """UTF-8 CSV bytes (with a BOM so spreadsheet programs read Vietnamese correctly)."""
    buffer = io.StringIO()
    write_csv_rows(buffer, rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def append_xlsx_row(sheet: Any, row: Iterable[Any]) -> None:
    """Append a row to an openpyxl sheet: text that looks like a formula is stored as text."""
    sheet.append(safe_row(row))
