"""Run service calls off the GUI thread: database work on ONE worker, other work on a pool.

A task's progress callback ``(done, total, message_code)`` is re-emitted as a Qt signal, its
result or error comes back on the GUI thread, and a mutating task ends with one app-wide
``data_changed(Changes)`` that pages refresh themselves from (Anki's CollectionOp pattern).
SQLite allows one writer at a time, hence the single database worker: it also keeps the order
of the officer's actions.
"""

from __future__ import annotations

import itertools
import logging
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot

from repatriation.services.results import Changes

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]


class TaskCancelled(Exception):
    """Raised inside a task by its progress callback once the officer pressed Cancel."""


@dataclass(eq=False)
class Task:
    """A submitted task: cancel it, or watch its signals on the runner."""

    id: int
    label: str
    cancellable: bool
    on_database: bool
    _cancel: threading.Event = field(default_factory=threading.Event, repr=False)

    def cancel(self) -> None:
        """Ask the task to stop at its next progress report."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """Whether cancel was asked."""
        return self._cancel.is_set()


class _Bridge(QObject):
    """Lives on the GUI thread; workers emit here and Qt queues the call across threads."""

    reported = Signal(object, int, int, str)
    ended = Signal(object, bool, object)


@dataclass
class _Callbacks:
    done: Callable[[Any], object] | None
    error: Callable[[BaseException], object] | None
    changes: Callable[[Any], Changes | None] | None
    owner: QObject | None


class TaskRunner(QObject):
    """Submits tasks and turns their outcome into signals on the GUI thread."""

    started = Signal(object)  # Task
    progress = Signal(object, int, int, str)  # Task, done, total, message_code
    finished = Signal(object, object)  # Task, result
    failed = Signal(object, object)  # Task, exception
    data_changed = Signal(object)  # Changes
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, pool_size: int = 2) -> None:
        super().__init__(parent)
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="desk-db")
        self._pool = ThreadPoolExecutor(max_workers=pool_size, thread_name_prefix="desk-pool")
        self._ids = itertools.count(1)
        self._running: dict[int, tuple[Task, _Callbacks]] = {}
        self._bridge = _Bridge(self)
        self._bridge.reported.connect(self._on_reported)
        self._bridge.ended.connect(self._on_ended)
        self._closed = False
        # Errors of tasks that gave no error callback go here (the context shows them).
        self.unhandled_error: Callable[[Task, BaseException], None] | None = None

    # -- submitting ----------------------------------------------------------------------------

    def run_db(
        self,
        work: Callable[..., Any],
        *,
        done: Callable[[Any], object] | None = None,
        error: Callable[[BaseException], object] | None = None,
        changes: Callable[[Any], Changes | None] | None = None,
        label: str = "",
        with_progress: bool = False,
        cancellable: bool = False,
        owner: QObject | None = None,
    ) -> Task:
        """Run ``work`` on the single database worker.

        ``work()`` is called without arguments, or with a progress callback when
        ``with_progress``; ``changes(result)`` names what a mutating task changed.
        """
        return self._submit(
            self._db,
            work,
            _Callbacks(done, error, changes, owner),
            label,
            with_progress,
            cancellable,
        )

    def run(
        self,
        work: Callable[..., Any],
        *,
        done: Callable[[Any], object] | None = None,
        error: Callable[[BaseException], object] | None = None,
        label: str = "",
        with_progress: bool = False,
        cancellable: bool = False,
        owner: QObject | None = None,
    ) -> Task:
        """Run ``work`` on the pool (files, PDF rendering, crypto): never for database calls."""
        return self._submit(
            self._pool,
            work,
            _Callbacks(done, error, None, owner),
            label,
            with_progress,
            cancellable,
        )

    def _submit(
        self,
        executor: ThreadPoolExecutor,
        work: Callable[..., Any],
        callbacks: _Callbacks,
        label: str,
        with_progress: bool,
        cancellable: bool,
    ) -> Task:
        if self._closed:
            raise RuntimeError("task runner is shut down")
        task = Task(next(self._ids), label, cancellable, executor is self._db)
        self._running[task.id] = (task, callbacks)
        if len(self._running) == 1:
            self.busy_changed.emit(True)
        self.started.emit(task)
        executor.submit(self._execute, task, work, with_progress)
        return task

    # -- on the worker -------------------------------------------------------------------------

    def _execute(self, task: Task, work: Callable[..., Any], with_progress: bool) -> None:
        def report(done: int, total: int, message_code: str) -> None:
            if task.cancelled:
                raise TaskCancelled(message_code)
            self._bridge.reported.emit(task, done, total, message_code)

        try:
            if task.cancelled:
                raise TaskCancelled("before_start")
            result = work(report) if with_progress else work()
        except BaseException as exc:  # every failure, cancellation included, must reach the GUI
            self._bridge.ended.emit(task, False, exc)
            return
        self._bridge.ended.emit(task, True, result)

    # -- back on the GUI thread ----------------------------------------------------------------

    @Slot(object, int, int, str)
    def _on_reported(self, task: Task, done: int, total: int, message_code: str) -> None:
        if task.id in self._running:
            self.progress.emit(task, done, total, message_code)

    @Slot(object, bool, object)
    def _on_ended(self, task: Task, ok: bool, payload: Any) -> None:
        entry = self._running.pop(task.id, None)
        if entry is None:
            return
        callbacks = entry[1]
        alive = callbacks.owner is None or shiboken6.isValid(callbacks.owner)
        try:
            if ok:
                self._succeeded(task, callbacks, payload, alive)
            else:
                self._errored(task, callbacks, payload, alive)
        finally:
            if not self._running:
                self.busy_changed.emit(False)

    def _succeeded(self, task: Task, callbacks: _Callbacks, result: Any, alive: bool) -> None:
        if alive and callbacks.done is not None:
            callbacks.done(result)
        self.finished.emit(task, result)
        changed = callbacks.changes(result) if callbacks.changes is not None else None
        if changed is not None and not changed.empty:
            self.data_changed.emit(changed)

    def _errored(self, task: Task, callbacks: _Callbacks, error: BaseException, alive: bool) -> None:
        if not isinstance(error, TaskCancelled):
            # Type and frames only: messages of database errors can quote personal data.
            frames = "".join(traceback.format_tb(error.__traceback__)[-3:])
            log.warning("task %s (%s) failed: %s\n%s", task.id, task.label, type(error).__name__, frames)
        self.failed.emit(task, error)
        if isinstance(error, TaskCancelled):
            return
        if alive and callbacks.error is not None:
            callbacks.error(error)
        elif self.unhandled_error is not None:
            self.unhandled_error(task, error)

    # -- state ---------------------------------------------------------------------------------

    @property
    def idle(self) -> bool:
        """No task is queued or running."""
        return not self._running

    def running(self) -> list[Task]:
        """Tasks not finished yet, oldest first."""
        return [task for task, _ in self._running.values()]

    def cancel_all(self) -> None:
        """Ask every running task to stop."""
        for task, _ in self._running.values():
            task.cancel()

    def shutdown(self) -> None:
        """Cancel what can be cancelled and wait for the workers (at application exit)."""
        self._closed = True
        self.cancel_all()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._db.shutdown(wait=True, cancel_futures=True)
