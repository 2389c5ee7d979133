"""Desk benchmarks at 100,000 cases: keystroke-to-table in the case search, and cold start.

* Search: one key typed into the case page's search box until the table shows the new rows
  (debounce, query on the database worker, model reset, repaint), beside the bare service
  query for the same text.
* Cold start: a new process until the main window is shown with its first page of cases,
  beside a new process showing an empty QMainWindow. Both run offscreen (``make bench``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

CASES = 100_000
ROOT = Path(__file__).resolve().parents[1]
Report = Callable[[str, float, float, str], None]
# Words typed letter by letter: each keystroke is timed on its own, as an officer types.
WORDS = ("nguyen", "hoa", "meo", "sua")

_DESK_START = """
import sys, time
from pathlib import Path
import ui
from i18n import Translator
from repatriation.bootstrap import build_services
from repatriation.config import Settings
from repatriation.domain.actors import Actor, Role
from ui.application import build_context, prepare_app
from ui.main_window import MainWindow
app = prepare_app([])
services = build_services(Settings(data_dir=Path(sys.argv[1])))
ctx = build_context(services, Translator("vi"), Actor("bench", Role.BORDER_GUARD))
window = MainWindow(ctx)
from PySide6.QtCore import QEventLoop
loop = QEventLoop()
window.cases.query_applied.connect(lambda _page: loop.quit())
window.show()
loop.exec()
window.cases.table.viewport().repaint()
print("READY", flush=True)
ctx.tasks.shutdown()
services.close()
"""

_EMPTY_START = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1366, 768)
window.show()
app.processEvents()
window.repaint()
print("READY", flush=True)
"""


def _cold_start_ms(script: str, *args: str, repeat: int = 3) -> float:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "PYTHONPATH": str(ROOT),
    }
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", script, *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("READY"):
                times.append((time.perf_counter() - started) * 1000)
                break
        process.wait(timeout=120)
    if not times:
        raise RuntimeError("the process never reported READY")
    return statistics.median(times)


def _build(data: Path) -> None:
    from repatriation.bootstrap import build_services
    from repatriation.config import Settings
    from repatriation.domain.actors import Actor

    services = build_services(Settings(data_dir=data))
    started = time.perf_counter()
    for batch in range(CASES // 10_000):
        services.demo.seed(Actor.system(), 10_000, seed=batch + 1)
    print(f"   built {services.cases.count()} cases in {time.perf_counter() - started:.1f} s", flush=True)
    services.close()


def _search_figures(data: Path) -> tuple[float, float, int]:
    """Median keystroke-to-table time, median bare query time, and how many keys were timed."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest

    import ui  # noqa: F401 - applies the PySide6 work-around before any widget exists
    from i18n import Translator
    from repatriation.bootstrap import build_services
    from repatriation.config import Settings
    from repatriation.domain.actors import Actor, Role
    from repatriation.services.results import CaseQuery
    from ui.application import build_context, prepare_app
    from ui.pages.cases_page import CasesPage

    app = prepare_app([])
    actor = Actor("bench", Role.BORDER_GUARD)
    services = build_services(Settings(data_dir=data))
    ctx = build_context(services, Translator("vi"), actor)
    page = CasesPage(ctx)
    page.resize(1176, 700)
    page.show()
    applied: list[object] = []
    page.query_applied.connect(applied.append)

    def wait_table() -> None:
        # Block in Qt's event loop (as the real desk does) rather than spinning processEvents,
        # which would fight the database worker for the GIL and inflate the figure.
        if not (applied and ctx.tasks.idle):
            loop = QEventLoop()
            check = lambda *_args: applied and ctx.tasks.idle and loop.quit()  # noqa: E731
            page.query_applied.connect(check)
            ctx.tasks.busy_changed.connect(check)
            QTimer.singleShot(60_000, loop.quit)
            loop.exec()
            page.query_applied.disconnect(check)
            ctx.tasks.busy_changed.disconnect(check)
        if not applied:
            raise RuntimeError("the case table was not updated within 60 s")
        page.table.viewport().repaint()  # the officer sees the rows only once they are painted

    wait_table()
    ui_times, query_times = [], []
    for word in WORDS:
        if page.search.text():
            applied.clear()
            page.search.clear()
            wait_table()
        for letter in word:
            applied.clear()
            started = time.perf_counter()
            QTest.keyClick(page.search, letter, Qt.KeyboardModifier.NoModifier)
            wait_table()
            ui_times.append((time.perf_counter() - started) * 1000)
            query = CaseQuery(text=page.search.text(), limit=page.model.page_size)
            started = time.perf_counter()
            services.cases.list_cases(query, actor=actor)
            query_times.append((time.perf_counter() - started) * 1000)
    ctx.tasks.shutdown()
    page.close()
    app.processEvents()  # let the closed page go before the services close
    services.close()
    return statistics.median(ui_times), statistics.median(query_times), len(ui_times)


def run(report: Report) -> None:
    """Build 100,000 demo cases once, then measure both figures."""
    with tempfile.TemporaryDirectory(prefix="rd-bench-ui-") as tmp:
        data = Path(tmp) / "desk"
        _build(data)
        _measure(report, data)


def _measure(report: Report, data: Path) -> None:
    """Both figures on an existing desk of 100,000 cases."""
    ui_ms, query_ms, keys = _search_figures(data)
    report(
        f"keystroke -> updated case table ({keys} keys, 100k cases)",
        ui_ms,
        query_ms,
        "goal < 100 ms; ref = bare list_cases",
    )
    desk_ms = _cold_start_ms(_DESK_START, str(data))
    empty_ms = _cold_start_ms(_EMPTY_START)
    report(
        "cold start -> interactive main window (100k cases)",
        desk_ms,
        empty_ms,
        "goal < 2000 ms; ref = empty QMainWindow",
    )
