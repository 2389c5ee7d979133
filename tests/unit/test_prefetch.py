"""The reader thread of the bundle pipeline: order, errors at the right place, prompt shutdown."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator

import pytest

from repatriation.crypto.prefetch import Prefetch


def _alive(name: str) -> bool:
    return any(t.name == name and t.is_alive() for t in threading.enumerate())


def test_items_arrive_in_order_and_the_thread_ends() -> None:
    items = Prefetch(iter(range(1000)), depth=2, name="t-order")
    assert list(items) == list(range(1000))
    assert not _alive("t-order")


def test_an_error_arrives_after_the_items_before_it() -> None:
    def source() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("chunk 3 tampered")

    received: list[int] = []
    with pytest.raises(ValueError, match="chunk 3 tampered"):
        for item in Prefetch(source(), name="t-error"):
            received.append(item)
    assert received == [1, 2]
    assert not _alive("t-error")


def test_close_stops_an_endless_producer_and_runs_its_cleanup() -> None:
    cleaned = threading.Event()

    def endless() -> Iterator[int]:
        try:
            yield from itertools.count()
        finally:
            cleaned.set()

    items = Prefetch(endless(), depth=2, name="t-close")
    iterator = iter(items)
    assert [next(iterator) for _ in range(5)] == [0, 1, 2, 3, 4]
    items.close()
    items.close()  # idempotent
    assert cleaned.is_set()
    assert not _alive("t-close")


def test_the_queue_bounds_how_far_the_producer_runs_ahead() -> None:
    produced: list[int] = []
    gate = threading.Event()

    def counted() -> Iterator[int]:
        for number in range(100):
            produced.append(number)
            if number == 0:
                gate.set()
            yield number

    items = Prefetch(counted(), depth=2, name="t-bound")
    iterator = iter(items)
    assert next(iterator) == 0
    gate.wait()
    items.close()
    # one handed out, at most two queued, one more produced before it saw the stop
    assert len(produced) <= 5
