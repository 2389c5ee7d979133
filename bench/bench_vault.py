"""Vault benchmarks: unlock cost, encrypted vs plain search, backup, rekey, and the 200-kill test.

Each figure is printed beside a reference measured in the same run (plain SQLite, a file copy,
the OWASP-floor KDF). The kill test runs ``tests/vault/test_kill.py`` with 200 kills.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from repatriation.bootstrap import build_services
from repatriation.config import Settings
from repatriation.domain.actors import Actor, Role
from repatriation.domain.clock import SystemClock
from repatriation.services.backups import BackupService
from repatriation.services.results import CaseQuery
from repatriation.vault import DEFAULT_KDF, KdfParams, PasswordCredentials, Vault, VaultBackupBackend

READER = Actor("chief", Role.SUPERVISOR)  # benches act as a signed-in supervisor

CASES = 5_000
KILLS = int(os.environ.get("KILL_TEST_ROUNDS", "200"))
ROOT = Path(__file__).resolve().parents[1]
Report = Callable[[str, float, float, str], None]
PASSWORD = "benchmark password"


def _ms(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def _median_ms(work: Callable[[], object], repeat: int = 9) -> float:
    work()
    return statistics.median(_ms(work) for _ in range(repeat))


def _seeded(path: Path) -> None:
    services = build_services(Settings(data_dir=path))
    services.demo.seed(READER, CASES, 2026)
    services.close()


def run(report: Report) -> None:
    """Measure and report."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        plain, encrypted = root / "plain", root / "encrypted"
        _seeded(plain)
        shutil.copytree(plain, encrypted)
        vault = Vault(encrypted)
        setup_ms = _ms(lambda: vault.setup("chief", PASSWORD))
        report(f"setup: convert {CASES} cases to SQLCipher", setup_ms, _ms(lambda: shutil.copytree(
            plain, root / "copy")), "reference: plain directory copy")
        credentials = PasswordCredentials("chief", PASSWORD)
        floor = Vault(root / "floor")
        floor.setup("chief", PASSWORD, kdf=KdfParams(memory_kib=19 * 1024, iterations=2, lanes=1))
        report(
            f"unlock, Argon2id {DEFAULT_KDF.memory_kib // 1024} MiB t={DEFAULT_KDF.iterations}",
            _median_ms(lambda: vault.unlock(credentials), 5),
            _median_ms(lambda: floor.unlock(credentials), 5),
            "goal 500-1000 ms on the reference laptop; ref: OWASP floor 19 MiB t=2",
        )
        unlocked = vault.unlock(credentials)
        secure = build_services(Settings(data_dir=encrypted), engine=unlocked.engine())
        clear = build_services(Settings(data_dir=plain))
        query = CaseQuery(text="nguyen thi", limit=50)
        report(
            "name search page, SQLCipher vs plain",
            _median_ms(lambda: secure.cases.list_cases(query, READER)),
            _median_ms(lambda: clear.cases.list_cases(query, READER)),
            "goal p95 < 300 ms at 100k",
        )
        secure.close()
        clear.close()
        backups = BackupService(VaultBackupBackend(vault, unlocked, credentials), SystemClock(), encrypted)
        target = root / "out" / "b.rdbak"
        copy_ms = _ms(lambda: shutil.copy(unlocked.vault.db_path, root / "db.copy"))
        report(f"backup create + verify, {CASES} cases", _ms(lambda: backups.create(target)), copy_ms,
               "reference: plain file copy")
        report(f"backup restore, {CASES} cases", _ms(lambda: backups.restore(target)), copy_ms, "")
        report(f"rekey {CASES} cases", _ms(unlocked.rotate_key), copy_ms, "reference: plain file copy")
    _kill_test(report)
    _setup_kill_test(report)


def _run_kill_test(test: str, env_name: str, kills: int, marker: str) -> float:
    """Run one kill test with all its rounds; returns the time per kill in ms."""
    env = {**os.environ, env_name: str(kills)}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", test],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    total_ms = (time.perf_counter() - started) * 1000
    summary = next((line for line in done.stdout.splitlines() if marker in line), done.stdout[-300:])
    print(summary, flush=True)
    if done.returncode != 0:
        raise RuntimeError(f"{test} failed:\n{done.stdout[-3000:]}")
    return total_ms / kills


def _child_start_ms() -> float:
    child = [sys.executable, "-c", "import repatriation.bootstrap"]
    return _ms(lambda: subprocess.run(child, check=True))


def _kill_test(report: Report) -> None:
    per_kill = _run_kill_test("tests/vault/test_kill.py", "KILL_TEST_ROUNDS", KILLS, "kills in")
    report(f"kill test: {KILLS} SIGKILLs, all invariants held (per kill)", per_kill, _child_start_ms(),
           "reference: one child start-up")


def _setup_kill_test(report: Report) -> None:
    """All 50 SIGKILLs of ``main.py setup`` (the suite may stop early on a loaded machine)."""
    test = "tests/vault/test_setup_atomic.py::test_sigkill_during_setup_never_locks_the_data_out"
    per_kill = _run_kill_test(test, "SETUP_KILLS", 50, "setup kills")
    report("setup kill test: 50 SIGKILLs, never locked out (per kill)", per_kill, _child_start_ms(),
           "reference: one child start-up")
