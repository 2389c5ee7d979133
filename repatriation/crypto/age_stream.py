"""The age payload: ChaCha20-Poly1305 STREAM in 64 KiB chunks, sealed and opened in batches.

Memory stays constant (a few batches of 2 MiB) whatever the file size. Sealing splits each batch
over two threads; opening decrypts on a reader thread one batch ahead of the consumer, who
hashes and stores the previous one meanwhile (``cryptography`` and ``hashlib`` release the GIL,
so the 2-core posts' laptops use both cores; measured in ``bench/bench_bundles.py``). Chunks
are sealed and opened straight into preallocated buffers (``encrypt_into``/``decrypt_into``):
joining 64 KiB pieces cost a tenth of the import time.

Opening is strict per the spec: each chunk must authenticate with its index and final flag; the
stream must end with exactly one final chunk, non-empty unless the whole payload is empty; a
file that ends at a full non-final chunk is ``truncated``, anything else that fails ``tampered``.
A buffer that failed to authenticate is dropped with the error, never handed on.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305

from repatriation.crypto.prefetch import Prefetch
from repatriation.domain.bundle_errors import TamperedError, TruncatedError

CHUNK = 64 * 1024
TAG = 16
SEALED_CHUNK = CHUNK + TAG
NONCE_SIZE = 16
BATCH_CHUNKS = 32
Aead = type[ChaCha20Poly1305] | type[AESGCM]
Buffer = bytes | bytearray | memoryview


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def sealed_size(plaintext_size: int) -> int:
    """Bytes of payload (nonce included) that ``plaintext_size`` bytes encrypt to."""
    chunks = max(1, -(-plaintext_size // CHUNK))
    return NONCE_SIZE + plaintext_size + TAG * chunks


def read_full(source: BinaryIO, size: int) -> bytes:
    """Read ``size`` bytes, fewer only at end of file (raw streams may return short reads)."""
    data = source.read(size)
    if data is None:
        data = b""
    if len(data) == size or not data:
        return data
    parts = [data]
    got = len(data)
    while got < size:
        more = source.read(size - got)
        if not more:
            break
        parts.append(more)
        got += len(more)
    return b"".join(parts)


def read_into_full(source: BinaryIO, buffer: bytearray) -> int:
    """Fill ``buffer`` from ``source``; returns the bytes read (fewer only at end of file)."""
    view = memoryview(buffer)
    got = 0
    while got < len(buffer):
        # typeshed's BinaryIO lacks readinto; every source here is a file or a BufferedReader.
        count = source.readinto(view[got:])  # type: ignore[attr-defined]
        if not count:
            break
        got += count
    return got


class _Workers:
    """Runs ``fn(start, stop)`` over two halves of a range: one here, one on a worker thread."""

    def __init__(self, parallel: bool = True) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="age") if parallel else None

    def run_halves(self, fn: Callable[[int, int], None], count: int) -> None:
        if count < 4 or self._pool is None:
            fn(0, count)
            return
        middle = count // 2
        future: Future[None] = self._pool.submit(fn, middle, count)
        try:
            fn(0, middle)
        finally:
            future.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)


class StreamSealer:
    """A write-only stream that encrypts into ``sink``; ``close`` writes the final chunk.

    ``aead`` defaults to age's ChaCha20-Poly1305; private staging files use AES-256-GCM, which
    runs several times faster where AES instructions exist (same STREAM construction) and
    needs no second thread (``parallel=False``): fewer thread hand-offs on a busy machine.
    """

    def __init__(self, payload_key: bytes, sink: BinaryIO, aead: Aead = ChaCha20Poly1305,
                 parallel: bool = True) -> None:
        self._aead = aead(payload_key)
        self._sink = sink
        self._buffer = bytearray()
        self._index = 0
        self._closed = False
        self._workers = _Workers(parallel)
        self.plaintext_size = 0

    def write(self, data: Buffer) -> int:
        """Seal every full chunk that is certainly not the last, straight from ``data``.

        At most one chunk is copied (the partial one carried between writes); the chunk that
        turns out to be the last needs the final flag, so at least one byte is always kept.
        """
        if self._closed:
            raise ValueError("write to a closed StreamSealer")
        view = memoryview(data).cast("B")
        size = view.nbytes
        self.plaintext_size += size
        pieces: list[memoryview] = []
        offset = 0
        if self._buffer:
            offset = min(CHUNK - len(self._buffer), size)
            self._buffer += view[:offset]
            if offset == size:
                return size
            pieces.append(memoryview(self._buffer))
            self._buffer = bytearray()
        whole = (size - offset - 1) // CHUNK
        pieces.extend(view[offset + i * CHUNK:offset + (i + 1) * CHUNK] for i in range(whole))
        offset += whole * CHUNK
        self._buffer += view[offset:]
        self._seal(pieces, final=False)
        return size

    def close(self) -> None:
        """Seal what is left, the last chunk with the final flag (an empty payload: one chunk)."""
        if self._closed:
            return
        self._closed = True
        try:
            self._seal([memoryview(self._buffer)], final=True)
        finally:
            self._buffer = bytearray()
            self._workers.close()

    def _seal(self, pieces: list[memoryview], final: bool) -> None:
        aead = self._aead
        for start in range(0, len(pieces), BATCH_CHUNKS):
            group = pieces[start:start + BATCH_CHUNKS]
            last_flag = final and start + BATCH_CHUNKS >= len(pieces)
            offsets = [0]
            for piece in group:
                offsets.append(offsets[-1] + piece.nbytes + TAG)
            out = bytearray(offsets[-1])
            target = memoryview(out)
            first = self._index

            def seal_range(begin: int, stop: int, group: list[memoryview] = group,
                           last_flag: bool = last_flag, first: int = first,
                           offsets: list[int] = offsets, target: memoryview = target) -> None:
                for i in range(begin, stop):
                    flag = last_flag and i == len(group) - 1
                    aead.encrypt_into(_nonce(first + i, flag), group[i], None,
                                      target[offsets[i]:offsets[i + 1]])

            self._workers.run_halves(seal_range, len(group))
            self._sink.write(out)
            self._index += len(group)


class StreamOpener:
    """Decrypts a payload from ``source`` (after the nonce) and yields authenticated blocks.

    Each block is authentic on its own; the stream as a whole is only proven complete when the
    iterator ends without an error, so callers keep everything in staging until then. Blocks
    are read-only views of fresh buffers: a consumer may keep them (e.g. hash on a thread).
    """

    def __init__(self, payload_key: bytes, source: BinaryIO,
                 on_bytes: Callable[[int], None] | None = None,
                 aead: Aead = ChaCha20Poly1305) -> None:
        self._aead = aead(payload_key)
        self._source = source
        self._on_bytes = on_bytes
        self.plaintext_size = 0

    def blocks(self) -> Generator[memoryview, None, None]:
        """Plaintext, one block per batch; raises ``TamperedError``/``TruncatedError``.

        The first batch is opened here; only a payload longer than one batch starts the reader
        thread (key files and small messages never do).
        """
        batches = self._batches()
        first = next(batches)
        yield from self._deliver(first)
        if not first[2]:
            return
        ahead = Prefetch(batches, name="age-open")
        try:
            for batch in ahead:
                yield from self._deliver(batch)
        finally:
            ahead.close()

    def _deliver(self, batch: tuple[memoryview, int, bool]) -> Iterator[memoryview]:
        block, consumed, _ = batch
        self.plaintext_size += block.nbytes
        if block.nbytes:
            yield block
        if self._on_bytes is not None:
            self._on_bytes(consumed)

    def _batches(self) -> Iterator[tuple[memoryview, int, bool]]:
        """(plaintext, ciphertext bytes consumed, more to come) per batch, in order."""
        size = BATCH_CHUNKS * SEALED_CHUNK
        current, following = bytearray(size), bytearray(size)
        length = read_into_full(self._source, current)
        if not length:
            raise TruncatedError("payload", "chunk 0", reason="no_chunks")
        index = 0
        while True:
            more = read_into_full(self._source, following) if length == size else 0
            plain = self._open_batch(memoryview(current)[:length], index, final=not more)
            yield plain, length, bool(more)
            if not more:
                return
            index += BATCH_CHUNKS
            current, following, length = following, current, more

    def _open_batch(self, data: memoryview, first: int, final: bool) -> memoryview:
        count = -(-data.nbytes // SEALED_CHUNK)
        full = count - 1 if final else count
        last = data[full * SEALED_CHUNK:] if final else data[:0]
        if final and last.nbytes < TAG:
            raise TruncatedError("payload", f"chunk {first + full}", reason="chunk_shorter_than_tag")
        out = bytearray(full * CHUNK + (last.nbytes - TAG if final else 0))
        target = memoryview(out)
        aead = self._aead
        for i in range(full):
            try:
                aead.decrypt_into(_nonce(first + i, False),
                                  data[i * SEALED_CHUNK:(i + 1) * SEALED_CHUNK], None,
                                  target[i * CHUNK:(i + 1) * CHUNK])
            except InvalidTag:
                raise TamperedError("payload", f"chunk {first + i}",
                                    reason="chunk_auth_failed") from None
        if final:
            self._open_last(last, first + full, target[full * CHUNK:])
        return target.toreadonly()

    def _open_last(self, piece: memoryview, index: int, into: memoryview) -> None:
        where = f"chunk {index}"
        try:
            self._aead.decrypt_into(_nonce(index, True), piece, None, into)
        except InvalidTag:
            if piece.nbytes == SEALED_CHUNK and self._authentic_non_final(piece, index):
                raise TruncatedError("payload", where, reason="no_final_chunk") from None
            raise TamperedError("payload", where, reason="chunk_auth_failed") from None
        if not into.nbytes and index > 0:
            raise TamperedError("payload", where, reason="empty_final_chunk")

    def _authentic_non_final(self, piece: memoryview, index: int) -> bool:
        try:
            self._aead.decrypt(_nonce(index, False), piece, None)
        except InvalidTag:
            return False
        return True
