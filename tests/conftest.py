"""Shared fixtures: offscreen Qt, a fixed clock, fakes, and real SQLite and PostgreSQL engines."""

from __future__ import annotations

import itertools
import os
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from repatriation.domain.clock import FixedClock
from tests.fakes import FakeDatabase, FakeReference
from tests.pg_server import PgServer, find_pg_bin

REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
_db_names = itertools.count(1)


@pytest.fixture
def clock() -> FixedClock:
    """A clock fixed at 2026-03-02 09:30."""
    return FixedClock(datetime(2026, 3, 2, 9, 30))


@pytest.fixture
def fake_reference() -> FakeReference:
    return FakeReference()


@pytest.fixture
def fake_db() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer | None]:
    """One throwaway PostgreSQL cluster for the whole run (None when PostgreSQL is absent)."""
    bin_dir = find_pg_bin()
    if bin_dir is None:
        if REQUIRE_POSTGRES:
            pytest.fail("PostgreSQL is required (REQUIRE_POSTGRES=1) but initdb was not found")
        yield None
        return
    server = PgServer.start(bin_dir)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: an SQLite file, then a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+pysqlite:///{tmp_path / 'test.sqlite3'}"
        return
    server: PgServer | None = request.getfixturevalue("pg_server")
    if server is None:
        pytest.skip("PostgreSQL not installed (set REQUIRE_POSTGRES=1 to make this an error)")
    import sqlalchemy as sa

    name = f"t{os.getpid()}_{next(_db_names)}"
    admin = sa.create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield server.url(name)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return reason.removeprefix("Skipped: ").strip()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """End the run with one line: which groups were skipped and why.

    A newcomer without ``age`` or PostgreSQL used to learn it only from scattered skip lines; this
    line names each reason once with its count, and how to install what is missing.
    """
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if hasattr(r, "longrepr")]
    if not skipped:
        terminalreporter.write_line("Skipped: none.")
        return
    reasons = Counter(_skip_reason(r) for r in skipped)
    groups = "; ".join(f"{reason} ({count})" for reason, count in reasons.most_common())
    # The hint only when a skip says something is missing (a tool, a server, a package).
    missing = any("install" in reason.lower() or "not found" in reason.lower() for reason in reasons)
    hint = " Install the system packages with: sudo make system-deps" if missing else ""
    tests = "test" if len(skipped) == 1 else "tests"
    terminalreporter.write_line(f"Skipped {len(skipped)} {tests}: {groups}.{hint}")
