"""Bundle export and import of 256 MiB through the CLI, beside ``age -r`` / ``age -d`` processes.

Like for like: every figure is a whole process timed from its start to its exit, so
Python's start-up, the desk unlock (Argon2id), the key-store unlock and, for import, the commit
of the cases and the attachments are all inside our time, as age's start-up and key parsing are
inside its. Both sides write their output durably (ours atomically with fsync; age's output is
fsynced before its clock stops). The payload is four 64 MiB attachments of one case (the
attachment store's own limit, so the import really accepts it); age encrypts and decrypts the
same 256 MiB of bytes. Peak RSS is each command's own (``bench/process_peak.py``). Each figure
is the median of ``BENCH_BUNDLE_ROUNDS`` (3) interleaved rounds, each import into a fresh copy
of the receiving desk.

Our CLI runs as the installer ships it: modules compiled to bytecode and message catalogs
compiled to ``.mo`` (both prepared once, untimed; a checkout run with ``PYTHONDONTWRITEBYTECODE``
would instead compile ~170 modules and the catalogs at every start, about 0.4 s).

Goals: within 2x of age's wall time, peak under 150 MB; a hostile bundle refused end to
end in under 0.5 s (the header is checked before any key is unlocked). ``BENCH_BUNDLE_MIB``
changes the size (a multiple of 4).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bench.process_peak import measure

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MIB = 1024 * 1024
PARTS = 4
PASSWORD = "bench desk password 2026"
KEY_PASSPHRASE = "bench key store passphrase"
REFERENCE = "LC-2026-000100"
SMALL = "LC-2026-000101"  # the same kind of case without attachments: the fixed part of a command
Report = Callable[[str, float, float, str], None]
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "REPATRIATION_PASSWORD": PASSWORD, "REPATRIATION_KEY_PASSPHRASE": KEY_PASSPHRASE}


def _cli(data: Path, *args: str) -> list[str]:
    return [sys.executable, "main.py", "--lang", "en", "--data-dir", str(data), "--user", "chief",
            *args]


def _run(command: list[str]) -> str:
    done = subprocess.run(command, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{command[3:]} failed: {done.stderr[-600:]}")
    return done.stdout


def _timed(command: list[str], output: Path | None = None, expect_failure: bool = False
           ) -> dict[str, float]:
    """Wall seconds (spawn to exit, plus the fsync of ``output``) and the command's peak RSS."""
    figures = measure(command, cwd=ROOT, env=ENV, synced=output, settle=True)
    if (figures.code != 0) != expect_failure:
        raise RuntimeError(f"{command[2:6]} exit {figures.code}: {figures.stderr[-600:]}")
    return {"seconds": figures.seconds, "peak_mb": figures.peak_mb}


def _as_installed() -> None:
    """Bytecode and ``.mo`` catalogs, as in the installed package (``installer/build.py``)."""
    import compileall
    import importlib.util

    for package in ("cli", "i18n", "repatriation"):
        compileall.compile_dir(ROOT / package, quiet=1)
    spec = importlib.util.spec_from_file_location("installer_build", ROOT / "installer" / "build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    build.compile_catalogs(ROOT / "i18n" / "locale")  # beside the .po files (ignored by git)


def _desks(work: Path, size_mib: int) -> tuple[Path, Path, str, str]:
    """Sender and receiver desks (encrypted, keys exchanged, one case with the payload)."""
    a, b = work / "desk-a", work / "desk-b"
    for desk, agency in ((a, "Bench post A"), (b, "Bench post B")):
        _run(_cli(desk, "setup"))
        _run(_cli(desk, "keys", "generate", "--agency", agency))
    card_a, card_b = (_run(_cli(d, "keys", "card")).splitlines()[0].lstrip("# ").strip()
                      for d in (a, b))
    added_b = json.loads(_run(_cli(a, "keys", "add", card_b, "--kind", "border_post")))
    _run(_cli(a, "keys", "verify", added_b["key_id"][:12]))
    added_a = json.loads(_run(_cli(b, "keys", "add", card_a, "--kind", "border_post")))
    _run(_cli(b, "keys", "verify", added_a["key_id"][:12]))
    _add_case(a, work / "payload.bin", size_mib)
    return a, b, added_b["key_id"][:12], card_b.split("age=")[1].split(";")[0]


def _add_case(desk: Path, payload: Path, size_mib: int) -> None:
    from repatriation.bootstrap import build_services
    from repatriation.config import Settings
    from repatriation.vault import PasswordCredentials
    from tests.crypto.service_kit import sample_case

    services = build_services(Settings(data_dir=desk),
                              credentials=PasswordCredentials("chief", PASSWORD))
    store = services.attachments
    photos = []
    with payload.open("wb") as handle:
        for n in range(PARTS):
            part = os.urandom(size_mib // PARTS * MIB)
            handle.write(part)
            photos.append(store.store(part, f"scan-{n}.jpg", "image/jpeg", kind="scan"))

    class _Post:
        attachments = store

    case = sample_case(REFERENCE, _Post())  # type: ignore[arg-type]
    case = replace(case, person=replace(case.person, photos=tuple(photos)))
    with services.uow_factory() as uow:
        uow.cases.add(case)
        uow.cases.add(sample_case(SMALL, _Post()))  # type: ignore[arg-type]
        uow.commit()
    services.close()


def _argon2_ms() -> float:
    """One Argon2id derivation with the desk's parameters (median of 3), in milliseconds."""
    import time

    from repatriation.crypto.keyslots import KdfParams, password_slot_key

    timings = []
    for _ in range(3):
        started = time.perf_counter()
        password_slot_key(PASSWORD, os.urandom(16), KdfParams())
        timings.append(time.perf_counter() - started)
    return sorted(timings)[1] * 1000


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    ordered = sorted(runs, key=lambda run: run["seconds"])
    return {"seconds": ordered[len(ordered) // 2]["seconds"],
            "peak_mb": max(run["peak_mb"] for run in runs)}


def run(report: Report) -> None:
    """Measure export, import and a hostile refusal against the age CLI on the same bytes."""
    age = shutil.which("age")
    if age is None:
        print("!! age CLI not installed (sudo make system-deps)")
        return
    size_mib = int(os.environ.get("BENCH_BUNDLE_MIB", "256"))
    rounds = int(os.environ.get("BENCH_BUNDLE_ROUNDS", "3"))
    _as_installed()
    with tempfile.TemporaryDirectory(prefix="bench-bundles-") as name:
        work = Path(name)
        a, b, key_id, recipient = _desks(work, size_mib)
        identity = work / "b-identity.txt"
        _run(_cli(b, "keys", "export-age-identity", "-o", str(identity)))
        runs: dict[str, list[dict[str, float]]] = {
            k: [] for k in ("age -r", "export", "age -d", "import", "hostile", "age hostile",
                            "age -r empty", "export small", "age -d empty", "import small")}
        bundle, sealed, plain = work / "out.vnbundle", work / "age.out", work / "age.plain"
        small, empty, empty_sealed = work / "small.vnbundle", work / "empty.bin", work / "empty.age"
        empty.write_bytes(b"x")  # age -d writes no output file for an empty payload
        hostile = work / "hostile.age"
        hostile.write_bytes(b"age-encryption.org/v1\n-> X25519 " + b"A" * (4 * MIB) + b"\n")
        for n in range(rounds):
            bundle.unlink(missing_ok=True)
            sealed.unlink(missing_ok=True)
            runs["age -r"].append(_timed([age, "-r", recipient, "-o", str(sealed),
                                          str(work / "payload.bin")], sealed))
            runs["export"].append(_timed(_cli(a, "bundle", "export", "--cases", REFERENCE,
                                              "--to", key_id, "-o", str(bundle)), bundle))
            runs["age -d"].append(_timed([age, "-d", "-i", str(identity), "-o", str(plain),
                                          str(sealed)], plain))
            plain.unlink()
            for stale in (small, empty_sealed):
                stale.unlink(missing_ok=True)
            runs["age -r empty"].append(_timed([age, "-r", recipient, "-o", str(empty_sealed),
                                                str(empty)], empty_sealed))
            runs["export small"].append(_timed(_cli(a, "bundle", "export", "--cases", SMALL,
                                                    "--to", key_id, "-o", str(small)), small))
            runs["age -d empty"].append(_timed([age, "-d", "-i", str(identity), "-o", str(plain),
                                                str(empty_sealed)], plain))
            plain.unlink()
            receiver = work / f"receiver-{n}"
            shutil.copytree(b, receiver)  # a fresh receiving desk each round (untimed)
            runs["import small"].append(_timed(_cli(receiver, "bundle", "import", str(small))))
            runs["import"].append(_timed(_cli(receiver, "bundle", "import", str(bundle))))
            runs["hostile"].append(_timed(_cli(receiver, "bundle", "import", str(hostile)),
                                          expect_failure=True))
            runs["age hostile"].append(_timed([age, "-d", "-i", str(identity), str(hostile)],
                                              expect_failure=True))
            shutil.rmtree(receiver)
        med = {k: _median(v) for k, v in runs.items()}
        goal = "goal ratio <= 2.0, peak < 150 MB; whole processes, same bytes, installed CLI"
        report(f"bundle export {size_mib} MiB, CLI process vs age -r process",
               med["export"]["seconds"] * 1000, med["age -r"]["seconds"] * 1000, goal)
        report(f"bundle import {size_mib} MiB to commit, CLI process vs age -d process",
               med["import"]["seconds"] * 1000, med["age -d"]["seconds"] * 1000, goal)
        report("hostile bundle refused, CLI process vs age -d process",
               med["hostile"]["seconds"] * 1000, med["age hostile"]["seconds"] * 1000,
               "goal < 500 ms (ours); whole processes")
        _fixed_and_payload(report, med, size_mib)
        for label, figures in med.items():
            print(f"   {label:<12} {figures['seconds'] * 1000:9.0f} ms   peak RSS "
                  f"{figures['peak_mb']:6.1f} MB   (median of {rounds})", flush=True)
        derive_ms = _argon2_ms()
        print(f"   of our export and import: 2 Argon2id derivations (desk key slot, key store; "
              f"64 MiB, t=3, p=4), 2 x {derive_ms:.0f} = {2 * derive_ms:.0f} ms here, whatever "
              f"the bundle's size", flush=True)


def _fixed_and_payload(report: Report, med: dict[str, dict[str, float]], size_mib: int) -> None:
    """Split each side into its fixed part (no payload) and what the payload adds to it."""
    for ours, ref, verb in (("export", "age -r", "export"), ("import", "age -d", "import")):
        small, empty = med[f"{ours} small"]["seconds"], med[f"{ref} empty"]["seconds"]
        report(f"bundle {verb} fixed part: one case, no attachments, CLI process vs {ref} of "
               f"a 1-byte file", small * 1000, empty * 1000, "measured, no goal; whole processes")
        report(f"bundle {verb} payload part: {size_mib} MiB minus no attachments, ours vs "
               f"{ref}'s", (med[ours]["seconds"] - small) * 1000,
               (med[ref]["seconds"] - empty) * 1000, "measured, no goal; differences of medians")
