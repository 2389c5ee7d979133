"""The hostile-bundle corpus at the crypto layer: each attack gives its own error, nothing is kept.

(The service-level tests, tests/crypto/test_bundle_service.py, also check that the database is unchanged.)
"""

from __future__ import annotations

import io
import os
import random
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from repatriation.crypto.age_file import AgeWriter
from repatriation.crypto.age_recipients import ScryptRecipient
from repatriation.crypto.bundle_reader import OpenedBundle, open_bundle
from repatriation.crypto.bundle_tar import TarWriter
from repatriation.crypto.bundle_writer import Delivery, write_bundle
from repatriation.crypto.keys import PostIdentity
from repatriation.domain.bundle_errors import BundleError
from repatriation.domain.bundle_limits import Limits
from repatriation.services.bundle_ports import BundleFile
from tests.crypto.age_helpers import encrypt_bytes
from tests.crypto.bundle_kit import (
    CASES,
    NOW,
    FakeDirectory,
    dumps,
    huge_member_header,
    manifest_for,
    post,
    raw_bundle,
    symlink_member,
)

ALICE = post("Lao Cai border post")
BOB = post("Hekou police")
CAROL = post("Other agency")


@pytest.fixture
def directory() -> FakeDirectory:
    directory = FakeDirectory()
    directory.trust(ALICE)
    return directory


def _open(path: Path, directory: FakeDirectory, staging: Path,
          identities: tuple[PostIdentity, ...] = (BOB,), **kwargs: object) -> OpenedBundle:
    return open_bundle(path, directory=directory, now=NOW, staging_parent=staging,
                       identities=identities, **kwargs)  # type: ignore[arg-type]


def _refusal(path: Path, directory: FakeDirectory, staging: Path,
             identities: tuple[PostIdentity, ...] = (BOB,), **kwargs: object) -> BundleError:
    with pytest.raises(BundleError) as caught:
        _open(path, directory, staging, identities, **kwargs)
    assert os.listdir(staging) == [], "staging must be empty after a refusal"
    assert _pipeline_threads() == [], "no reader, hasher or writeback thread outlives a refusal"
    return caught.value


def _pipeline_threads() -> list[str]:
    prefixes = ("age-open", "age_", "sha256_", "writeback")
    return [t.name for t in threading.enumerate() if t.name.startswith(prefixes)]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    (tmp_path / "photo.jpg").write_bytes(os.urandom(3 * 65536 + 7))
    path = tmp_path / "good.vnbundle"
    write_bundle(path, sender=ALICE, delivery=Delivery(keys=(BOB.public, CAROL.public)),
                 purpose="border_post", sequence=7, created_at=NOW,
                 files=[BundleFile.from_bytes("cases.json", CASES),
                        BundleFile.from_path("attachments/photo-1", tmp_path / "photo.jpg")])
    return path


@pytest.fixture
def staging(tmp_path: Path) -> Path:
    path = tmp_path / "staging"
    path.mkdir()
    return path


def test_good_bundle_opens(good: Path, directory: FakeDirectory, staging: Path) -> None:
    with _open(good, directory, staging) as opened:
        assert opened.cases_json == CASES
        assert opened.manifest.sequence == 7
        assert opened.opened_with == BOB.key_id
        staged = opened.files["attachments/photo-1"]
        assert staged.path is not None
        photo = (good.parent / "photo.jpg").read_bytes()
        assert staged.read() == photo
        assert photo[:4096] not in staged.path.read_bytes()  # staged sealed, never in clear
    assert os.listdir(staging) == []


def _mutated(good: Path, tmp_path: Path, edit: str, rng: random.Random) -> Path:
    data = bytearray(good.read_bytes())
    header_end = data.index(b"\n---") + 4 + 1 + 43 + 1
    if edit == "header":
        position = rng.randrange(0, header_end)
    elif edit == "body":
        position = rng.randrange(header_end + 16, len(data) - 65552)
    else:  # last chunk
        position = rng.randrange(len(data) - 100, len(data))
    data[position] ^= 1 << rng.randrange(8)
    out = tmp_path / f"flip-{edit}.vnbundle"
    out.write_bytes(bytes(data))
    return out


@pytest.mark.parametrize("region", ["header", "body", "last_chunk"])
def test_bit_flips(region: str, good: Path, tmp_path: Path, directory: FakeDirectory,
                   staging: Path) -> None:
    rng = random.Random(region)
    for _ in range(34):  # about 100 flips over the three regions
        code = _refusal(_mutated(good, tmp_path, region, rng), directory, staging).code
        if region == "header":
            assert code in {"tampered", "wrong_key", "not_a_bundle", "unsupported_version"}
        else:
            assert code == "tampered"


def test_flip_in_the_mac_is_tampered(good: Path, tmp_path: Path, directory: FakeDirectory,
                                     staging: Path) -> None:
    data = bytearray(good.read_bytes())
    data[data.index(b"\n--- ") + 10] ^= 0x02
    (tmp_path / "m.vnbundle").write_bytes(bytes(data))
    assert _refusal(tmp_path / "m.vnbundle", directory, staging).code == "tampered"


def test_truncations_are_all_truncated(good: Path, tmp_path: Path, directory: FakeDirectory,
                                       staging: Path) -> None:
    data = good.read_bytes()
    rng = random.Random(50)
    for length in [*rng.sample(range(30, len(data)), 50), len(data) - 1, len(data) - 16]:
        (tmp_path / "t.vnbundle").write_bytes(data[:length])
        assert _refusal(tmp_path / "t.vnbundle", directory, staging).code == "truncated", length
    (tmp_path / "t.vnbundle").write_bytes(data + b"\x00")
    assert _refusal(tmp_path / "t.vnbundle", directory, staging).code == "tampered"


def test_wrong_recipient(good: Path, directory: FakeDirectory, staging: Path) -> None:
    error = _refusal(good, directory, staging, identities=(post("Eve"),))
    assert error.code == "wrong_key"


@pytest.mark.parametrize(("case", "code"), [
    ("unsigned", "bad_signature"),
    ("bad_signature", "bad_signature"),
    ("signed_by_other_key", "bad_signature"),
    ("unknown_sender", "unknown_sender"),
    ("revoked_sender", "revoked_sender"),
    ("revoked_after_creation", "revoked_sender"),
    ("rotated_out_before_creation", "revoked_sender"),
    ("unverified_sender", "unverified_sender"),
    ("hash_mismatch", "tampered"),
    ("size_mismatch", "tampered"),
    ("dotdot_name_in_manifest", "bad_archive"),
    ("absolute_name_in_manifest", "bad_archive"),
    ("dotdot_member_not_in_manifest", "bad_archive"),
    ("symlink_member", "bad_archive"),
    ("duplicate_member", "bad_archive"),
    ("unlisted_extra_member", "bad_archive"),
    ("missing_member", "bad_archive"),
    ("declared_10_gb_in_manifest", "too_large"),
    ("declared_10_gb_in_tar", "too_large"),
    ("deep_manifest", "too_deep"),
    ("manifest_duplicate_key", "schema"),
    ("manifest_not_canonical", "schema"),
    ("manifest_unknown_field", "schema"),
    ("created_in_future", "schema"),
    ("forwarded", "not_for_us"),
    ("stanza_version_2", "unsupported_version"),
    ("manifest_version_2", "unsupported_version"),
    ("manifest_other_format", "not_a_bundle"),
    ("no_manifest_first", "not_a_bundle"),
])
def test_hostile_case(case: str, code: str, tmp_path: Path, directory: FakeDirectory,
                      staging: Path) -> None:
    path = tmp_path / f"{case}.vnbundle"
    to = [BOB.public.x25519]
    members = [("cases.json", CASES), ("attachments/a", b"photo bytes")]
    base = manifest_for(ALICE, [BOB], members)
    kwargs: dict[str, object] = {"sender": ALICE, "to": to, "recipients": [BOB],
                                 "members": members}
    ten_gb = 10 * 1024**3
    if case == "unsigned":
        kwargs["sign"] = False
    elif case == "bad_signature":
        kwargs["signature"] = bytes(64)
    elif case == "signed_by_other_key":
        kwargs["signer"] = CAROL
    elif case == "unknown_sender":
        kwargs.update(sender=CAROL, members=members)
    elif case in ("revoked_sender", "revoked_after_creation"):
        delta = -timedelta(days=1) if case == "revoked_sender" else timedelta(hours=1)
        directory.trust(ALICE, revoked_at=NOW + delta)
    elif case == "rotated_out_before_creation":
        directory.trust(ALICE, valid_until=NOW - timedelta(days=1))
    elif case == "unverified_sender":
        directory.trust(ALICE, verified=False)
    elif case == "hash_mismatch":
        base["files"][1]["sha256"] = "0" * 64
        kwargs["manifest"] = base
    elif case == "size_mismatch":
        base["files"][1]["size"] = 5
        kwargs["manifest"] = base
    elif case in ("dotdot_name_in_manifest", "absolute_name_in_manifest"):
        bad = "attachments/../../etc/x" if case.startswith("dotdot") else "/etc/passwd"
        base["files"][1]["name"] = bad
        kwargs["manifest"] = base
    elif case == "dotdot_member_not_in_manifest":
        kwargs["tar_members"] = [("cases.json", CASES), ("../escape", b"x")]
    elif case == "symlink_member":
        kwargs["tar_members"] = [("cases.json", CASES)]
        kwargs["extra_tar"] = symlink_member("attachments/a", "/etc/passwd")
    elif case == "duplicate_member":
        kwargs["tar_members"] = [("cases.json", CASES), ("cases.json", CASES)]
    elif case == "unlisted_extra_member":
        kwargs["tar_members"] = [*members, ("attachments/b", b"extra")]
    elif case == "missing_member":
        kwargs["tar_members"] = [("cases.json", CASES)]
    elif case == "declared_10_gb_in_manifest":
        base["files"][1]["size"] = ten_gb
        kwargs["manifest"] = base
    elif case == "declared_10_gb_in_tar":
        kwargs["tar_members"] = [("cases.json", CASES)]
        kwargs["extra_tar"] = huge_member_header("attachments/a", ten_gb)
    elif case == "deep_manifest":
        kwargs["manifest_bytes"] = b'{"format":' + b"[" * 40 + b"]" * 40 + b"}"
    elif case == "manifest_duplicate_key":
        kwargs["manifest_bytes"] = b'{"format":"vn-ctp-bundle","format":"vn-ctp-bundle"}'
    elif case == "manifest_not_canonical":
        kwargs["manifest_bytes"] = dumps(base)  # spaces after separators: not canonical
    elif case == "manifest_unknown_field":
        base["extra"] = 1
        kwargs["manifest"] = base
    elif case == "created_in_future":
        base["created_at"] = (NOW + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
        kwargs["manifest"] = base
    elif case == "forwarded":
        # Carol received it legitimately, then re-encrypted the same plaintext to Bob.
        kwargs.update(recipients=[CAROL], manifest=manifest_for(ALICE, [CAROL], members))
    elif case == "stanza_version_2":
        kwargs["stanza"] = "2"
    elif case == "manifest_version_2":
        base["format_version"] = 2
        kwargs["manifest"] = base
    elif case == "manifest_other_format":
        base["format"] = "something-else"
        kwargs["manifest"] = base
    elif case == "no_manifest_first":
        kwargs["manifest_bytes"] = b""
        kwargs["sign"] = False
    raw_bundle(path, **kwargs)  # type: ignore[arg-type]
    if case == "no_manifest_first":
        _rename_first_member(path)
    error = _refusal(path, directory, staging)
    assert error.code == code, str(error)
    assert error.params["what"]


def _rename_first_member(path: Path) -> None:
    """Rebuild a bundle whose first member is cases.json instead of the manifest."""
    plain = io.BytesIO()
    tar = TarWriter(plain, NOW)
    tar.add_bytes("cases.json", CASES)
    tar.close()
    with open(path, "wb") as out, AgeWriter(out, [BOB.public.x25519]) as writer:
        writer.write(plain.getvalue())


def test_replay_is_refused(good: Path, directory: FakeDirectory, staging: Path) -> None:
    with _open(good, directory, staging) as opened:
        directory.seen.add((opened.manifest.sender, opened.manifest.bundle_id))
    assert _refusal(good, directory, staging).code == "replayed"


def test_rotated_key_inside_its_window_is_accepted(good: Path, directory: FakeDirectory,
                                                  staging: Path) -> None:
    directory.trust(ALICE, valid_until=NOW + timedelta(days=1))
    with _open(good, directory, staging) as opened:
        assert opened.cases_json == CASES


def test_not_a_bundle_at_all(tmp_path: Path, directory: FakeDirectory, staging: Path) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(5000))
    assert _refusal(tmp_path / "photo.jpg", directory, staging).code == "not_a_bundle"
    (tmp_path / "plain.age").write_bytes(encrypt_bytes(b"just text", [BOB.public.x25519]))
    assert _refusal(tmp_path / "plain.age", directory, staging).code == "not_a_bundle"


def test_passphrase_bundles(tmp_path: Path, directory: FakeDirectory, staging: Path) -> None:
    path = tmp_path / "p.vnbundle"
    write_bundle(path, sender=ALICE, delivery=Delivery(passphrase="a long shared passphrase",
                                                       scrypt_log_n=10),
                 purpose="reception_centre", sequence=1, created_at=NOW,
                 files=[BundleFile.from_bytes("cases.json", CASES)])
    with _open(path, directory, staging, identities=(), passphrase="a long shared passphrase"
               ) as opened:
        assert opened.opened_with is None
        assert opened.manifest.passphrase
    assert _refusal(path, directory, staging, identities=(), passphrase="wrong").code == (
        "wrong_key")


def test_key_bundle_rewrapped_under_a_passphrase_is_not_for_us(
        tmp_path: Path, directory: FakeDirectory, staging: Path) -> None:
    path = tmp_path / "rewrapped.vnbundle"
    raw_bundle(path, sender=ALICE, to=[ScryptRecipient("pw", 10)], recipients=[BOB],
               stanza=False)
    assert _refusal(path, directory, staging, identities=(), passphrase="pw").code == (
        "not_for_us")


def test_limits_are_honoured(good: Path, directory: FakeDirectory, staging: Path) -> None:
    error = _refusal(good, directory, staging, limits=Limits(max_member_bytes=1000))
    assert error.code == "too_large"


def test_verify_only_mode_writes_nothing(good: Path, directory: FakeDirectory,
                                         staging: Path) -> None:
    with _open(good, directory, staging, stage_files=False) as opened:
        assert opened.files["attachments/photo-1"].path is None
        assert opened.staging_dir is not None and os.listdir(opened.staging_dir) == []
