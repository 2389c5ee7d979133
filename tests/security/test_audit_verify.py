"""Tamper evidence: edits, deletions, reordering and truncation of the audit log are detected.

On real storage (SQLite and PostgreSQL) a 1,000-entry log is tampered with by plain SQL at
several positions, then restored from a snapshot; an in-memory copy of the chain is tampered
with at every position to show that the first broken link is always the one reported.
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import sessionmaker

from repatriation.domain.actors import Actor, Role
from repatriation.domain.audit_records import AuditHead, AuditRecord
from repatriation.domain.clock import FixedClock
from repatriation.domain.errors import PermissionDenied
from repatriation.services.audit_verify import AuditVerifier, Problem
from repatriation.storage.audit_log import GENESIS_HASH, canonical_entry, chain_hash
from repatriation.storage.audit_queries import SqlAuditReader
from repatriation.storage.database import make_engine, upgrade
from repatriation.storage.unit_of_work import SqlAlchemyUnitOfWork, SqlAlchemyUnitOfWorkFactory

SYSTEM = Actor("chief", Role.SUPERVISOR)
N = 1000
POSITIONS = sorted({1, 2, 3, N // 2, N - 1, N, *random.Random(6).sample(range(4, N - 1), 4)})


@pytest.fixture
def engine(database_url: str, clock: FixedClock) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    factory = SqlAlchemyUnitOfWorkFactory(engine, clock.now)
    # The first entries go through the real appender; the rest are chained the same way in bulk
    # (3,000 single statements would dominate the run on PostgreSQL).
    with factory() as uow:
        for i in range(1, 51):
            uow.audit.append(at=_at(i), actor=f"officer{i % 7}", action="case_viewed", entity="case",
                             reference=f"LC-2026-{i:06d}", details={"n": i, "role": "border_guard"})
        uow.commit()
    with engine.begin() as conn:
        prev = conn.execute(text("SELECT head_hash FROM audit_head")).scalar_one()
        rows = []
        for i in range(51, N + 1):
            fields = (i, _at(i), f"officer{i % 7}", "case_viewed", "case", f"LC-2026-{i:06d}",
                      f'{{"n":{i},"role":"border_guard"}}')
            digest = chain_hash(prev, canonical_entry(*fields))
            rows.append(dict(zip(("sequence", "at", "actor", "action", "entity", "reference", "details"),
                                 fields, strict=True)) | {"prev_hash": prev, "entry_hash": digest})
            prev = digest
        conn.execute(text("INSERT INTO audit_log (sequence, at, actor, action, entity, reference, details, "
                          "prev_hash, entry_hash) VALUES (:sequence, :at, :actor, :action, :entity, "
                          ":reference, :details, :prev_hash, :entry_hash)"), rows)
        conn.execute(text("UPDATE audit_head SET sequence = :s, head_hash = :h"), {"s": N, "h": prev})
    yield engine
    engine.dispose()


def _at(i: int) -> datetime:
    return datetime(2026, 3, 2, 9, 30) + timedelta(seconds=i)


@pytest.fixture
def verifier(engine: Engine, clock: FixedClock) -> AuditVerifier:
    return AuditVerifier(SqlAlchemyUnitOfWorkFactory(engine, clock.now))


@contextlib.contextmanager
def tampered(engine: Engine) -> Iterator[tuple[Connection, AuditVerifier]]:
    """Tamper inside one transaction that is rolled back afterwards; the verifier reads through it."""
    with engine.connect() as conn:
        outer = conn.begin()
        sessions = sessionmaker(bind=conn, join_transaction_mode="create_savepoint")
        now = datetime(2026, 3, 2, 9, 30)
        verifier = AuditVerifier(lambda: SqlAlchemyUnitOfWork(sessions, lambda: now))
        try:
            yield conn, verifier
        finally:
            outer.rollback()


def run_sql(conn: Connection, *statements: str, **params: Any) -> None:
    for statement in statements:
        conn.execute(text(statement), params)


def _rehash(conn: Connection, row: Any, prev: str) -> str:
    at = datetime.fromisoformat(row.at) if isinstance(row.at, str) else row.at
    return chain_hash(prev, canonical_entry(row.sequence, at, row.actor, row.action, row.entity,
                                            row.reference, row.details))


def rehash_from(conn: Connection, start: int) -> None:
    """What a careful forger does: recompute every hash from ``start`` on, and the head."""
    query = text("SELECT * FROM audit_log WHERE sequence >= :s ORDER BY sequence")
    rows = list(conn.execute(query, {"s": start}))
    prev = conn.execute(text("SELECT entry_hash FROM audit_log WHERE sequence = :s"),
                        {"s": start - 1}).scalar_one_or_none() or GENESIS_HASH
    for r in rows:
        digest = _rehash(conn, r, prev)
        conn.execute(text("UPDATE audit_log SET prev_hash = :p, entry_hash = :h WHERE sequence = :s"),
                     {"p": prev, "h": digest, "s": r.sequence})
        prev = digest
    last = conn.execute(text("SELECT max(sequence) FROM audit_log")).scalar_one()
    conn.execute(text("UPDATE audit_head SET sequence = :s, head_hash = :h"), {"s": last, "h": prev})


def fix_own_hash(conn: Connection, position: int) -> None:
    r = conn.execute(text("SELECT * FROM audit_log WHERE sequence = :p"), {"p": position}).one()
    conn.execute(text("UPDATE audit_log SET entry_hash = :h WHERE sequence = :p"),
                 {"h": _rehash(conn, r, r.prev_hash), "p": position})


def test_intact_log_verifies_and_reports_its_head(verifier: AuditVerifier) -> None:
    result = verifier.verify(SYSTEM)
    assert result.ok and result.entries == N and result.last_sequence == N
    head = verifier.head()
    assert head == AuditHead(N, result.last_hash)
    with pytest.raises(PermissionDenied):
        verifier.verify(Actor("lan", Role.BORDER_GUARD))


TAMPERINGS: list[tuple[str, Callable[[Connection, int], None], Callable[[int], tuple[int, str]]]] = [
    ("edit one row", lambda c, p: run_sql(
        c, "UPDATE audit_log SET details = '{\"role\":\"supervisor\"}' WHERE sequence = :p", p=p),
     lambda p: (p, Problem.ENTRY_ALTERED)),
    ("edit the actor", lambda c, p: run_sql(c, "UPDATE audit_log SET actor = 'x' WHERE sequence = :p", p=p),
     lambda p: (p, Problem.ENTRY_ALTERED)),
    ("edit and fix its own hash", lambda c, p: (
        run_sql(c, "UPDATE audit_log SET reference = 'LC-X' WHERE sequence = :p", p=p), fix_own_hash(c, p)),
     lambda p: (p + 1, Problem.LINK_BROKEN) if p < N else (N, Problem.HEAD_MISMATCH)),
    ("delete one row", lambda c, p: run_sql(c, "DELETE FROM audit_log WHERE sequence = :p", p=p),
     lambda p: (p, Problem.ENTRY_MISSING) if p < N else (N, Problem.TRUNCATED)),
    ("truncate from here", lambda c, p: run_sql(c, "DELETE FROM audit_log WHERE sequence >= :p", p=p),
     lambda p: (p, Problem.TRUNCATED)),
    ("swap with the next", lambda c, p: run_sql(
        c, "UPDATE audit_log SET sequence = -1 WHERE sequence = :p",
        "UPDATE audit_log SET sequence = :p WHERE sequence = :q",
        "UPDATE audit_log SET sequence = :q WHERE sequence = -1", p=p, q=p + 1 if p < N else p - 1),
     lambda p: (p, Problem.LINK_BROKEN) if p < N else (N - 1, Problem.LINK_BROKEN)),
]


def test_tampering_at_several_positions_is_detected_and_located(engine: Engine) -> None:
    for name, tamper, where in TAMPERINGS:
        for position in POSITIONS:
            with tampered(engine) as (conn, verifier):
                tamper(conn, position)
                broken = verifier.verify(SYSTEM).broken
                assert broken is not None, (name, position)
                assert (broken.sequence, broken.problem) == where(position), (name, position)
    # The head row itself is checked too.
    with tampered(engine) as (conn, verifier):
        run_sql(conn, "UPDATE audit_head SET head_hash = :h", h="ab" * 32)
        broken = verifier.verify(SYSTEM).broken
        assert broken is not None and broken.problem == Problem.HEAD_MISMATCH
    with tampered(engine) as (conn, verifier):
        run_sql(conn, "DELETE FROM audit_head")
        broken = verifier.verify(SYSTEM).broken
        assert broken is not None and broken.problem == Problem.HEAD_MISSING


def test_a_rewritten_tail_is_caught_only_by_a_remembered_head(
    engine: Engine, verifier: AuditVerifier
) -> None:
    anchor = verifier.head()
    assert anchor is not None and verifier.verify(SYSTEM, anchors=[anchor]).ok
    for position in POSITIONS[:-1]:
        with tampered(engine) as (conn, tampered_verifier):
            run_sql(conn, "DELETE FROM audit_log WHERE sequence > :p", p=position)
            rehash_from(conn, position)
            assert tampered_verifier.verify(SYSTEM).ok  # the chain alone cannot tell
            broken = tampered_verifier.verify(SYSTEM, anchors=[anchor]).broken
            assert broken is not None and (broken.sequence, broken.problem) == (N, Problem.ANCHOR_MISSING)
    # Re-chaining costs one UPDATE per later row: positions near the end keep the test fast.
    for position in (N - 25, N - 1, N):
        with tampered(engine) as (conn, tampered_verifier):
            run_sql(conn, "UPDATE audit_log SET actor = 'forger' WHERE sequence = :p", p=position)
            rehash_from(conn, position)
            assert tampered_verifier.verify(SYSTEM).ok
            broken = tampered_verifier.verify(SYSTEM, anchors=[anchor]).broken
            assert broken is not None and (broken.sequence, broken.problem) == (N, Problem.ANCHOR_MISMATCH)
    assert verifier.verify(SYSTEM, anchors=[anchor]).ok  # every tampering was rolled back


# -- every position, on an in-memory copy of the chain ---------------------------------------------


class MemoryReader:
    genesis_hash = GENESIS_HASH

    def __init__(self, records: list[AuditRecord], head: AuditHead | None) -> None:
        self._records = sorted(records, key=lambda r: r.sequence)
        self._head = head

    def head(self) -> AuditHead | None:
        return self._head

    def case_documents(self) -> Iterator[tuple[str, str]]:
        return iter(())

    def records(self, after: int, limit: int) -> list[AuditRecord]:
        return [r for r in self._records if r.sequence > after][:limit]

    link_hash = staticmethod(SqlAuditReader.link_hash)


def _chain(n: int) -> tuple[list[AuditRecord], AuditHead]:
    records, prev = [], GENESIS_HASH
    for i in range(1, n + 1):
        at = datetime(2026, 1, 1) + timedelta(minutes=i)
        fields = (i, at, f"u{i % 3}", "case_viewed", "case", f"R{i}", f'{{"n":{i}}}')
        digest = chain_hash(prev, canonical_entry(*fields))
        records.append(AuditRecord(*fields, prev_hash=prev, entry_hash=digest))
        prev = digest
    return records, AuditHead(n, prev)


class _Factory:
    """A unit of work whose only store is the audit chain held in memory."""

    def __init__(self, reader: MemoryReader) -> None:
        self.audit_chain = reader

    def __call__(self) -> _Factory:
        return self

    def __enter__(self) -> _Factory:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _verify(records: list[AuditRecord], head: AuditHead | None) -> tuple[int, str] | None:
    factory = _Factory(MemoryReader(records, head))
    verifier = AuditVerifier(factory)  # type: ignore[arg-type]
    broken = verifier.verify(SYSTEM, batch_size=37).broken
    return None if broken is None else (broken.sequence, broken.problem)


def test_every_position_of_a_chain() -> None:
    n = 120
    records, head = _chain(n)
    assert _verify(records, head) is None
    for i in range(n):
        seq = i + 1
        edited = records.copy()
        edited[i] = replace(records[i], details='{"n":0}')
        assert _verify(edited, head) == (seq, Problem.ENTRY_ALTERED)
        deleted = records[:i] + records[i + 1:]
        assert _verify(deleted, head) == ((seq, Problem.ENTRY_MISSING) if seq < n else (n, Problem.TRUNCATED))
        assert _verify(records[:i], head) == (seq, Problem.TRUNCATED)
        if seq < n:
            swapped = records.copy()
            swapped[i] = replace(records[i + 1], sequence=seq)
            swapped[i + 1] = replace(records[i], sequence=seq + 1)
            assert _verify(swapped, head) == (seq, Problem.LINK_BROKEN)


# -- the CLI on a real data directory ----------------------------------------------------------------


def test_cli_audit_verify_reports_a_row_edited_with_sqlite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.cli_kit import demo_desk

    del capsys
    desk = demo_desk(tmp_path / "desk", cases=5)
    code, _, err = desk.run(Role.SUPERVISOR, "audit", "verify")
    assert code == 0 and "Audit log intact" in err
    with sqlite3.connect(desk.data / "repatriation.sqlite3") as conn:
        conn.execute("UPDATE audit_log SET actor = 'someone else' WHERE sequence = 1")
    code, out, err = desk.run(Role.SUPERVISOR, "audit", "verify")
    assert code == 1 and "entry 1 was changed after it was written" in err
    assert '"problem": "entry_altered"' in out
