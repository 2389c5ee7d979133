"""Run an iterator on a background thread, a bounded number of items ahead of its consumer.

(Also ``hashed_alongside``: hash blocks on a second thread while the caller uses them.)

The bundle reader decrypts batch n+1 while the caller hashes and stores batch n; the queue is
bounded, so memory stays at ``depth`` items whatever the file size. An exception raised by the
iterator reaches the consumer at the point where the item would have been; ``close`` (also on
an error in the consumer) stops the thread after its current item and waits for it, so no
thread outlives the bundle that is being read.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_ITEM, _END, _ERROR, _STOPPED = range(4)


class Prefetch(Generic[T]):
    """Iterate over ``source`` on a thread; iterate this object to receive its items."""

    def __init__(self, source: Iterator[T], *, depth: int = 2, name: str = "prefetch") -> None:
        self._queue: queue.Queue[tuple[int, object]] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._finished = False
        self._thread = threading.Thread(target=self._produce, args=(source,), name=name,
                                        daemon=True)
        self._thread.start()

    def _produce(self, source: Iterator[T]) -> None:
        # Every path ends with exactly one terminal message: the consumer counts on it in close().
        try:
            for item in source:
                if self._stop.is_set():
                    self._queue.put((_STOPPED, None))
                    return
                self._queue.put((_ITEM, item))
        except BaseException as exc:  # handed to the consumer and raised there
            self._queue.put((_ERROR, exc))
            return
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()
        self._queue.put((_END, None))

    def __iter__(self) -> Iterator[T]:
        while not self._finished:
            kind, value = self._queue.get()
            if kind == _ITEM:
                yield value  # type: ignore[misc]
                continue
            self._finished = True
            self._thread.join()
            if kind == _ERROR:
                assert isinstance(value, BaseException)
                raise value

    def close(self) -> None:
        """Stop the producer (after its current item) and wait for it; idempotent."""
        self._stop.set()
        while not self._finished:
            kind, _ = self._queue.get()  # draining unblocks a producer waiting on a full queue
            if kind != _ITEM:
                self._finished = True
        self._thread.join()


def hashed_alongside(blocks: Iterable[bytes], digest: Any) -> Iterator[bytes]:
    """Yield ``blocks`` while ``digest.update`` runs on each one on a second thread.

    ``hashlib`` releases the GIL, so hashing a 64 MiB file overlaps with the caller's work on
    the previous block (encrypting it). ``digest`` is complete once the iterator ends; blocks
    must not be changed after they are yielded (bytes, or views of buffers never reused).
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sha256") as hasher:
        pending: Future[None] | None = None
        for block in blocks:
            if pending is not None:
                pending.result()
            pending = hasher.submit(digest.update, block)
            yield block
        if pending is not None:
            pending.result()
