"""Foundation benchmarks at 100,000 cases: name search, a filtered list page, CSV import of 10,000.

Each figure is printed beside the same work done with raw ``sqlite3`` in the same run.
"""

from __future__ import annotations

import csv
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from repatriation.bootstrap import build_services
from repatriation.config import Settings
from repatriation.domain.actors import Actor, Role
from repatriation.domain.enums import CaseStatus, Corridor
from repatriation.services.results import CaseQuery

READER = Actor("chief", Role.SUPERVISOR)  # benches act as a signed-in supervisor

CASES = 100_000
IMPORT_ROWS = 10_000
Report = Callable[[str, float, float, str], None]


def _median_ms(work: Callable[[], object], repeat: int = 15) -> float:
    work()  # warm caches the way an officer's second search would find them
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _write_import_csv(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "family_name",
                "middle_name",
                "given_name",
                "sex",
                "date_of_birth",
                "channel",
                "corridor",
                "received_on",
                "ethnic_code",
                "gate_code",
            ]
        )
        for n in range(IMPORT_ROWS):
            writer.writerow(
                [
                    "Nguyễn",
                    "Thị",
                    f"Hoa{n}",
                    "F",
                    "2011-04-02",
                    "rescue",
                    "CN",
                    "2026-01-10",
                    "08",
                    "CN-LAOCAI",
                ]
            )


def _raw_import(db: Path, csv_path: Path) -> None:
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute(
        "CREATE TABLE IF NOT EXISTS raw_cases (ref TEXT UNIQUE, family TEXT, middle TEXT, given TEXT, "
        "sex TEXT, dob TEXT, channel TEXT, corridor TEXT, received TEXT, ethnic TEXT, gate TEXT)"
    )
    with csv_path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    with con:
        con.executemany(
            "INSERT INTO raw_cases VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [(f"R-{i}", *r) for i, r in enumerate(rows)],
        )
    con.close()


def run(report: Report) -> None:
    """Build the database, then measure the three figures of the foundation issue."""
    with tempfile.TemporaryDirectory(prefix="rd-bench-") as tmp:
        data = Path(tmp) / "desk"
        services = build_services(Settings(data_dir=data))
        started = time.perf_counter()
        for _ in range(CASES // 10_000):
            services.demo.seed(READER, 10_000, seed=int(time.time_ns() % 10_000))
        print(f"   built {services.cases.count(READER)} cases in {time.perf_counter() - started:.1f} s")
        raw = sqlite3.connect(data / "repatriation.sqlite3")

        search = CaseQuery(text="nguyen thi hong", limit=200)
        ours = _median_ms(lambda: services.cases.list_cases(search, READER))
        # The same work by hand: the FTS5 token-prefix match, a capped count and the page.
        match = "SELECT rowid FROM case_search WHERE case_search MATCH '\"nguyen\" \"thi\" \"hong\"*'"
        sql = (
            "SELECT reference, full_name, sex, approx_birth_date, corridor, channel, status, screening, "
            "received_on, gate_code, ethnic_code, next_due, batch_reference FROM cases "
            f"WHERE id IN ({match}) ORDER BY received_on DESC, id DESC LIMIT 200"
        )
        count_sql = f"SELECT count(*) FROM (SELECT id FROM cases WHERE id IN ({match}) LIMIT 5001)"

        def raw_search() -> None:
            raw.execute(count_sql).fetchone()
            raw.execute(sql).fetchall()

        hits = services.cases.list_cases(search, READER).total
        report(
            f"name search 'nguyen thi hong' ({hits} hits) at 100k",
            ours,
            _median_ms(raw_search),
            "goal < 50 ms",
        )

        page = CaseQuery(corridor=Corridor.CHINA, status=CaseStatus.VERIFICATION, limit=200)
        ours = _median_ms(lambda: services.cases.list_cases(page, READER))
        page_sql = (
            "SELECT reference, full_name, sex, approx_birth_date, corridor, channel, status, screening, "
            "received_on, gate_code, ethnic_code, next_due, batch_reference FROM cases "
            "WHERE corridor = 'CN' AND status = 'verification' ORDER BY received_on DESC, id DESC LIMIT 200"
        )

        def raw_page() -> None:
            raw.execute(
                "SELECT count(*) FROM cases WHERE corridor = 'CN' AND status = 'verification'"
            ).fetchone()
            raw.execute(page_sql).fetchall()

        report("filtered list page, 200 rows (CN, verification)", ours, _median_ms(raw_page), "goal < 30 ms")
        raw.close()

        csv_path = Path(tmp) / "import.csv"
        _write_import_csv(csv_path)
        started = time.perf_counter()
        services.imports.import_file(READER, csv_path)
        ours_s = time.perf_counter() - started
        started = time.perf_counter()
        _raw_import(Path(tmp) / "raw.sqlite3", csv_path)
        raw_s = time.perf_counter() - started
        rate = IMPORT_ROWS / ours_s
        report(
            f"import 10,000 cases from CSV ({rate:,.0f} cases/s)",
            ours_s * 1000,
            raw_s * 1000,
            "goal >= 2,000 cases/s",
        )
        services.close()
