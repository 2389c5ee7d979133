"""100,000-row CSV and JSON imports through the CLI: peak memory and time, whole process each.

Like for like: ``main.py cases import FILE --user NAME`` (an empty demo desk's supervisor, so
the sign-in's Argon2id is inside) is timed from process start to its exit (the end of the
commit), and its peak RSS is the command's own (``bench/process_peak.py``). References measured
in the same run: peak RSS of the same CLI listing one case (start-up, imports and an open database, no
import), and a plain ``sqlite3`` process inserting the same rows from the CSV (no validation,
no audit, no statistics facts). Goal: peak under 250 MB for both formats.
``BENCH_IMPORT_ROWS`` changes the row count.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.process_peak import measure

ROOT = Path(__file__).resolve().parents[1]
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
Report = Callable[[str, float, float, str], None]
COLUMNS = ("family_name", "middle_name", "given_name", "aliases", "sex", "date_of_birth",
           "ethnic_code", "nationality", "preferred_language", "channel", "corridor",
           "received_on", "place_kind", "gate_code", "place_detail", "address", "province_old",
           "province_new", "notes")
RAW_INSERT = """
import csv, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.execute("PRAGMA journal_mode=WAL"); con.execute("PRAGMA synchronous=FULL")
con.execute("CREATE TABLE t (ref TEXT UNIQUE, " + ", ".join(f"c{i} TEXT" for i in range(19)) + ")")
with open(sys.argv[2], encoding="utf-8", newline="") as handle, con:
    rows = csv.reader(handle)
    next(rows)
    con.executemany("INSERT INTO t VALUES (?" + ",?" * 19 + ")",
                    ((f"R-{n}", *row) for n, row in enumerate(rows)))
"""


def _row(n: int) -> list[str]:
    return ["Nguyễn", "Thị", f"Hoa{n}", "Hoa nhỏ;Bé Hoa", "F", "2011-04-02", "08", "VN", "vi",
            "rescue", "CN", "2026-01-10", "gate", "CN-LAOCAI", "Cửa khẩu quốc tế",
            "Thôn 3, xã Bản Phiệt, huyện Bảo Thắng", "02", "N08",
            "Trẻ được giải cứu cùng hai người khác; đã khám sức khỏe ban đầu tại trạm y tế."]


def _write_files(folder: Path) -> tuple[Path, Path]:
    csv_path, json_path = folder / "cases.csv", folder / "cases.json"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(_row(n) for n in range(ROWS))
    with json_path.open("w", encoding="utf-8") as handle:
        handle.write("[\n")
        for n in range(ROWS):
            handle.write(("" if n == 0 else ",\n")
                         + json.dumps(dict(zip(COLUMNS, _row(n), strict=True)), ensure_ascii=False))
        handle.write("\n]\n")
    return csv_path, json_path


def _measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one whole command (``bench/process_peak.py``)."""
    figures = measure(command, cwd=ROOT, env=env)
    if figures.code != 0:
        raise RuntimeError(f"{command[2:]} failed: {figures.stderr[-400:]}")
    return figures.seconds, figures.peak_mb


def _demo_desk(desk: list[str]) -> str:
    """Create an empty demo desk; the supervisor's printed password."""
    done = subprocess.run([*desk, "demo", "--cases", "0"], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    accounts = dict(line.split("\t")[::2] for line in done.stdout.splitlines())
    return accounts["demo.supervisor"]


def print_mb(name: str, value: float, reference: float, goal: str) -> None:
    """A memory figure in the table's layout (MB instead of ms)."""
    print(f"{name:<58} {value:10.1f} MB  ref {reference:10.1f} MB  x{value / reference:7.2f}  {goal}",
          flush=True)


def run(report: Report) -> None:
    """Import the same rows as CSV and as JSON, each into a new desk, in fresh processes."""
    cli = [sys.executable, "main.py", "--lang", "en"]
    with tempfile.TemporaryDirectory(prefix="bench-import-") as name:
        folder = Path(name)
        csv_path, json_path = _write_files(folder)
        raw_s, raw_mb = _measure([sys.executable, "-c", RAW_INSERT, str(folder / "raw.db"),
                                 str(csv_path)])
        for label, source in (("CSV", csv_path), ("JSON", json_path)):
            desk = [*cli, "--data-dir", str(folder / f"desk-{label}")]
            signed_in = ["--user", "demo.supervisor"], {"REPATRIATION_PASSWORD": _demo_desk(desk)}
            seconds, peak = _measure([*desk, "cases", "import", str(source), *signed_in[0]],
                                    signed_in[1])
            _, idle = _measure([*desk, "cases", "list", "--limit", "1", *signed_in[0]], signed_in[1])
            print_mb(f"import {ROWS:,} {label} rows, CLI process peak RSS (ref: CLI listing 1)",
                     peak, idle, "goal < 250 MB")
            report(f"import {ROWS:,} {label} rows, CLI start to commit ({ROWS / seconds:,.0f}/s)",
                   seconds * 1000, raw_s * 1000, "ref: sqlite3 process, same rows, no checks")
        print(f"   raw sqlite3 insert process peak RSS {raw_mb:.1f} MB", flush=True)
