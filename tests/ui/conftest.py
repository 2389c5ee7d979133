"""Fixtures for the desk's page tests: fake services, a task runner, a recording prompter."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from i18n import Translator
from tests.ui.fakes import OFFICER, FakePrompter, FakeServices, fake_services
from ui.context import AppContext
from ui.tasks import TaskRunner


@pytest.fixture(autouse=True)
def fail_on_slot_exception() -> Iterator[list[str]]:
    """Any exception raised in a Qt slot (which Qt only prints) fails the test at teardown."""
    caught: list[str] = []
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        caught.append("".join(traceback.format_exception(kind, error, tb)))
        previous(kind, error, tb)

    sys.excepthook = hook
    yield caught
    sys.excepthook = previous
    if caught:
        pytest.fail("exception in a Qt slot:\n" + "\n".join(caught))


@pytest.fixture
def services(tmp_path: Path) -> FakeServices:
    return fake_services(tmp_path / "desk")


@pytest.fixture
def prompter() -> FakePrompter:
    return FakePrompter()


@pytest.fixture
def ctx(qapp: object, services: FakeServices, prompter: FakePrompter) -> Iterator[AppContext]:
    runner = TaskRunner()
    context = AppContext(
        services=services,  # type: ignore[arg-type]
        tasks=runner,
        prompter=prompter,
        translator=Translator("en"),
        actor=OFFICER,
    )
    yield context
    runner.shutdown()


def wait_idle(qtbot: object, ctx: AppContext, timeout: int = 5000) -> None:
    """Wait until every task queued so far has come back to the GUI thread."""
    qtbot.waitUntil(lambda: ctx.tasks.idle, timeout=timeout)  # type: ignore[attr-defined]


def on_next_dialog(fill: Callable[[QWidget], None], attempts: int = 200) -> None:
    """Answer the next modal dialog: ``fill`` sets its fields and accepts or rejects it."""

    def handle(left: int = attempts) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if left:
                QTimer.singleShot(10, lambda: handle(left - 1))
            return
        fill(dialog)

    QTimer.singleShot(0, handle)


def acknowledge_every_arrival(qtbot: object, reception: Any, count: int,
                              facility: str = "Trung tâm CTXH tỉnh Lào Cai") -> None:
    """On the reception page, acknowledge ``count`` incoming children one by one into ``facility``."""
    wait = qtbot.waitUntil  # type: ignore[attr-defined]
    wait(lambda: reception.incoming_model.total == count, timeout=10000)
    for _ in range(count):
        reception.incoming.selectRow(0)
        on_next_dialog(lambda d: (d.facility.setCurrentText(facility), d._try_accept()))
        before = reception.incoming_model.total
        reception.acknowledge_receipt()
        wait(lambda before=before: reception.incoming_model.total == before - 1, timeout=10000)


@pytest.fixture
def key_posts(qapp: object, tmp_path: Path) -> Iterator[tuple[Any, Any, AppContext, FakePrompter, Any]]:
    """Two posts with bundle keys (LC and HK), and the desk's context and key adapter at LC."""
    from repatriation.domain.clock import FixedClock
    from tests.crypto.service_kit import make_post, now
    from ui.bundle_adapter import DeskBundles

    clock = FixedClock(now())
    lc, hk = make_post(tmp_path, "lc", clock), make_post(tmp_path, "hk", clock)
    runner = TaskRunner()
    prompter = FakePrompter()
    ctx = AppContext(services=lc.services, tasks=runner, prompter=prompter,  # type: ignore[arg-type]
                     translator=Translator("en"), actor=OFFICER)
    yield lc, hk, ctx, prompter, DeskBundles(lc.bundles, ctx.translator)
    runner.shutdown()
    for post in (lc, hk):
        post.services.close()
