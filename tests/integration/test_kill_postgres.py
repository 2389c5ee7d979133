"""Kill test on PostgreSQL: SIGKILL a desk mid-write; nothing acknowledged is lost.

After each kill: every commit and import the child acknowledged is on the server, every import
is all or nothing (20 cases or none), and the audit chain has no gap and ends at its head.
The SQLite/SQLCipher version is ``tests/vault/test_kill.py``.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("kill")]
CHILD = Path(__file__).with_name("kill_pg_child.py")
ROOT = Path(__file__).resolve().parents[2]
ROUNDS = int(os.environ.get("KILL_TEST_ROUNDS", "8"))
BATCH = re.compile(r"batch-\d+-\d+")


def _lines(log: Path) -> list[str]:
    return log.read_text().splitlines()


def _kill_after(url: str, seed: int, acks: int, log: Path) -> list[str]:
    with log.open("w") as out:
        child = subprocess.Popen([sys.executable, str(CHILD), url, str(seed)], cwd=ROOT,
                                 stdin=subprocess.PIPE, stdout=out, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while "ready" not in _lines(log):
            assert child.poll() is None and time.monotonic() < deadline, "child did not start"
            time.sleep(0.01)
        assert child.stdin is not None
        child.stdin.write(b"go\n")
        child.stdin.flush()
        while len(_lines(log)) - 1 < acks:
            assert child.poll() is None and time.monotonic() < deadline, "child made no progress"
            time.sleep(0.002)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    return _lines(log)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_sigkill_on_postgres_loses_no_acknowledged_commit(database_url: str, tmp_path: Path) -> None:
    from repatriation.bootstrap import build_services
    from repatriation.config import Settings

    build_services(Settings(data_dir=tmp_path / "schema", database_url=database_url)).close()
    engine = sa.create_engine(database_url)
    rng = random.Random(2026)
    acknowledged: list[str] = []
    try:
        for round_ in range(ROUNDS):
            acknowledged += _kill_after(database_url, round_, rng.randint(1, 12),
                                        tmp_path / f"child-{round_}.log")[1:]
            with engine.connect() as connection:
                rows = connection.exec_driver_sql("SELECT reference, full_name FROM cases").all()
                sequences = connection.exec_driver_sql(
                    "SELECT sequence FROM audit_log ORDER BY sequence").scalars().all()
                head = connection.exec_driver_sql("SELECT sequence FROM audit_head").scalar()
            refs = {r[0] for r in rows}
            committed = {line.split()[1] for line in acknowledged if line.startswith("committed ")}
            assert committed <= refs, f"lost acknowledged commits: {sorted(committed - refs)[:5]}"
            per_batch = Counter(m.group(0) for _, name in rows if (m := BATCH.search(name)))
            assert set(per_batch.values()) <= {20}, f"partial import: {per_batch}"
            imported = {line.split()[1] for line in acknowledged if line.startswith("imported ")}
            assert imported <= set(per_batch), "an acknowledged import is missing"
            assert sequences == list(range(1, len(sequences) + 1)), "a gap in the audit chain"
            assert (head or 0) == len(sequences)
    finally:
        engine.dispose()
    assert len(acknowledged) >= ROUNDS
