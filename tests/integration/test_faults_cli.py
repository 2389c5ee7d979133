"""Fault suite: each failure gives one sentence, exit 2, and changes no byte anywhere.

Every case snapshots the data directory and the outputs written before it, runs the command the
way an officer would, and compares. Disk-full and read-only cases mount a small tmpfs (root).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_kit import Desk, demo_desk
from tests.integration.fault_kit import (
    ROOT,
    SUPERVISOR,
    copy_desk,
    fill,
    refused,
    remount_read_only,
    run_as,
    run_cli,
    run_process,
    snapshot,
    tiny_disk,
)

CASE = "LC-DEMO-000001"
pytestmark = pytest.mark.xdist_group("faults-cli")  # one seeded desk per module


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    """A demo desk of 12 cases (copied by each test that changes it)."""
    return demo_desk(tmp_path_factory.mktemp("seed") / "desk", cases=12)


def test_stats_output_on_a_full_disk_keeps_the_earlier_export(seeded: Desk, tmp_path: Path) -> None:
    desk = copy_desk(seeded, tmp_path / "desk")
    data = desk.data
    with tiny_disk(tmp_path / "usb", "1m") as usb:
        target = usb / "stats.csv"
        assert run_as(desk, "stats", "--by", "corridor", "--suppress", "0",
                      "--output", str(target))[0] == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        fill(usb)
        # Using exact counts is audited when they are computed, as an access (kept).
        access = ("view_exact_statistics_used",)
        before = snapshot(data, usb, accesses=access)
        result = run_as(desk, "stats", "--by", "corridor,sex", "--suppress",
                        "0", "--output", str(target))
        refused(result, f"The disk holding {usb}")
        # The earlier export whole, no temp file left.
        assert snapshot(data, usb, accesses=access) == before


def test_forms_render_on_a_full_disk_leaves_no_part_file_and_no_audit(
    seeded: Desk, tmp_path: Path
) -> None:
    desk = copy_desk(seeded, tmp_path / "desk")
    data = desk.data
    with tiny_disk(tmp_path / "usb", "1m") as usb:
        earlier = usb / "earlier.pdf"
        render = ("forms", "render", "--form", "intake_report",
                  "--case", CASE, "--lang", "km", "-o")
        assert run_as(desk, *render, str(earlier))[0] == 0
        assert stat.S_IMODE(earlier.stat().st_mode) == 0o600
        kept = (data / "audit-checkpoints.txt").read_text(encoding="ascii").splitlines()
        assert kept and "form" in kept[-1]  # the delivered printout's checkpoint was kept
        fill(usb)
        before = snapshot(data, usb)
        refused(run_as(desk, *render, str(usb / "report.pdf")), f"The disk holding {usb}")
        # No partial report of a child on the stick, no audit entry and no kept checkpoint for a
        # print that failed: the database and every file (audit-checkpoints.txt too) unchanged.
        assert snapshot(data, usb) == before


def test_outputs_to_a_missing_folder_are_refused_not_created(seeded: Desk, tmp_path: Path) -> None:
    desk = copy_desk(seeded, tmp_path / "desk")
    data = desk.data
    unmounted = tmp_path / "media" / "usb"
    before = snapshot(data)
    for command in (
        ("stats", "--by", "corridor", "--output", str(unmounted / "s.csv")),
        ("forms", "render", "--form", "intake_report", "--case", CASE, "--lang", "lo",
         "-o", str(unmounted / "f.pdf")),
    ):
        refused(run_as(desk, *command),
                f"The folder {unmounted} does not exist (is the USB stick plugged in?)")
    assert not (tmp_path / "media").exists()
    assert snapshot(data) == before


def test_a_plain_desk_with_zero_bytes_free_says_the_disk_is_full(
    seeded: Desk, tmp_path: Path
) -> None:
    with tiny_disk(tmp_path / "disk", "2m") as disk:
        desk = copy_desk(seeded, disk / "desk")
        data = desk.data
        fill(disk)
        before = snapshot(data)
        for command in (("cases", "list"), ("demo", "--cases", "2")):
            refused(run_as(desk, *command),
                    "The disk is full: nothing was written.")
        assert snapshot(data) == before


def test_a_read_only_disk_is_named(seeded: Desk, tmp_path: Path) -> None:
    with tiny_disk(tmp_path / "disk", "2m") as disk:
        desk = copy_desk(seeded, disk / "desk")
        data = desk.data
        assert run_as(desk, "cases", "list")[0] == 0  # settles the WAL
        remount_read_only(disk)
        before = snapshot(data)
        refused(run_as(desk, "demo", "--cases", "2"),
                "The database is on a read-only disk or folder: nothing can be saved.")
        other = copy_desk(seeded, tmp_path / "other")  # a desk elsewhere, exporting to the stick
        refused(run_as(other, "stats", "--by", "sex", "--suppress", "0",
                        "--output", str(disk / "s.csv")), f"{disk / 's.csv'} is on a read-only disk")
        assert snapshot(data) == before


@pytest.mark.parametrize("damage", ["random", "truncated"])
def test_a_damaged_database_file_is_named(seeded: Desk, tmp_path: Path, damage: str) -> None:
    desk = copy_desk(seeded, tmp_path / "desk")
    data = desk.data
    database = data / "repatriation.sqlite3"
    if damage == "random":
        database.write_bytes(os.urandom(64 * 1024))
    else:
        database.write_bytes(database.read_bytes()[:5000])
    before = snapshot(data)
    refused(run_as(desk, "cases", "list"),
            f"The database file {database} is damaged or is not a Repatriation Desk database.")
    assert snapshot(data) == before


def test_an_empty_data_dir_option_is_refused(tmp_path: Path) -> None:
    before = snapshot(ROOT / "repatriation.sqlite3", tmp_path)
    refused(run_cli("--data-dir", "", "cases", "list"),
            "The data folder given with --data-dir is empty: give a folder.")
    refused(run_cli("--data-dir", "  ", "demo"), "--data-dir is empty")
    assert not (Path.cwd() / "repatriation.sqlite3").exists()
    assert snapshot(ROOT / "repatriation.sqlite3", tmp_path) == before


def test_without_a_terminal_a_passphrase_prompt_is_a_sentence(seeded: Desk, tmp_path: Path) -> None:
    desk = copy_desk(seeded, tmp_path / "desk")
    data = desk.data
    before = snapshot(data)
    signed_in = {"REPATRIATION_KEY_PASSPHRASE": ""}  # the key store's passphrase is asked for
    no_password = {**signed_in, "REPATRIATION_PASSWORD": ""}  # the sign-in password is asked for
    for env, command in ((signed_in, ("keys", "generate", "--agency", "Test post")),
                         (signed_in, ("keys", "rotate")), (no_password, ("cases", "list"))):
        done = run_process(desk, *command, env=env)
        assert done.returncode == 2, done.stderr
        assert "No terminal to ask for the password or passphrase" in done.stderr
        assert "Traceback" not in done.stderr and "Warning" not in done.stderr
    assert snapshot(data) == before


def test_piping_into_head_is_silent(seeded: Desk, tmp_path: Path) -> None:
    desk = copy_desk(seeded, tmp_path / "desk")
    data = desk.data
    assert run_as(desk, "demo", "--cases", "3000")[0] == 0
    exported = ("cases_exported",)  # the export is on record before its first row is written
    before = snapshot(data, accesses=exported)
    pipeline = subprocess.run(
        f"'{sys.executable}' main.py --lang en --data-dir '{data}' cases list --format csv "
        f"--user {desk.users[SUPERVISOR]} | head -n 2; echo \"status=${{PIPESTATUS[0]}}\"",
        shell=True, executable="/bin/bash", cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "REPATRIATION_PASSWORD": desk.passwords[desk.users[SUPERVISOR]]},
    )
    lines = pipeline.stdout.splitlines()
    assert lines[0].startswith("reference,full_name") and lines[-1] == "status=141"
    # The demo desk's banner only: no "Broken pipe", no traceback.
    assert pipeline.stderr.splitlines() == [
        "DEMO DESK: fictitious data, not encrypted, demo accounts. Never enter real cases here."]
    assert snapshot(data, accesses=exported) == before


def test_exports_and_the_database_are_private(seeded: Desk, tmp_path: Path) -> None:
    desk = copy_desk(seeded, tmp_path / "desk")
    data = desk.data
    os.chmod(data, 0o755)
    os.chmod(data / "repatriation.sqlite3", 0o644)  # as versions before this one left it
    out = tmp_path / "stats.xlsx"
    assert run_as(desk, "stats", "--by", "sex", "--internal", "--format", "xlsx",
                  "--output", str(out))[0] == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "repatriation.sqlite3").stat().st_mode) == 0o600


def test_a_hostile_bundle_is_one_sentence_without_a_code(seeded: Desk, tmp_path: Path) -> None:
    desk = copy_desk(seeded, tmp_path / "desk")
    hostile = tmp_path / "hostile.vnbundle"
    hostile.write_bytes(b"age-encryption.org/v1\n-> X25519 " + b"A" * (4 << 20) + b"\n")
    before = snapshot(desk.data)
    code, _, err = run_as(desk, "bundle", "import", str(hostile))
    assert code == 2
    assert err.splitlines()[-1] == ("A line of the bundle's header is longer than allowed: the file "
                                    "is damaged or is not a bundle. Nothing was imported.")
    assert "too_large" not in err and "[" not in err
    assert snapshot(desk.data) == before
