"""Attachments at rest: encrypted, content-addressed, tamper- and swap-evident, re-keyed on rotation."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from repatriation.crypto.attachment_cipher import AttachmentCipher
from repatriation.domain.attachment_files import AttachmentError
from repatriation.services.attachments import AttachmentService
from repatriation.vault.attachment_rewrap import attachment_files, rewrap_all
from tests.vault.helpers import CANARY


@pytest.fixture
def store(tmp_path: Path) -> AttachmentService:
    return AttachmentService(tmp_path / "attachments", AttachmentCipher(os.urandom(32), 1), max_bytes=1 << 20)


def test_round_trip_no_plaintext_and_no_content_hash_on_disk(store: AttachmentService) -> None:
    data = (CANARY + " ảnh chân dung ").encode() * 400
    ref = store.store(data, "Ảnh.jpg", "image/jpeg")
    assert ref.sha256 == hashlib.sha256(data).hexdigest() and ref.size == len(data)
    assert store.load(ref.sha256) == data
    files = list(attachment_files(store.directory))
    assert len(files) == 1
    raw = files[0].read_bytes()
    assert CANARY.encode() not in raw and CANARY.lower().encode() not in raw.lower()
    assert ref.sha256 not in files[0].name  # the name does not reveal which photo is stored
    assert store.store(data, "again.jpg", "image/jpeg").sha256 == ref.sha256
    assert len(list(attachment_files(store.directory))) == 1  # same content stored once
    assert store.contains(ref.sha256) and store.remove(ref.sha256) and not store.contains(ref.sha256)
    with pytest.raises(AttachmentError) as err:
        store.load(ref.sha256)
    assert err.value.code == "attachment_missing"


def _refusal(store: AttachmentService, sha: str) -> str:
    with pytest.raises(AttachmentError) as err:
        store.load(sha)
    return str(err.value.params.get("reason"))


def test_tampered_swapped_or_foreign_files_are_refused(store: AttachmentService, tmp_path: Path) -> None:
    a = store.store(b"photo A" * 100, "a.jpg", "image/jpeg")
    b = store.store(b"photo B" * 100, "b.jpg", "image/jpeg")
    path_a, path_b = store._path_for(a.sha256), store._path_for(b.sha256)
    original_a = path_a.read_bytes()
    for offset in (0, 5, 30, len(original_a) // 2, len(original_a) - 1):
        blob = bytearray(original_a)
        blob[offset] ^= 0x01
        path_a.write_bytes(bytes(blob))
        assert _refusal(store, a.sha256) in {"header", "authentication"}
    # B's (valid) file put under A's name: the hash inside does not match the one asked for.
    path_a.write_bytes(path_b.read_bytes())
    assert _refusal(store, a.sha256) == "swapped"
    assert store.load(b.sha256) == b"photo B" * 100
    # The same content encrypted under another database key does not open under ours.
    other = AttachmentService(tmp_path / "other", AttachmentCipher(os.urandom(32), 1))
    other.store(b"photo A" * 100, "a.jpg", "image/jpeg")
    path_a.write_bytes(next(attachment_files(other.directory)).read_bytes())
    assert _refusal(store, a.sha256) == "authentication"
    path_a.write_bytes(original_a)
    assert store.load(a.sha256) == b"photo A" * 100


def test_limits_and_plain_mode(tmp_path: Path, store: AttachmentService) -> None:
    with pytest.raises(AttachmentError) as err:
        store.store(b"x" * ((1 << 20) + 1), "big.tif", "image/tiff")
    assert err.value.code == "attachment_too_large"
    plain = AttachmentService(tmp_path / "plain", None)
    with pytest.raises(AttachmentError) as err:
        plain.store(b"photo", "a.jpg", "image/jpeg")
    assert err.value.code == "attachments_need_setup"
    assert not (tmp_path / "plain").exists()


def test_rewrap_moves_every_file_to_the_new_key_and_is_idempotent(tmp_path: Path) -> None:
    old, new = AttachmentCipher(os.urandom(32), 1), AttachmentCipher(os.urandom(32), 2)
    store = AttachmentService(tmp_path / "att", old)
    refs = [store.store(f"photo {n}".encode() * 50, f"{n}.jpg", "image/jpeg") for n in range(5)]
    assert rewrap_all(tmp_path / "att", old, new) == 5
    assert rewrap_all(tmp_path / "att", old, new) == 0
    rewrapped = AttachmentService(tmp_path / "att", new)
    assert [rewrapped.load(r.sha256) for r in refs] == [f"photo {n}".encode() * 50 for n in range(5)]
    assert len(list(attachment_files(tmp_path / "att"))) == 5
