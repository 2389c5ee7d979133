"""Attachments read and written block by block: the same files and the same refusals as whole ones.

A bundle export reads a 64 MiB scan through ``blocks`` and an import writes it through
``sealer`` + ``adopt``, so neither holds it in memory: every file must stay readable by the
whole-file path, and every damaged file must be refused with the same reason.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from repatriation.crypto.attachment_cipher import BLOCK, AttachmentCipher
from repatriation.domain.attachment_files import AttachmentError
from repatriation.services.attachments import AttachmentService
from repatriation.vault.attachment_rewrap import attachment_files

SIZES = (0, 1, 4096, BLOCK, BLOCK + 7, 3 * BLOCK - 1)


@pytest.fixture
def store(tmp_path: Path) -> AttachmentService:
    return AttachmentService(tmp_path / "attachments", AttachmentCipher(os.urandom(32), 1),
                             max_bytes=4 * BLOCK)


@pytest.mark.parametrize("size", SIZES)
def test_blocks_give_what_load_gives(store: AttachmentService, size: int) -> None:
    data = os.urandom(size)
    ref = store.store(data, "scan.tif", "image/tiff")
    pieces = list(store.blocks(ref.sha256))
    assert b"".join(pieces) == data == store.load(ref.sha256)
    assert all(len(piece) <= BLOCK for piece in pieces)


def _reason(action: object) -> str:
    with pytest.raises(AttachmentError) as err:
        action()  # type: ignore[operator]
    return f"{err.value.code}:{err.value.params.get('reason', '')}"


def test_every_damage_is_refused_by_blocks_as_by_load(store: AttachmentService,
                                                      tmp_path: Path) -> None:
    data = os.urandom(2 * BLOCK + 99)
    a = store.store(data, "a.jpg", "image/jpeg")
    b = store.store(b"photo B" * 100, "b.jpg", "image/jpeg")
    path = store._path_for(a.sha256)
    original = path.read_bytes()
    other = AttachmentService(tmp_path / "other", AttachmentCipher(os.urandom(32), 1))
    other.store(data, "a.jpg", "image/jpeg")
    damaged = [bytes(original[:n]) + bytes([original[n] ^ 1]) + original[n + 1:]
               for n in (0, 5, 30, 40, 70, BLOCK, len(original) - 17, len(original) - 1)]
    damaged += [original[:-1], original[:60], original[:20], b"",
                store._path_for(b.sha256).read_bytes(), next(attachment_files(other.directory)).read_bytes()]
    for blob in damaged:
        path.write_bytes(blob)
        whole = _reason(lambda: store.load(a.sha256))
        streamed = _reason(lambda: b"".join(store.blocks(a.sha256)))
        assert streamed == whole, len(blob)
    path.unlink()
    assert _reason(lambda: list(store.blocks(a.sha256))) == "attachment_missing:"


@pytest.mark.parametrize("size", SIZES)
def test_a_file_sealed_block_by_block_and_adopted_reads_back(store: AttachmentService,
                                                             tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    sha = hashlib.sha256(data).hexdigest()
    staged = tmp_path / "staged.part"
    with staged.open("wb") as handle:
        sink = store.sealer(handle, sha)
        for start in range(0, size, 100_000):
            sink.write(memoryview(data)[start:start + 100_000])
        sink.close()
    os.chmod(staged, 0o600)
    ref = store.adopt(staged, sha, size, "Ảnh.jpg", "image/jpeg", "scan")
    assert (ref.sha256, ref.size, ref.kind) == (sha, size, "scan")
    assert not staged.exists()
    assert store.load(sha) == data
    assert stat.S_IMODE(store._path_for(sha).stat().st_mode) == 0o600


def test_adopt_refuses_too_large_and_keeps_what_is_stored(store: AttachmentService,
                                                          tmp_path: Path) -> None:
    data = b"the same photo" * 1000
    sha = hashlib.sha256(data).hexdigest()
    stored = store._path_for(store.store(data, "a.jpg", "image/jpeg").sha256)
    before = stored.read_bytes()
    staged = tmp_path / "again.part"
    with staged.open("wb") as handle:
        sink = store.sealer(handle, sha)
        sink.write(memoryview(data))
        sink.close()
    store.adopt(staged, sha, len(data), "a.jpg", "image/jpeg")
    assert stored.read_bytes() == before  # identical content is stored once, never rewritten
    with pytest.raises(AttachmentError) as err:
        store.adopt(staged, sha, 4 * BLOCK + 1, "big.tif", "image/tiff")
    assert err.value.code == "attachment_too_large"
    plain = AttachmentService(tmp_path / "plain", None)
    with staged.open("wb") as handle:
        assert _reason(lambda: plain.sealer(handle, sha)) == "attachments_need_setup:"


def test_every_folder_of_the_store_is_owner_only_whatever_the_umask(store: AttachmentService,
                                                                   tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual desktop umask: mkdir alone would give 0755
    try:
        data = os.urandom(5000)
        store.store(data, "photo.jpg", "image/jpeg")
        other = os.urandom(6000)
        sha = hashlib.sha256(other).hexdigest()
        staged = tmp_path / "staged.part"
        with staged.open("wb") as handle:
            sink = store.sealer(handle, sha)
            sink.write(other)
            sink.close()
        store.adopt(staged, sha, len(other), "scan.jpg", "image/jpeg", "scan")
    finally:
        os.umask(old)
    root = tmp_path / "attachments"
    folders = [root, *(p for p in root.rglob("*") if p.is_dir())]
    assert len(folders) >= 3  # the store and one folder per stored file's prefix
    assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in folders} == {oct(0o700)}
