"""The age payload: ChaCha20-Poly1305 STREAM in 64 KiB chunks, sealed and opened in batches.

Memory stays constant (a few batches of 2 MiB) whatever the file size. Chunks of a batch are
processed on two threads: ``cryptography`` releases the GIL inside the AEAD, which doubles the
throughput on the 2-core posts' laptops (measured in ``bench/bench_bundles.py``).

Opening is strict per the spec: each chunk must authenticate with its index and final flag; the
stream must end with exactly one final chunk, non-empty unless the whole payload is empty; a
file that ends at a full non-final chunk is ``truncated``, anything else that fails ``tampered``.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305

from repatriation.crypto.errors import TamperedError, TruncatedError

CHUNK = 64 * 1024
TAG = 16
SEALED_CHUNK = CHUNK + TAG
NONCE_SIZE = 16
BATCH_CHUNKS = 32
_WORKERS = 2
Aead = type[ChaCha20Poly1305] | type[AESGCM]


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


class _Workers:
    """Runs a function over two halves of a batch: one half here, one on a worker thread."""

    def __init__(self, parallel: bool = True) -> None:
        self._pool = (ThreadPoolExecutor(max_workers=_WORKERS - 1, thread_name_prefix="age")
                      if parallel else None)

    def map_halves(self, fn: Callable[[int, int], bytes], count: int) -> list[bytes]:
        if count < 4 or self._pool is None:
            return [fn(0, count)]
        middle = count // 2
        future: Future[bytes] = self._pool.submit(fn, middle, count)
        first = fn(0, middle)
        return [first, future.result()]

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

    def write(self, data: bytes | bytearray | memoryview) -> int:
        """Seal every full batch that is certainly not the last, straight from ``data``.

        Only a partial batch is copied into the buffer: copying each write in and deleting
        from the buffer's front cost a quarter of the export time (profiled, 256 MiB).
        """
        if self._closed:
            raise ValueError("write to a closed StreamSealer")
        view = memoryview(data).cast("B")
        size = view.nbytes
        self.plaintext_size += size
        batch = BATCH_CHUNKS * CHUNK
        offset = 0
        # Keep at least one byte back: the chunk that turns out to be last needs the final flag.
        if self._buffer:
            offset = min(batch - len(self._buffer), size)
            self._buffer += view[:offset]
            if offset == size:
                return size
            self._seal(memoryview(self._buffer), last_is_final=False)
            self._buffer = bytearray()
        while size - offset > batch:
            self._seal(view[offset:offset + batch], last_is_final=False)
            offset += batch
        self._buffer += view[offset:]
        return size

    def close(self) -> None:
        """Seal what is left, the last chunk with the final flag (an empty payload: one chunk)."""
        if self._closed:
            return
        self._closed = True
        try:
            self._seal(memoryview(self._buffer), last_is_final=True)
        finally:
            self._buffer = bytearray()
            self._workers.close()

    def _seal(self, data: memoryview, last_is_final: bool) -> None:
        count = max(1, -(-len(data) // CHUNK))
        first = self._index
        aead = self._aead

        def seal_range(start: int, stop: int) -> bytes:
            out = []
            for i in range(start, stop):
                final = last_is_final and i == count - 1
                out.append(aead.encrypt(_nonce(first + i, final), data[i * CHUNK:(i + 1) * CHUNK],
                                        None))
            return b"".join(out)

        for part in self._workers.map_halves(seal_range, count):
            self._sink.write(part)
        self._index += count


class StreamOpener:
    """Decrypts a payload from ``source`` (after the nonce) and yields authenticated blocks.

    Each block is authentic on its own; the stream as a whole is only proven complete when the
    iterator ends without an error, so callers keep everything in staging until then.
    """

    def __init__(self, payload_key: bytes, source: BinaryIO,
                 on_bytes: Callable[[int], None] | None = None,
                 aead: Aead = ChaCha20Poly1305) -> None:
        self._aead = aead(payload_key)
        self._source = source
        self._on_bytes = on_bytes
        self.plaintext_size = 0

    def blocks(self) -> Generator[bytes, None, None]:
        """Plaintext, one block per half batch; raises ``TamperedError``/``TruncatedError``."""
        workers = _Workers()
        try:
            yield from self._blocks(workers)
        finally:
            workers.close()

    def _blocks(self, workers: _Workers) -> Iterator[bytes]:
        size = BATCH_CHUNKS * SEALED_CHUNK
        current = read_full(self._source, size)
        if not current:
            raise TruncatedError("payload", "chunk 0", reason="no_chunks")
        index = 0
        while True:
            following = read_full(self._source, size) if len(current) == size else b""
            for block in self._open_batch(workers, current, index, final=not following):
                self.plaintext_size += len(block)
                yield block
            if self._on_bytes is not None:
                self._on_bytes(len(current))
            if not following:
                return
            index += BATCH_CHUNKS
            current = following

    def _open_batch(self, workers: _Workers, data: bytes, first: int,
                    final: bool) -> list[bytes]:
        view = memoryview(data)
        count = -(-len(data) // SEALED_CHUNK)
        full = count - 1 if final else count
        aead = self._aead

        def open_range(start: int, stop: int) -> bytes:
            out = []
            for i in range(start, stop):
                try:
                    out.append(aead.decrypt(_nonce(first + i, False),
                                            view[i * SEALED_CHUNK:(i + 1) * SEALED_CHUNK], None))
                except InvalidTag:
                    raise TamperedError("payload", f"chunk {first + i}",
                                        reason="chunk_auth_failed") from None
            return b"".join(out)

        blocks = workers.map_halves(open_range, full) if full else []
        if final:
            blocks.append(self._open_last(view[full * SEALED_CHUNK:], first + full))
        return blocks

    def _open_last(self, piece: memoryview, index: int) -> bytes:
        where = f"chunk {index}"
        if len(piece) < TAG:
            raise TruncatedError("payload", where, reason="chunk_shorter_than_tag")
        try:
            plain = self._aead.decrypt(_nonce(index, True), piece, None)
        except InvalidTag:
            if len(piece) == SEALED_CHUNK and self._authentic_non_final(piece, index):
                raise TruncatedError("payload", where, reason="no_final_chunk") from None
            raise TamperedError("payload", where, reason="chunk_auth_failed") from None
        if not plain and index > 0:
            raise TamperedError("payload", where, reason="empty_final_chunk")
        return plain

    def _authentic_non_final(self, piece: memoryview, index: int) -> bool:
        try:
            self._aead.decrypt(_nonce(index, False), piece, None)
        except InvalidTag:
            return False
        return True
