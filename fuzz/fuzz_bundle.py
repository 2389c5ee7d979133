"""atheris fuzz harness for every bundle parser: age header/armor/stream, manifest, archive, JSON.

Run: ``python fuzz/fuzz_bundle.py -max_total_time=600`` (``make fuzz``); the suite runs 20 s.
The first input byte picks a target; the rest is the input. Any exception outside the
``BundleError`` hierarchy (or ``KeyFormatError`` for key strings) is a finding. Seeds come from
the CCTV vectors and from a valid bundle plaintext, written on first use.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import atheris
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

with atheris.instrument_imports():
    from repatriation.crypto import bech32
    from repatriation.crypto.age_file import AgeReader
    from repatriation.crypto.age_recipients import ScryptIdentity, X25519Identity
    from repatriation.crypto.bundle_format import parse_manifest
    from repatriation.crypto.bundle_reader import _read_archive
    from repatriation.crypto.bundle_tar import PlainStream, TarWriter
    from repatriation.crypto.keys import PostIdentity, parse_card
    from repatriation.domain.bundle_errors import BundleError, KeyFormatError
    from repatriation.domain.bundle_limits import Limits
    from repatriation.domain.key_directory import AgencyKind, DirectoryEntry, b64url
    from repatriation.domain.strict_json import loads_strict

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
# Fixed keys so that seeds made once stay meaningful across runs.
SENDER = PostIdentity(
    X25519Identity.from_string(
        "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX"),
    Ed25519PrivateKey.from_private_bytes(bytes(32)), "Fuzz post", NOW - timedelta(days=9))
RECEIVER = SENDER  # a post may send to itself: one key pair keeps the harness small
CCTV_IDENTITY = X25519Identity.from_string(
    "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0")
IDENTITIES = [CCTV_IDENTITY, SENDER.x25519, ScryptIdentity("password")]
# Small caps keep each input under a millisecond and under the memory budget.
LIMITS = Limits(max_scrypt_log_n=12, max_member_bytes=1 << 20, max_bundle_bytes=4 << 20,
                max_json_bytes=1 << 20, max_manifest_bytes=64 << 10)


class _Directory:
    entry = DirectoryEntry(
        agency="Fuzz post", kind=AgencyKind.BORDER_POST, key_id=SENDER.key_id,
        x25519_recipient=str(SENDER.public.x25519),
        ed25519_public=b64url(SENDER.public.ed25519), valid_from=NOW - timedelta(days=30),
        verified_out_of_band=True)

    def sender_entry(self, key_id: str) -> DirectoryEntry | None:
        return self.entry if key_id == self.entry.key_id else None

    def already_imported(self, sender: str, bundle_id: str) -> bool:
        return False


def _age(data: bytes) -> None:
    reader = AgeReader(io.BytesIO(data), IDENTITIES, LIMITS)
    for _ in reader.blocks():
        pass


def _archive(data: bytes) -> None:
    stream = PlainStream(iter([data[i:i + 4096] for i in range(0, len(data), 4096)]))
    _read_archive(stream, SENDER.key_id, _Directory(), NOW, Path("/nonexistent"), LIMITS,
                  stage_files=False)


def _json(data: bytes) -> None:
    loads_strict(data, what="fuzz.json", max_bytes=1 << 20, max_depth=32)


def _manifest(data: bytes) -> None:
    parse_manifest(data, LIMITS)


def _keys(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    with contextlib.suppress(KeyFormatError):
        parse_card(text)
    with contextlib.suppress(KeyFormatError):
        bech32.decode(text)


TARGETS = (_age, _archive, _json, _manifest, _keys)


def test_one_input(data: bytes) -> None:
    """Entry point for atheris: route to one parser; only our own errors are allowed."""
    if not data:
        return
    target = TARGETS[data[0] % len(TARGETS)]
    with contextlib.suppress(BundleError):
        target(data[1:])


def make_seeds(directory: Path) -> None:
    """Write seed inputs: CCTV vectors (age target) and valid bundle plaintexts (archive)."""
    from repatriation.crypto.bundle_format import signing_message
    from repatriation.domain.bundle_manifest import Manifest
    from repatriation.services.bundle_ports import BundleFile

    directory.mkdir(parents=True, exist_ok=True)
    vectors = Path(__file__).resolve().parents[1] / "tests" / "data" / "cctv-age"
    for path in sorted(vectors.iterdir()):
        raw = path.read_bytes()
        head, _, body = raw.partition(b"\n\n")
        if b"compressed" in head or b"PQ-1" in head or path.name == "README.md":
            continue
        (directory / f"age-{path.name}").write_bytes(bytes([0]) + body)
    files = [BundleFile.from_bytes("cases.json", b'{"cases":[]}'),
             BundleFile.from_bytes("attachments/a", b"x" * 700)]
    from repatriation.domain.bundle_manifest import FileEntry

    manifest = Manifest(bundle_id="0" * 32, sender=SENDER.key_id, sender_agency="Fuzz post",
                        recipients=(RECEIVER.key_id,), passphrase=False, created_at=NOW,
                        sequence=1, purpose="border_post",
                        files=tuple(FileEntry(f.name, f.size, f.sha256) for f in files))
    encoded = manifest.encode()
    plain = io.BytesIO()
    tar = TarWriter(plain, NOW)
    tar.add_bytes("manifest.json", encoded)
    tar.add_bytes("manifest.sig", SENDER.sign(signing_message(encoded)))
    for item in files:
        assert item.data is not None
        tar.add_bytes(item.name, item.data)
    tar.close()
    (directory / "archive-valid").write_bytes(bytes([1]) + plain.getvalue())
    (directory / "manifest-valid").write_bytes(bytes([3]) + encoded)
    (directory / "json-valid").write_bytes(bytes([2]) + b'{"a":[1,2.5,"x",null,true]}')
    card = SENDER.public.card("Fuzz post", AgencyKind.BORDER_POST).encode()
    (directory / "keys-card").write_bytes(bytes([4]) + card)


def main() -> None:
    """Run the fuzzer (argv as for libFuzzer), seeding a corpus directory on first use.

    The corpus and any crash files go to the system temp directory, not into the repository.
    """
    work = Path(tempfile.gettempdir()) / "vn-ctp-fuzz"
    args = list(sys.argv)
    given = [a for a in args[1:] if not a.startswith("-")]
    corpus = Path(given[0]) if given else work / "corpus"
    if not corpus.exists() or not any(corpus.iterdir()):
        make_seeds(corpus)
    if not given:
        args.append(str(corpus))
    if not any(a.startswith("-artifact_prefix=") for a in args):
        (work / "artifacts").mkdir(parents=True, exist_ok=True)
        args.insert(1, f"-artifact_prefix={work / 'artifacts'}/")
    atheris.Setup(args, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
