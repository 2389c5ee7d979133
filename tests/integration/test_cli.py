"""The headless CLI end to end on a real data directory (real SQLite, real reference data).

Every command runs signed in (``--user``) on a desk that is set up, as production requires.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from repatriation.domain.actors import Role
from tests.cli_kit import Desk, demo_desk, run_cli

ROOT = Path(__file__).resolve().parents[2]
SUPERVISOR = Role.SUPERVISOR


# One desk per module: its tests run on one worker, in order.
pytestmark = pytest.mark.xdist_group("cli-desk")


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    return demo_desk(tmp_path_factory.mktemp("cli") / "desk", cases=20)


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
    assert "DEMO DESK" in seeded.stderr
    accounts = dict(line.split("\t")[::2] for line in seeded.stdout.splitlines())
    listed = subprocess.run(
        [sys.executable, "main.py", "--data-dir", data, "cases", "list", "--format", "json",
         "--user", "demo.supervisor"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "REPATRIATION_PASSWORD": accounts["demo.supervisor"]},
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


def _count(desk: Desk) -> int:
    return len(json.loads(desk.ok(SUPERVISOR, "cases", "list", "--format", "json")))


def test_malformed_import_names_row_and_column_and_changes_nothing(desk: Desk, tmp_path: Path) -> None:
    before = _count(desk)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        GOOD + "Lò,Văn,Sử,M,2011-04-02,rescue,CN,10/01/2026\n" + GOOD.splitlines()[1] + "\n", encoding="utf-8"
    )
    code, _, err = desk.run(SUPERVISOR, "cases", "import", str(bad))
    assert code == 2
    assert "Row 3, column 'received_on'" in err and "Nothing was imported." in err
    assert _count(desk) == before


def test_import_then_search_show_csv_and_overdue(desk: Desk, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(GOOD.replace("Hoa", "Hoa Lý"), encoding="utf-8")
    code, _, err = desk.run(Role.BORDER_GUARD, "cases", "import", str(good))
    assert code == 0 and "1 case imported." in err
    out = desk.ok(Role.LIAISON, "cases", "list", "--format", "csv", "--search", "HOANG thi hoa ly")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["full_name"] for r in rows] == ["Hoàng Thị Hoa Lý"]
    shown = json.loads(desk.ok(Role.LIAISON, "cases", "show", rows[0]["reference"]))
    assert shown["person"]["given_name"] == "Hoa Lý"
    overdue = json.loads(desk.ok(Role.LIAISON, "verifications", "overdue"))
    assert rows[0]["reference"] not in {d["case_reference"] for d in overdue}


def test_errors_exit_non_zero_with_a_sentence(desk: Desk, tmp_path: Path) -> None:
    code, _, err = desk.run(SUPERVISOR, "cases", "show", "LC-2099-000001")
    assert code == 2 and "No case with reference LC-2099-000001." in err
    code, _, err = desk.run(SUPERVISOR, "cases", "import", str(tmp_path / "missing.csv"))
    assert code == 2 and err.strip()
    with pytest.raises(SystemExit):
        run_cli("cases", "list", "--format", "xml")


def test_user_before_or_after_the_command_and_password_on_stdin(desk: Desk) -> None:
    user = desk.users[Role.RECEPTION]
    base = ("--data-dir", str(desk.data), "--lang", "en")
    before = run_cli(*base, "--user", user, "--password-stdin", "cases", "list", "--limit", "2",
                     stdin=desk.passwords[user] + "\n")
    after = run_cli(*base, "cases", "list", "--limit", "2", "--password-stdin", "--user", user,
                    stdin=desk.passwords[user] + "\n")
    assert before[0] == after[0] == 0 and before[1] == after[1]
    code, _, err = run_cli(*base, "cases", "list")
    assert code == 2 and "Sign in with --user NAME" in err
    code, _, err = run_cli(*base, "cases", "list", "--user", user, password="not the password")
    assert code == 2 and "Wrong user name or password." in err


def test_a_directory_never_set_up_holds_no_records(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    data = tmp_path / "plain"
    code, _, err = run_cli("--data-dir", str(data), "--lang", "en", "cases", "import", str(good),
                           "--user", "anyone", password="whatever it is")
    assert code == 2 and "run 'setup" in err
    assert not data.exists() or not any(data.iterdir())


def test_help_lists_the_commands() -> None:
    result = subprocess.run(
        [sys.executable, "main.py", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    for command in ("demo", "cases", "verifications", "--user", "--password-stdin"):
        assert command in result.stdout


def test_no_role_flag_anywhere_in_the_cli() -> None:
    hits = subprocess.run(["grep", "-rn", "--", "--role", "cli/"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert hits.stdout == "" and hits.returncode == 1
