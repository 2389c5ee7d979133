"""The headless CLI end to end on a real data directory (real SQLite, real reference data)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import main as entry

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = entry.main(list(args))
    finally:
        sys.stdout, sys.stderr = old
    return code, out.getvalue(), err.getvalue()


def test_demo_then_list_500_cases_as_the_issue_states(tmp_path: Path) -> None:
    data = str(tmp_path / "desk")
    seeded = subprocess.run(
        [sys.executable, "main.py", "--data-dir", data, "--lang", "en", "demo", "--cases", "500"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert seeded.returncode == 0, seeded.stderr
    assert "500 demo cases created." in seeded.stderr
    listed = subprocess.run(
        [sys.executable, "main.py", "--data-dir", data, "cases", "list", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert len(rows) == 500
    assert {r["corridor"] for r in rows} == {"CN", "KH", "LA"}
    assert len({r["reference"] for r in rows}) == 500


GOOD = (
    "family_name,middle_name,given_name,sex,date_of_birth,channel,corridor,received_on\n"
    "Hoàng,Thị,Hoa,F,2011-04-02,rescue,CN,2026-01-10\n"
)


def test_malformed_import_names_row_and_column_and_changes_nothing(tmp_path: Path) -> None:
    data = str(tmp_path / "desk")
    assert run_cli("--data-dir", data, "demo", "--cases", "20")[0] == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        GOOD + "Lò,Văn,Sử,M,2011-04-02,rescue,CN,10/01/2026\n" + GOOD.splitlines()[1] + "\n", encoding="utf-8"
    )
    code, _, err = run_cli("--data-dir", data, "--lang", "en", "cases", "import", str(bad))
    assert code == 2
    assert "Row 3, column 'received_on'" in err and "Nothing was imported." in err
    _, out, _ = run_cli("--data-dir", data, "cases", "list", "--format", "json")
    assert len(json.loads(out)) == 20


def test_import_then_search_show_csv_and_overdue(tmp_path: Path) -> None:
    data = str(tmp_path / "desk")
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    code, _, err = run_cli("--data-dir", data, "--lang", "en", "cases", "import", str(good))
    assert code == 0 and "1 case imported." in err
    code, out, _ = run_cli(
        "--data-dir", data, "cases", "list", "--format", "csv", "--search", "HOANG thi hoa"
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["full_name"] for r in rows] == ["Hoàng Thị Hoa"]
    code, out, _ = run_cli("--data-dir", data, "cases", "show", rows[0]["reference"])
    assert code == 0 and json.loads(out)["person"]["given_name"] == "Hoa"
    code, out, _ = run_cli("--data-dir", data, "verifications", "overdue")
    assert code == 0 and json.loads(out) == []


def test_errors_exit_non_zero_with_a_sentence(tmp_path: Path) -> None:
    data = str(tmp_path / "desk")
    code, _, err = run_cli("--data-dir", data, "--lang", "en", "cases", "show", "LC-2099-000001")
    assert code == 2 and "No case with reference LC-2099-000001." in err
    code, _, err = run_cli(
        "--data-dir", data, "--lang", "en", "cases", "import", str(tmp_path / "missing.csv")
    )
    assert code == 2 and err.strip()
    with pytest.raises(SystemExit):
        run_cli("cases", "list", "--format", "xml")


def test_help_lists_the_commands() -> None:
    result = subprocess.run(
        [sys.executable, "main.py", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    for command in ("demo", "cases", "verifications"):
        assert command in result.stdout
