"""``setup`` is all or nothing: refusals change no byte, and 50 SIGKILLs never lock the data out.

Each kill round starts a real ``python main.py setup`` on a copy of a plain demo desk and
SIGKILLs it at a random moment (most of them once the staged database has appeared, where the
interesting steps are). Afterwards the directory is either as it was (the plain database byte
for byte, no key file) or the password opens it, with the first supervisor's account inside.
"""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text

import main as entry
from repatriation.bootstrap import build_services
from repatriation.config import Settings
from repatriation.domain.actors import Actor, Role
from repatriation.storage import sqlcipher
from repatriation.vault import KEYSLOTS_FILE, PasswordCredentials, RecoveryCredentials, Vault

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
KDF = ("--kdf-memory-mib", "19", "--kdf-iterations", "2")
KILLS = int(os.environ.get("SETUP_KILLS", "50"))
# The 50 kills take ~40 s on an idle 2-core machine; on a loaded one the suite stops after its
# budget (at least MIN_KILLS). ``make bench`` (or SETUP_KILLS set) always does every round.
BUDGET_S = float("inf") if "SETUP_KILLS" in os.environ else 60.0
MIN_KILLS = 12
PARALLEL = 3
# What a kill before the commit point may leave besides the original files: the staged copy
# (removed by the next set-up) and SQLite's sidecar files of the plain database.
LEFTOVERS = ("repatriation.sqlite3.encrypting", "-wal", "-shm", ".tmp")

# Every round of the full run (SETUP_KILLS set) may take ~10 s on a machine loaded by a suite.
pytestmark = [pytest.mark.xdist_group("kill"), pytest.mark.timeout(max(600, 30 * KILLS))]


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    saved = dict(os.environ)
    os.environ.update(env or {})
    sys.stdout, sys.stderr = out, err
    try:
        code = entry.main(["--lang", "en", *args])
    finally:
        sys.stdout, sys.stderr = old
        os.environ.clear()
        os.environ.update(saved)
    return code, out.getvalue(), err.getvalue()


def snapshot(directory: Path) -> dict[str, bytes]:
    if not directory.exists():
        return {}
    files = sorted(p for p in directory.rglob("*") if p.is_file())
    return {str(p.relative_to(directory)): p.read_bytes() for p in files}


@pytest.fixture(scope="module")
def demo_desk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A plain directory holding records and no account: an install from before the vault (the
    # CLI refuses to write records into such a directory now; setup encrypts it).
    desk = tmp_path_factory.mktemp("template") / "desk"
    services = build_services(Settings(data_dir=desk))
    services.demo.seed(Actor("seed", Role.SUPERVISOR), 20)
    services.close()
    return desk


@pytest.mark.parametrize(
    ("user", "password", "extra", "says"),
    [
        ("chief", "123456789", (), "at least 10 characters"),  # 9 characters: the bug of #17
        ("chief", "chief is my password", (), "may not contain the user name"),
        ("Chief Officer", PASSWORD, (), "User names use"),
        ("chief", PASSWORD, ("--kdf-memory-mib", "8"), "at least 19 MiB"),
        ("chief", PASSWORD, ("--kdf-iterations", "1"), "2 passes"),
    ],
)
def test_a_refused_setup_changes_no_byte(
    demo_desk: Path, tmp_path: Path, user: str, password: str, extra: tuple[str, ...], says: str
) -> None:
    desk = tmp_path / "desk"
    shutil.copytree(demo_desk, desk)
    before = snapshot(desk)
    code, out, err = run("--data-dir", str(desk), "setup", "--user", user, *KDF, *extra,
                         env={"REPATRIATION_PASSWORD": password})
    assert code == 2 and says in err, err
    assert out == "" and "Traceback" not in err
    assert snapshot(desk) == before
    # A directory that did not exist is not created either.
    fresh = tmp_path / "never"
    code, _, _ = run("--data-dir", str(fresh), "setup", "--user", user, *KDF, *extra,
                     env={"REPATRIATION_PASSWORD": password})
    assert code == 2 and not fresh.exists()


def test_setup_of_a_desk_with_accounts_needs_one_of_its_supervisors(
    demo_desk: Path, tmp_path: Path
) -> None:
    desk = tmp_path / "desk"
    shutil.copytree(demo_desk, desk)
    boss = {"REPATRIATION_PASSWORD": "chief passphrase 1"}
    # The CLI adds no account to a plain directory: the one an older install made is added here.
    services = build_services(Settings(data_dir=desk))
    services.accounts.create_first_supervisor("boss", "chief passphrase 1")
    services.close()
    before = snapshot(desk)
    code, _, err = run("--data-dir", str(desk), "setup", "--user", "boss", *KDF,
                       env={"REPATRIATION_PASSWORD": "wrong passphrase 99"})
    assert code == 2 and "Wrong user name or password." in err
    assert snapshot(desk) == before
    code, out, err = run("--data-dir", str(desk), "setup", "--user", "boss", *KDF, env=boss)
    assert code == 0, err
    assert Vault(desk).unlock(RecoveryCredentials(out.strip())).keyslots.state == "ready"


def _spawn(desk: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "--data-dir", str(desk), "--lang", "en",
             "setup", "--user", "chief", *KDF],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.DEVNULL,
            env={**os.environ, "REPATRIATION_PASSWORD": PASSWORD},
        )


def _kill_at_random(child: subprocess.Popen[bytes], desk: Path, rng: random.Random, span: float) -> None:
    staged = desk / "repatriation.sqlite3.encrypting"
    if rng.random() < 0.2:
        time.sleep(rng.uniform(0.0, 1.5))  # during start-up and the checks
    else:
        deadline = time.monotonic() + 60
        while child.poll() is None and not staged.exists() and not (desk / KEYSLOTS_FILE).exists():
            assert time.monotonic() < deadline, "setup never started staging"
            time.sleep(0.002)
        time.sleep(rng.uniform(0.0, span))
    child.send_signal(signal.SIGKILL)
    child.wait()


def _check_after_kill(desk: Path, original: dict[str, bytes], printed: str) -> str:
    """'untouched' or 'opens'; fails when the directory is neither."""
    vault = Vault(desk)
    if not vault.is_set_up:
        now = snapshot(desk)
        for name, data in original.items():
            assert now.get(name) == data, f"{name} changed although setup never committed"
        extra = set(now) - set(original)
        assert all(any(mark in name for mark in LEFTOVERS) for name in extra), extra
        return "untouched"
    unlocked = vault.unlock(PasswordCredentials("chief", PASSWORD))
    if re.fullmatch(r"([A-Z2-7]{4}-){8}[A-Z2-7]{4}", printed):
        vault.unlock(RecoveryCredentials(printed))
    assert unlocked.check_database()["cases"] == 20
    engine = unlocked.engine()
    try:
        with engine.connect() as con:
            users = con.execute(text("SELECT username, role FROM user_accounts")).all()
    finally:
        engine.dispose()
    assert [tuple(u) for u in users] == [("chief", "supervisor")]
    assert sqlcipher.file_kind(vault.db_path) == "encrypted"
    return "opens"


def test_sigkill_during_setup_never_locks_the_data_out(demo_desk: Path, tmp_path: Path) -> None:
    original = snapshot(demo_desk)
    rng = random.Random(17)
    # One uninterrupted run gives the span of the work after staging starts on this machine.
    desk = tmp_path / "whole"
    shutil.copytree(demo_desk, desk)
    started = time.monotonic()
    child = _spawn(desk, tmp_path / "whole.log")
    while not (desk / "repatriation.sqlite3.encrypting").exists() and child.poll() is None:
        time.sleep(0.002)
    staged_at = time.monotonic()
    assert child.wait(timeout=120) == 0
    span = max(0.2, (time.monotonic() - staged_at) * 1.2)
    assert _check_after_kill(desk, original, (tmp_path / "whole.log").read_text().strip()) == "opens"
    assert time.monotonic() - started < 120

    outcomes: list[str] = []
    rounds = list(range(KILLS))
    began = time.monotonic()
    while rounds and (len(outcomes) < MIN_KILLS or time.monotonic() - began < BUDGET_S):
        batch, rounds = rounds[:PARALLEL], rounds[PARALLEL:]
        running = []
        for n in batch:
            desk = tmp_path / f"k{n}"
            shutil.copytree(demo_desk, desk)
            running.append((desk, tmp_path / f"k{n}.log", _spawn(desk, tmp_path / f"k{n}.log")))
        seeds = [rng.randrange(1 << 30) for _ in running]
        with ThreadPoolExecutor(len(running)) as pool:
            kills = pool.map(
                lambda r, seed: _kill_at_random(r[2], r[0], random.Random(seed), span), running, seeds
            )
            list(kills)
        for desk, log, _ in running:
            outcomes.append(_check_after_kill(desk, original, log.read_text().strip()))
            shutil.rmtree(desk)
    seconds = time.monotonic() - began
    print(f"setup kills: {len(outcomes)} kills in {seconds:.1f} s, "
          f"{outcomes.count('untouched')} left as they were, "
          f"{outcomes.count('opens')} opened by the password")
    assert len(outcomes) >= min(MIN_KILLS, KILLS)
    assert float("inf") != BUDGET_S or len(outcomes) == KILLS
    # Both sides of the commit point were hit (the seed is fixed, the timing is not).
    assert outcomes.count("opens") > 0 and outcomes.count("untouched") > 0
