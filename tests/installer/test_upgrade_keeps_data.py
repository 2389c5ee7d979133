"""A database at the previous release's schema (0001_initial) is backed up, then migrated, losing nothing.

The fixture database is built in the test: the schema at ``0001_initial`` through Alembic, and
its rows copied by plain SQL from a database the current build filled with fictitious cases
(only the tables and columns that exist at 0001). The new build then upgrades it on start.
"""

from __future__ import annotations

import secrets
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from repatriation.bootstrap import build_services
from repatriation.config import Settings
from repatriation.domain.actors import Actor, Role
from repatriation.storage import sqlcipher
from repatriation.storage.database import (
    current_revision,
    head_revision,
    make_engine,
    sqlite_url,
    table_names,
    upgrade,
)
from repatriation.storage.upgrade import upgrade_with_backup

OLD = "0001_initial"
NOW = datetime(2026, 11, 24, 23, 30, 5)
CASES = 12


def all_cases(services):
    with services.uow_factory() as uow:
        refs = sorted(uow.cases.references_with_prefix(""))
        return {ref: uow.cases.get(ref) for ref in refs}


@pytest.fixture(scope="module")
def current_db(tmp_path_factory) -> tuple[Path, dict]:
    """A database of the current build with fictitious demo cases, and those cases as loaded."""
    data_dir = tmp_path_factory.mktemp("current")
    services = build_services(Settings(data_dir=data_dir))
    try:
        assert services.demo.seed(Actor("chief", Role.SUPERVISOR), CASES) == CASES
        cases = all_cases(services)
    finally:
        services.close()
    assert len(cases) == CASES
    return data_dir / "repatriation.sqlite3", cases


def copy_rows(con, source: Path, encrypted: bool = False) -> None:
    """Copy every row the 0001 schema can hold from ``source`` into the connection's database."""
    # SQLCipher: KEY '' attaches the plain source (without it, the main key is tried).
    con.execute("ATTACH DATABASE ? AS src" + (" KEY ''" if encrypted else ""), (str(source),))
    rows = con.execute(
        "SELECT name, sql FROM main.sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "AND name != 'alembic_version'"
    ).fetchall()
    virtual = [name for name, sql in rows if sql.upper().startswith("CREATE VIRTUAL")]
    # Full-text shadow tables are filled by inserting into their virtual table, not directly.
    old_tables = [name for name, _sql in rows if not any(name.startswith(v + "_") for v in virtual)]
    copied = 0
    for table in old_tables:
        old_cols = [r[1] for r in con.execute(f'PRAGMA main.table_info("{table}")')]
        src_cols = {r[1] for r in con.execute(f'PRAGMA src.table_info("{table}")')}
        cols = ", ".join(f'"{c}"' for c in old_cols if c in src_cols)
        if cols:
            con.execute(f'INSERT INTO main."{table}" ({cols}) SELECT {cols} FROM src."{table}"')
            copied += 1
    con.commit()
    con.execute("DETACH DATABASE src")
    assert copied >= 3


def make_old_plain(data_dir: Path, source: Path):
    engine = make_engine(sqlite_url(data_dir))
    upgrade(engine, OLD)
    engine.dispose()
    with sqlite3.connect(data_dir / "repatriation.sqlite3") as con:
        copy_rows(con, source)
    con.close()
    return make_engine(sqlite_url(data_dir))


def check_migrated(engine, data_dir: Path, expected: dict, report, key: bytes | None) -> None:
    assert report.from_revision == OLD
    assert report.to_revision == head_revision() == current_revision(engine)
    assert report.upgraded
    # The backup: in data_dir/backups, named after the old revision and the time, at the old schema.
    backup = report.backup
    assert backup is not None and backup.parent == data_dir / "backups"
    assert backup.name == "pre-upgrade-0001_initial-20261124T233005.sqlite3"
    with sqlcipher.opened(backup, key) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == OLD
        assert con.execute("SELECT count(*) FROM cases").fetchone()[0] == len(expected)
    # Every case still loads through the new build and equals what was put in.
    services = build_services(Settings(data_dir=data_dir), engine=engine, migrate=False)
    try:
        assert all_cases(services) == expected
    finally:
        services.close()
    assert "user_accounts" in table_names(engine)


def test_plain_database_from_previous_release(tmp_path: Path, current_db):
    source, expected = current_db
    engine = make_old_plain(tmp_path, source)
    assert current_revision(engine) == OLD
    assert "user_accounts" not in table_names(engine)

    report = upgrade_with_backup(engine, tmp_path, NOW)
    check_migrated(engine, tmp_path, expected, report, None)
    # The statistics backfill of 0004 saw every old case.
    with sqlite3.connect(tmp_path / "repatriation.sqlite3") as con:
        assert con.execute("SELECT count(*) FROM case_statistics").fetchone()[0] == len(expected)
    con.close()

    again = upgrade_with_backup(engine, tmp_path, NOW)  # the next start: nothing to do, no copy
    assert not again.upgraded and again.backup is None
    assert len(list((tmp_path / "backups").iterdir())) == 1
    engine.dispose()


def test_encrypted_database_is_backed_up_encrypted(tmp_path: Path, current_db):
    source, expected = current_db
    key = secrets.token_bytes(32)
    path = tmp_path / "repatriation.sqlite3"
    engine = sqlcipher.make_encrypted_engine(path, key)
    upgrade(engine, OLD)
    engine.dispose()
    with sqlcipher.opened(path, key) as con:
        con.execute("BEGIN")
        copy_rows(con, source, encrypted=True)
    assert sqlcipher.file_kind(path) == "encrypted"

    report = upgrade_with_backup(engine, tmp_path, NOW, database_key=key)
    assert report.backup is not None
    assert sqlcipher.file_kind(report.backup) == "encrypted"  # never a plaintext copy
    assert not sqlcipher.key_opens(report.backup, secrets.token_bytes(32))
    check_migrated(engine, tmp_path, expected, report, key)
    engine.dispose()


def test_a_new_empty_database_needs_no_backup(tmp_path: Path):
    engine = make_engine(sqlite_url(tmp_path))
    report = upgrade_with_backup(engine, tmp_path, NOW)
    assert report.from_revision is None and report.backup is None
    assert current_revision(engine) == head_revision()
    assert not (tmp_path / "backups").exists()
    engine.dispose()
