"""20 SIGKILLs during bundle import and export leave no staging or temporary file after the next start.

A child process imports (or exports) a bundle of 600 fictitious cases and is killed at a
random moment once the work has begun; the next start (``build_services``) must remove what it
left: the staging directory of an import, the ``.tmp`` beside an export's target and the export
journal. Each import round starts from a copy of the receiver that never saw the bundle.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from repatriation.bootstrap import build_services
from repatriation.config import Settings
from repatriation.crypto.leftovers import JOURNAL_NAME
from repatriation.domain.clock import SystemClock
from repatriation.services.bundles import ExportRequest
from tests.crypto.service_kit import OFFICER, introduce, make_post, sample_case

KILLS = 20
CHILD = Path(__file__).with_name("kill_exchange_child.py")
CASES = 600

pytestmark = [pytest.mark.xdist_group("kill"), pytest.mark.timeout(600)]


def _leftovers(*directories: Path) -> list[str]:
    found = []
    for directory in directories:
        for path in directory.iterdir():
            name = path.name
            if name.startswith((".bundle-staging-", ".staging-")) or (
                    name.startswith(".") and name.endswith(".tmp")) or name == JOURNAL_NAME:
                found.append(str(path))
    return found


def test_killed_imports_and_exports_leave_nothing_after_the_next_start(tmp_path: Path) -> None:
    clock = SystemClock()
    a, b = make_post(tmp_path, "lc", clock), make_post(tmp_path, "hk", clock)  # type: ignore[arg-type]
    introduce(b, a)
    to_b = introduce(a, b)
    refs = [f"LC-2026-{n:06d}" for n in range(1, CASES + 1)]
    with a.services.uow_factory() as uow:
        uow.cases.add_many([sample_case(r, a) for r in refs])
        uow.commit()
    bundle = tmp_path / "big.rdbundle"
    a.bundles.export_bundle(OFFICER, ExportRequest(tuple(refs), (to_b,)), keystore=a.keystore,
                            out_path=bundle)
    refs_file = tmp_path / "refs.txt"
    refs_file.write_text(" ".join(refs), encoding="utf-8")
    out_dir = tmp_path / "usb"
    out_dir.mkdir()
    for post in (a, b):
        post.services.close()
    rng = random.Random(18)
    dirty = 0
    for round_ in range(KILLS):
        mode = "import" if round_ % 2 == 0 else "export"
        data = a.data_dir
        if mode == "import":
            data = tmp_path / f"hk-{round_}"
            shutil.copytree(b.data_dir, data)
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(data), mode, str(bundle),
             str(out_dir / f"out-{round_}.rdbundle"), to_b, str(refs_file)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            assert child.stdout is not None and child.stdin is not None
            assert child.stdout.readline().strip() == b"ready"
            child.stdin.write(b"go\n")
            child.stdin.flush()
            # Wait until the work has visibly started, then kill a little later.
            deadline = time.monotonic() + 60
            while not _leftovers(data, out_dir) and child.poll() is None:
                assert time.monotonic() < deadline
                time.sleep(0.002)
            time.sleep(rng.uniform(0.0, 0.3))
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()
        dirty += bool(_leftovers(data, out_dir))
        build_services(Settings(data_dir=data)).close()  # the next start
        assert _leftovers(data, out_dir) == [], f"round {round_} ({mode})"
        if mode == "import":
            shutil.rmtree(data)
    # Most kills landed while the work was under way (leftovers existed before the start).
    assert dirty >= KILLS // 2, dirty
    assert os.listdir(out_dir) == [] or all(not n.startswith(".") for n in os.listdir(out_dir))
