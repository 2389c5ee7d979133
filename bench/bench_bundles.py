"""Bundle throughput and peak memory on a 256 MiB payload, beside the ``age`` CLI on the same file.

Export = sign + tar + encrypt (and fsync: the output is written atomically). Import = decrypt +
verify every hash + stage the attachment (sealed under a one-time key). Each of our runs happens
in a fresh child process so its peak RSS is its own. The ``age`` reference encrypts/decrypts the
same payload and its output is fsynced too, so both sides pay for durability. Goal: ratio
(ours / age) <= 1.0 and peak < 150 MB. ``BENCH_BUNDLE_MIB`` changes the size (e.g. 1024).
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
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))


def _child(operation: str, work: Path) -> dict[str, float]:
    result = subprocess.run([sys.executable, __file__, "worker", operation, str(work)],
                            capture_output=True, text=True, check=True, cwd=ROOT)
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def _timed_age(command: list[str], output: Path) -> tuple[float, float]:
    started = time.perf_counter()
    subprocess.run(command, check=True)
    _fsync(output)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mb


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
        age_enc, age_enc_peak = _timed_age(
            [age, "-r", recipient, "-o", str(work / "age.out"), str(work / "payload.bin")],
            work / "age.out")
        age_dec, age_dec_peak = _timed_age(
            [age, "-d", "-i", str(work / "id.txt"), "-o", str(work / "age.plain"),
             str(work / "age.out")], work / "age.plain")
        for path in ("age.plain",):
            (work / path).unlink()
        export = _child("export", work)
        imported = _child("import", work)
        goal = "ratio <= 1.0 (>= age throughput), peak < 150 MB"
        report(f"bundle export {size_mib} MiB (sign+tar+encrypt+fsync)",
               export["seconds"] * 1000, age_enc * 1000, goal)
        report(f"bundle import {size_mib} MiB (decrypt+verify+stage+fsync)",
               imported["seconds"] * 1000, age_dec * 1000, goal)
        for label, seconds, peak in (
            ("export", export["seconds"], export["peak_mb"]),
            ("import", imported["seconds"], imported["peak_mb"]),
            ("age -e", age_enc, age_enc_peak), ("age -d", age_dec, age_dec_peak),
        ):
            print(f"   {label:<8} {size_mib / seconds:8.0f} MiB/s   peak RSS {peak:6.1f} MB",
                  flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "worker":
        _worker(sys.argv[2], Path(sys.argv[3]))
    else:
        def _print(name: str, value: float, reference: float, goal: str) -> None:
            print(f"{name:<58} {value:10.1f} ms  ref {reference:10.1f} ms  "
                  f"x{value / reference:5.2f}  {goal}")

        run(_print)
