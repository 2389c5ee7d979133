"""The tamper suite: a 1,000-entry log with signed checkpoints and covered case rows, attacked by SQL.

Every tampering attack on SQLite and PostgreSQL: edit, delete, swap, a forged insert with every
later hash recomputed, a tail cut with the head rewritten, a full wipe, a case row edited or
deleted directly, and a restore of an older backup over a newer database. Each is reported with
its first bad point; the untouched log stays intact. Checkpoints are issued at entries 250
(form), 500 (backup), 750 (bundle) and 1,000 (daily).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, text

from repatriation.crypto.key_adapter import PostKeyCrypto
from repatriation.crypto.keys import PostIdentity
from repatriation.domain import audit_checkpoint as cp
from repatriation.domain.actors import Actor, Role
from repatriation.domain.clock import FixedClock
from repatriation.services.audit import record_action
from repatriation.services.audit_verify import AuditVerifier, CaseMismatch, CaseProblem, Problem
from repatriation.services.checkpoints import CheckpointService, issued_anchors
from repatriation.storage.audit_log import canonical_entry, chain_hash
from repatriation.storage.database import make_engine, upgrade
from repatriation.storage.unit_of_work import SqlAlchemyUnitOfWorkFactory
from tests.security.full_case import full_case
from tests.security.test_audit_verify import rehash_from, run_sql, tampered

SYSTEM = Actor("chief", Role.SUPERVISOR)  # no maintenance actor: a supervisor verifies
N = 1000
CASES = 20
STAGES = ((250, "form"), (500, "backup"), (750, "bundle"), (N, "daily"))


def _at(i: int) -> datetime:
    return datetime(2026, 3, 2, 9, 30) + timedelta(seconds=i)


def extend_to(engine: Engine, n: int) -> None:
    """Chain ``case_viewed`` entries up to sequence ``n`` in bulk, as the appender would."""
    with engine.begin() as conn:
        start, prev = conn.execute(text("SELECT sequence, head_hash FROM audit_head")).one()
        rows = []
        for i in range(start + 1, n + 1):
            fields = (i, _at(i), f"officer{i % 7}", "case_viewed", "case",
                      f"LC-2026-{i % CASES + 1:06d}", f'{{"n":{i},"role":"border_guard"}}')
            digest = chain_hash(prev, canonical_entry(*fields))
            rows.append(dict(zip(("sequence", "at", "actor", "action", "entity", "reference",
                                  "details"), fields, strict=True))
                        | {"prev_hash": prev, "entry_hash": digest})
            prev = digest
        conn.execute(text(
            "INSERT INTO audit_log (sequence, at, actor, action, entity, reference, details, "
            "prev_hash, entry_hash) VALUES (:sequence, :at, :actor, :action, :entity, :reference, "
            ":details, :prev_hash, :entry_hash)"), rows)
        conn.execute(text("UPDATE audit_head SET sequence = :s, head_hash = :h"), {"s": n, "h": prev})


@pytest.fixture
def desk(database_url: str, tmp_path: Path) -> Iterator[tuple[Engine, CheckpointService]]:
    """Cases written through the real repository and audit, then checkpoints along the log."""
    engine = make_engine(database_url)
    upgrade(engine)
    clock = FixedClock(_at(0))
    factory = SqlAlchemyUnitOfWorkFactory(engine, clock.now)
    with factory() as uow:
        for i in range(1, CASES + 1):
            uow.cases.add(full_case(f"LC-2026-{i:06d}", variant=1 + i % 2))
            record_action(uow, SYSTEM, _at(i), "case_created", "case", f"LC-2026-{i:06d}")
        uow.commit()
    service = CheckpointService(factory, clock, tmp_path / "desk", PostKeyCrypto())
    identity = PostIdentity.generate("Đồn Biên phòng Cửa khẩu Lào Cai", _at(0))
    for stop, reason in STAGES:
        extend_to(engine, stop)
        clock.current = _at(stop)
        service.issue(reason, identity)
    yield engine, service
    engine.dispose()


def verify(
    conn_verifier: AuditVerifier, service: CheckpointService
) -> tuple[object, tuple[CaseMismatch, ...]]:
    # ``tampered`` builds a verifier without checkpoints; give it the desk's own.
    verifier = AuditVerifier(conn_verifier._uow_factory,
                             lambda: issued_anchors(service))
    result = verifier.verify(SYSTEM)
    broken = None if result.broken is None else (result.broken.sequence, result.broken.problem)
    return broken, result.cases


def forge_insert(conn: Connection, position: int) -> None:
    """Shift every entry from ``position`` up by one, put a forged entry there, re-chain the rest."""
    run_sql(conn, "UPDATE audit_log SET sequence = -sequence WHERE sequence >= :p", p=position)
    run_sql(conn, "UPDATE audit_log SET sequence = 1 - sequence WHERE sequence < 0")
    run_sql(conn, "INSERT INTO audit_log (sequence, at, actor, action, entity, reference, details, "
            "prev_hash, entry_hash) VALUES (:p, :at, 'forger', 'case_viewed', 'case', 'LC-X', '{}', "
            "'', '')", p=position, at=_at(position))
    rehash_from(conn, position)


def cut_tail(conn: Connection, position: int) -> None:
    run_sql(conn, "DELETE FROM audit_log WHERE sequence > :p", p=position)
    rehash_from(conn, position)  # the head row now names entry ``position``: consistent


def wipe(conn: Connection, position: int) -> None:
    run_sql(conn, "DELETE FROM audit_log", "DELETE FROM audit_head")


def test_untouched_log_is_intact(desk: tuple[Engine, CheckpointService]) -> None:
    engine, service = desk
    with tampered(engine) as (_conn, verifier):
        broken, cases = verify(verifier, service)
        assert broken is None and cases == ()
    assert len(service.issued()) == len(STAGES) and all(service.genuine(c) for c in service.issued())


@pytest.mark.parametrize(("name", "position", "expected"), [
    ("edit", 600, (600, Problem.ENTRY_ALTERED)),
    ("delete", 321, (321, Problem.ENTRY_MISSING)),
    ("swap", 10, (10, Problem.LINK_BROKEN)),
    ("forged insert", 600, (750, Problem.REWRITTEN)),
    ("tail cut, head rewritten", 620, (621, Problem.CUT_BACK)),
    ("full wipe", 0, (1, Problem.WIPED)),
])
def test_log_attacks_are_reported_at_their_first_bad_point(
    desk: tuple[Engine, CheckpointService], name: str, position: int, expected: tuple[int, str]
) -> None:
    engine, service = desk
    attacks = {
        "edit": lambda c, p: run_sql(c, "UPDATE audit_log SET actor = 'x' WHERE sequence = :p", p=p),
        "delete": lambda c, p: run_sql(c, "DELETE FROM audit_log WHERE sequence = :p", p=p),
        "swap": lambda c, p: run_sql(
            c, "UPDATE audit_log SET sequence = -1 WHERE sequence = :p",
            "UPDATE audit_log SET sequence = :p WHERE sequence = :q",
            "UPDATE audit_log SET sequence = :q WHERE sequence = -1", p=p, q=p + 1),
        "forged insert": forge_insert,
        "tail cut, head rewritten": cut_tail,
        "full wipe": wipe,
    }
    with tampered(engine) as (conn, verifier):
        attacks[name](conn, position)
        broken, cases = verify(verifier, service)
        assert broken == expected, name
        if name == "full wipe":  # the cases remain, but nothing says they were written
            assert {c.problem for c in cases} == {CaseProblem.UNRECORDED} and len(cases) == CASES


def test_a_forged_insert_is_located_between_two_checkpoints(
    desk: tuple[Engine, CheckpointService],
) -> None:
    engine, service = desk
    with tampered(engine) as (conn, verifier):
        forge_insert(conn, 600)
        result = AuditVerifier(verifier._uow_factory,
                               lambda: issued_anchors(service)).verify(SYSTEM)
        assert result.broken is not None and result.broken.anchor is not None
        assert (result.broken.since, result.broken.sequence) == (501, 750)
        assert result.broken.anchor.reason == "bundle"


def test_case_rows_edited_or_deleted_directly_are_named(
    desk: tuple[Engine, CheckpointService],
) -> None:
    engine, service = desk
    with tampered(engine) as (conn, verifier):
        document = conn.execute(text("SELECT document FROM cases WHERE reference = 'LC-2026-000007'")
                                ).scalar_one()
        changed = json.loads(document)
        changed["person"]["full_name"] = "Someone Else"
        run_sql(conn, "UPDATE cases SET document = :d WHERE reference = 'LC-2026-000007'",
                d=json.dumps(changed))
        # Verification requests and statistics rows go with it (ON DELETE CASCADE).
        run_sql(conn, "DELETE FROM cases WHERE reference = 'LC-2026-000012'")
        broken, cases = verify(verifier, service)
        assert broken is None
        assert cases == (CaseMismatch("LC-2026-000007", CaseProblem.CHANGED),
                         CaseMismatch("LC-2026-000012", CaseProblem.DELETED))


def test_an_older_backup_restored_over_a_newer_database_is_reported(
    desk: tuple[Engine, CheckpointService],
) -> None:
    engine, service = desk
    with tampered(engine) as (conn, verifier):
        cut_tail(conn, 500)  # the database as the backup at entry 500 held it
        run_sql(conn, "INSERT INTO audit_log (sequence, at, actor, action, entity, reference, "
                "details, prev_hash, entry_hash) VALUES (501, :at, 'chief', 'database_restored', "
                "'database', 'db', '{}', '', '')", at=_at(2000))
        rehash_from(conn, 501)
        result = AuditVerifier(verifier._uow_factory,
                               lambda: issued_anchors(service)).verify(SYSTEM)
        broken = result.broken
        assert broken is not None and (broken.sequence, broken.problem) == (502, Problem.ROLLED_BACK)
        assert broken.backup is not None and broken.backup.sequence == 500
        assert broken.anchor is not None and broken.anchor.sequence == 750


# -- the real CLI path -------------------------------------------------------------------------------


def test_cli_reports_a_cut_tail_and_a_case_edited_outside_the_application(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    import main as entry
    from tests.cli_kit import demo_desk

    desk = demo_desk(tmp_path / "desk", cases=30)
    monkeypatch.setenv("REPATRIATION_PASSWORD", desk.passwords[desk.users[Role.SUPERVISOR]])
    data = ["--data-dir", str(tmp_path / "desk"), "--lang", "en", "--user", desk.users[Role.SUPERVISOR]]
    capsys.readouterr()
    assert entry.main([*data, "audit", "verify"]) == 0
    assert "Audit log intact" in capsys.readouterr().err
    database = tmp_path / "desk" / "repatriation.sqlite3"
    with sqlite3.connect(database) as db:
        references = [r for (r,) in db.execute("SELECT reference FROM cases ORDER BY id LIMIT 3")]
    for reference in references:  # each opening of a case is an audit entry
        assert entry.main([*data, "cases", "show", reference]) == 0
    capsys.readouterr()
    assert entry.main([*data, "audit", "checkpoint"]) == 0
    checkpoint_line = capsys.readouterr().out.strip()
    assert checkpoint_line.startswith("cp1.") and (tmp_path / "desk" / "audit-checkpoints.txt").exists()
    # Cut the last two entries the checkpoint covers. (Cutting only the last sign-in is not enough:
    # the sign-in for `audit verify` can write a byte-identical entry back in the same second.)
    last = cp.parse(checkpoint_line).sequence
    with sqlite3.connect(database) as db:
        db.execute("DELETE FROM audit_log WHERE sequence >= ?", (last - 1,))
        prev = db.execute("SELECT entry_hash FROM audit_log WHERE sequence = ?", (last - 2,)).fetchone()[0]
        db.execute("UPDATE audit_head SET sequence = ?, head_hash = ?", (last - 2, prev))
        document = json.loads(db.execute("SELECT document FROM cases WHERE reference = ?",
                                         (references[1],)).fetchone()[0])
        document["person"]["full_name"] = "Somebody Else"
        db.execute("UPDATE cases SET document = ? WHERE reference = ?",
                   (json.dumps(document), references[1]))
    assert entry.main([*data, "audit", "verify"]) == 1
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    # Signing in to run `audit verify` appends one entry, so the log ends one short of the
    # checkpoint taken at `last`: cut back from there.
    assert report["broken"]["problem"] == "cut_back" and report["broken"]["sequence"] == last
    assert f"covered entry {last}: entries from {last} on were cut off" in captured.err
    assert report["cases"] == [{"reference": references[1], "problem": "case_changed"}]
    assert f"case {references[1]} was changed outside the application" in captured.err


def test_a_real_backup_restored_over_newer_data_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import main as entry
    from repatriation.bootstrap import build_services
    from repatriation.config import Settings
    from repatriation.vault import PasswordCredentials
    from tests.vault.helpers import OFFICER, draft, services_for

    monkeypatch.setenv("REPATRIATION_PASSWORD", "correct horse battery")
    data = ["--lang", "en", "--data-dir", str(tmp_path / "desk")]
    plain = services_for(tmp_path / "desk", None)  # a desk used before set-up: plain SQLite
    try:
        for n in range(10):
            plain.cases.open_case(OFFICER, draft(n))
    finally:
        plain.close()
    assert entry.main([*data, "setup", "--user", "chief", "--kdf-memory-mib", "19",
                       "--kdf-iterations", "2"]) == 0
    backup = tmp_path / "usb" / "desk.rdbak"
    backup.parent.mkdir()  # the stick is mounted: a missing folder is refused, never created
    assert entry.main([*data, "backup", "create", str(backup), "--user", "chief"]) == 0
    credentials = PasswordCredentials("chief", "correct horse battery")
    settings = Settings(data_dir=tmp_path / "desk")
    services = build_services(settings, credentials=credentials)
    try:
        assert services.audit.verify(SYSTEM).ok  # the backup's checkpoint matches
        with services.uow_factory() as uow:  # the desk goes on being used after the backup
            for i in range(5):
                record_action(uow, SYSTEM, services.clock.now(), "case_viewed", "case", f"LC-{i}")
            uow.commit()
        services.checkpoints.issue("manual")
    finally:
        services.close()
    assert entry.main([*data, "backup", "restore", str(backup), "--user", "chief"]) == 0
    capsys.readouterr()
    services = build_services(settings, credentials=credentials)
    try:
        result = services.audit.verify(SYSTEM)
    finally:
        services.close()
    broken = result.broken
    assert broken is not None and broken.problem == Problem.ROLLED_BACK, broken
    assert broken.backup is not None and broken.backup.reason == "backup"
    assert broken.anchor is not None and broken.anchor.reason == "manual"
