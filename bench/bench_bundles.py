"""Bundle throughput and peak memory on a 256 MiB payload, beside the ``age`` CLI on the same file.

Export = sign + tar + encrypt (and fsync: the output is written atomically). Import = decrypt +
verify every hash + stage the attachment (sealed under a one-time key). Each of our runs happens
in a fresh child process so its peak RSS is its own. The ``age`` reference encrypts/decrypts the
same payload and its output is fsynced too, so both sides pay for durability. Each figure is
the median of ``BENCH_BUNDLE_ROUNDS`` (3) interleaved rounds, each run starting after a
``sync``. Goal: ratio (ours / age) <= 1.0 and peak < 150 MB. ``BENCH_BUNDLE_MIB`` changes the
size (e.g. 1024).
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from repatriation.crypto.keys import (  # noqa: E402 - after the path fix for direct runs
    AgencyKind,
    DirectoryEntry,
    PostIdentity,
    b64url,
)

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
MIB = 1024 * 1024
Report = Callable[[str, float, float, str], None]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _keys(work: Path) -> tuple[PostIdentity, PostIdentity]:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from repatriation.crypto.age_recipients import X25519Identity

    data = json.loads((work / "keys.json").read_text())
    return tuple(  # type: ignore[return-value]
        PostIdentity(X25519Identity.from_string(d["x"]),
                     Ed25519PrivateKey.from_private_bytes(bytes.fromhex(d["e"])), d["a"],
                     NOW - timedelta(days=9))
        for d in data)


def _save_keys(work: Path) -> None:
    people = [PostIdentity.generate(name, NOW) for name in ("Bench sender", "Bench receiver")]
    (work / "keys.json").write_text(json.dumps([
        {"x": p.x25519.to_string(), "e": p.ed25519.private_bytes_raw().hex(), "a": p.agency}
        for p in people]))


def _worker(operation: str, work: Path) -> None:
    """Run one operation in this (fresh) process and print seconds and peak RSS as JSON."""
    from repatriation.crypto.bundle_reader import open_bundle
    from repatriation.crypto.bundle_writer import BundleFile, Delivery, write_bundle

    sender, receiver = _keys(work)
    started = time.perf_counter()
    if operation == "export":
        sha = (work / "payload.sha256").read_text().strip()
        write_bundle(work / "out.vnbundle", sender=sender,
                     delivery=Delivery(keys=(receiver.public,)), purpose="border_post",
                     sequence=1, created_at=NOW,
                     files=[BundleFile.from_bytes("cases.json", b'{"cases":[]}'),
                            BundleFile.from_path("attachments/payload", work / "payload.bin",
                                                 sha)])
        seconds = time.perf_counter() - started
    else:
        entry = DirectoryEntry(
            agency=sender.agency, kind=AgencyKind.BORDER_POST, key_id=sender.key_id,
            x25519_recipient=str(sender.public.x25519),
            ed25519_public=b64url(sender.public.ed25519), valid_from=NOW - timedelta(days=9),
            verified_out_of_band=True)

        class Directory:
            def sender_entry(self, key_id: str) -> DirectoryEntry | None:
                return entry if key_id == entry.key_id else None

            def already_imported(self, sender: str, bundle_id: str) -> bool:
                return False

        with open_bundle(work / "out.vnbundle", directory=Directory(), now=NOW,
                         staging_parent=work, identities=(receiver,)) as opened:
            staged = opened.files["attachments/payload"]
            assert staged.path is not None
            _fsync(staged.path)
            # Stop here: the staged copy is durable. Deleting it afterwards is the bench's
            # housekeeping, like deleting age's output, which is not timed either.
            seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))


def _child(operation: str, work: Path) -> dict[str, float]:
    os.sync()  # every run starts with nothing dirty in the page cache, ours and age's alike
    result = subprocess.run([sys.executable, __file__, "worker", operation, str(work)],
                            capture_output=True, text=True, check=True, cwd=ROOT)
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def _timed_age(command: list[str], output: Path) -> dict[str, float]:
    os.sync()
    started = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)  # this child's own peak, not all children's
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    _fsync(output)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024}


def _median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    ordered = sorted(runs, key=lambda run: run["seconds"])
    return {"seconds": ordered[len(ordered) // 2]["seconds"],
            "peak_mb": max(run["peak_mb"] for run in runs)}


def _rounds(work: Path, age: str, recipient: str, rounds: int) -> dict[str, dict[str, float]]:
    """Interleave age and our runs so that a busy moment of the disk hits both alike."""
    runs: dict[str, list[dict[str, float]]] = {"age -e": [], "export": [], "age -d": [],
                                               "import": []}
    for _ in range(rounds):
        for path in ("age.out", "out.vnbundle"):
            (work / path).unlink(missing_ok=True)
        runs["age -e"].append(_timed_age(
            [age, "-r", recipient, "-o", str(work / "age.out"), str(work / "payload.bin")],
            work / "age.out"))
        runs["export"].append(_child("export", work))
        runs["age -d"].append(_timed_age(
            [age, "-d", "-i", str(work / "id.txt"), "-o", str(work / "age.plain"),
             str(work / "age.out")], work / "age.plain"))
        (work / "age.plain").unlink()
        runs["import"].append(_child("import", work))
    return {name: _median_run(found) for name, found in runs.items()}


def run(report: Report) -> None:
    """Measure and report export and import against age encrypt and decrypt."""
    age = shutil.which("age")
    if age is None:
        print("!! age CLI not installed: apt-get install age")
        return
    size_mib = int(os.environ.get("BENCH_BUNDLE_MIB", "256"))
    with tempfile.TemporaryDirectory(prefix="bench-bundles-") as name:
        work = Path(name)
        _save_keys(work)
        receiver = _keys(work)[1]
        digest = hashlib.sha256()
        with open(work / "payload.bin", "wb") as handle:
            for _ in range(size_mib):
                block = os.urandom(MIB)
                digest.update(block)
                handle.write(block)
        (work / "payload.sha256").write_text(digest.hexdigest())
        (work / "id.txt").write_text(receiver.x25519.to_string() + "\n")
        recipient = str(receiver.public.x25519)
        rounds = int(os.environ.get("BENCH_BUNDLE_ROUNDS", "3"))
        medians = _rounds(work, age, recipient, rounds)
        export, imported = medians["export"], medians["import"]
        age_enc, age_dec = medians["age -e"]["seconds"], medians["age -d"]["seconds"]
        goal = "ratio <= 1.0 (>= age throughput), peak < 150 MB"
        report(f"bundle export {size_mib} MiB (sign+tar+encrypt+fsync)",
               export["seconds"] * 1000, age_enc * 1000, goal)
        report(f"bundle import {size_mib} MiB (decrypt+verify+stage+fsync)",
               imported["seconds"] * 1000, age_dec * 1000, goal)
        for label, run in medians.items():
            print(f"   {label:<8} {size_mib / run['seconds']:8.0f} MiB/s   "
                  f"peak RSS {run['peak_mb']:6.1f} MB   (median of {rounds})", flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "worker":
        _worker(sys.argv[2], Path(sys.argv[3]))
    else:
        def _print(name: str, value: float, reference: float, goal: str) -> None:
            print(f"{name:<58} {value:10.1f} ms  ref {reference:10.1f} ms  "
                  f"x{value / reference:5.2f}  {goal}")

        run(_print)
