"""Attachments staged straight into the attachment store's format: sealed, checked, then moved.

The importer hands ``open_bundle`` a ``seal_member`` so that an accepted 64 MiB scan is renamed
into the store instead of being staged, read back, decrypted and encrypted again. The staged
bytes must still never be in clear, and a refused bundle must still leave nothing behind.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import BinaryIO

import pytest

from repatriation.crypto.attachment_cipher import AttachmentCipher
from repatriation.crypto.bundle_reader import OpenedBundle, open_bundle
from repatriation.crypto.bundle_writer import Delivery, write_bundle
from repatriation.domain.bundle_errors import BundleError
from repatriation.services.attachments import AttachmentService
from repatriation.services.bundle_ports import BundleFile, MemberSink
from repatriation.vault.attachment_rewrap import attachment_files
from tests.crypto.bundle_kit import CASES, NOW, FakeDirectory, post

ALICE = post("Lao Cai border post")
BOB = post("Hekou police")


@pytest.fixture
def store(tmp_path: Path) -> AttachmentService:
    return AttachmentService(tmp_path / "attachments", AttachmentCipher(os.urandom(32), 1))


@pytest.fixture
def photo(tmp_path: Path) -> bytes:
    data = os.urandom(5 * 65536 + 11)
    (tmp_path / "photo.jpg").write_bytes(data)
    return data


@pytest.fixture
def good(tmp_path: Path, photo: bytes) -> Path:
    path = tmp_path / "good.vnbundle"
    write_bundle(path, sender=ALICE, delivery=Delivery(keys=(BOB.public,)), purpose="border_post",
                 sequence=1, created_at=NOW,
                 files=[BundleFile.from_bytes("cases.json", CASES),
                        BundleFile.from_path("attachments/photo-1", tmp_path / "photo.jpg")])
    return path


def _open(path: Path, staging: Path, store: AttachmentService) -> OpenedBundle:
    directory = FakeDirectory()
    directory.trust(ALICE)

    def seal(name: str, sha256: str, sink: BinaryIO) -> MemberSink | None:
        return store.sealer(sink, sha256) if name.startswith("attachments/") else None

    staging.mkdir(exist_ok=True)
    return open_bundle(path, directory=directory, now=NOW, staging_parent=staging,
                       identities=(BOB,), seal_member=seal)


def test_a_staged_attachment_is_sealed_for_the_store_and_moved_in(
        good: Path, tmp_path: Path, store: AttachmentService, photo: bytes) -> None:
    staging = tmp_path / "staging"
    with _open(good, staging, store) as opened:
        staged = opened.files["attachments/photo-1"]
        assert staged.path is not None and staged.key == b""
        assert photo[:4096] not in staged.path.read_bytes()  # never in clear
        with pytest.raises(ValueError):
            staged.read()  # not a one-time-key file: only the store opens it
        ref = store.adopt(staged.path, staged.sha256, staged.size, "a.jpg", "image/jpeg")
    assert store.load(ref.sha256) == photo
    assert os.listdir(staging) == []


@pytest.mark.parametrize("region", ["body", "last_chunk", "truncated"])
def test_a_refused_bundle_leaves_no_staged_or_stored_file(
        region: str, good: Path, tmp_path: Path, store: AttachmentService) -> None:
    rng = random.Random(region)
    data = bytearray(good.read_bytes())
    for _ in range(8):
        bad = bytearray(data)
        if region == "truncated":
            bad = bad[:rng.randrange(len(data) // 2, len(data) - 1)]
        else:
            low = len(data) - 100 if region == "last_chunk" else 600
            bad[rng.randrange(low, len(data) - (0 if region == "last_chunk" else 65552))] ^= 4
        path = tmp_path / "bad.vnbundle"
        path.write_bytes(bytes(bad))
        with pytest.raises(BundleError) as caught:
            _open(path, tmp_path / "staging", store)
        assert caught.value.code in {"tampered", "truncated"}
        assert os.listdir(tmp_path / "staging") == []
        assert list(attachment_files(store.directory)) == []
