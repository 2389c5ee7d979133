"""The statistics page on real services (SQLite, demo data): exact vs released, charts, export."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from i18n import Translator
from repatriation.bootstrap import Services, build_services
from repatriation.config import Settings
from repatriation.domain.actors import Actor, Role
from repatriation.domain.clock import FixedClock
from repatriation.domain.statistics_spec import Dimension
from tests.ui.fakes import FakePrompter
from ui.context import AppContext
from ui.pages.statistics_page import StatisticsPage
from ui.tasks import TaskRunner

STATISTICIAN = Actor("thu.stat", Role.STATISTICIAN)
OFFICER = Actor("an.officer", Role.BORDER_GUARD)


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    data = tmp_path_factory.mktemp("desk")
    built = build_services(Settings(data_dir=data, language="en"),
                           clock=FixedClock(datetime(2026, 7, 3, 9, 0)))
    built.demo.seed(Actor("chief", Role.SUPERVISOR), 400, 2026)
    yield built
    built.close()


def _page(
    qtbot: object, services: Services, actor: Actor, language: str = "en"
) -> tuple[StatisticsPage, AppContext]:
    runner = TaskRunner()
    ctx = AppContext(services=services, tasks=runner, prompter=FakePrompter(),
                     translator=Translator(language), actor=actor)
    page = StatisticsPage(ctx)
    qtbot.addWidget(page)  # type: ignore[attr-defined]
    page.resize(1200, 820)
    with qtbot.waitSignal(page.loaded, timeout=15000):  # type: ignore[attr-defined]
        pass
    return page, ctx


def _cells(page: StatisticsPage) -> list[list[str]]:
    table = page.table
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_statistician_sees_exact_counts_and_charts(qtbot: object, services: Services) -> None:
    page, ctx = _page(qtbot, services, STATISTICIAN)
    spec = page.spec()
    exact = services.statistics.crosstab(STATISTICIAN, spec)
    cells = _cells(page)
    assert int(cells[-1][-1]) == exact.total  # the grand total
    assert all(text.isdigit() for row in cells for text in row)
    assert page.time_chart.maximum() > 0 and page.overdue_chart.isVisibleTo(page)
    assert "inside the post" in page.note.text()
    ctx.tasks.shutdown()


def test_statistician_exports_a_release_with_the_default_dates(
    qtbot: object, services: Services, tmp_path: Path
) -> None:
    page, ctx = _page(qtbot, services, STATISTICIAN)
    assert page.period.currentText() == "2026-H1"  # the latest whole half-year that has ended
    target = tmp_path / "release.csv"
    ctx.prompter.files.append(target)  # type: ignore[attr-defined]
    page.export("csv")
    qtbot.waitUntil(lambda: ctx.tasks.idle and target.exists(), timeout=30000)  # type: ignore[attr-defined]
    table, legend = target.read_text(encoding="utf-8-sig").split("\n\n", 1)
    assert table.startswith("age_at_return,sex,age_at_return_label,sex_label,count")
    notes = {row[0]: row[1] for row in csv.reader(io.StringIO(legend))}
    assert notes["period"] == "2026-H1" and notes["k"] == "5" and notes["release"].isdigit()
    assert "Total" in table  # totals rows are labelled in the user's language
    ctx.tasks.shutdown()


def test_statistician_exports_a_noisy_release(qtbot: object, services: Services, tmp_path: Path) -> None:
    page, ctx = _page(qtbot, services, STATISTICIAN)
    assert page.method.isVisibleTo(page)
    page.method.setCurrentIndex(page.method.findData("noise"))
    target = tmp_path / "noisy.csv"
    ctx.prompter.files.append(target)  # type: ignore[attr-defined]
    page.export("csv")
    qtbot.waitUntil(lambda: ctx.tasks.idle and target.exists(), timeout=30000)  # type: ignore[attr-defined]
    table, legend = target.read_text(encoding="utf-8-sig").split("\n\n", 1)
    notes = {row[0]: row[1] for row in csv.reader(io.StringIO(legend))}
    assert notes["method"] == "noise" and notes["epsilon"] == "0.5" and notes["cell_error"] == "6"
    counts = [row[-1] for row in csv.reader(io.StringIO(table))][1:]
    assert counts and all(c.isdigit() for c in counts)  # nothing withheld, nothing negative
    spent, budget = services.noisy_releases.budget(STATISTICIAN, 2026)
    assert spent == pytest.approx(0.5) and budget == 2.0
    ctx.tasks.shutdown()


def test_officer_sees_releases_from_the_ledger(qtbot: object, services: Services,
                                               tmp_path: Path) -> None:
    releases = services.releases
    page, ctx = _page(qtbot, services, OFFICER)
    spec = page.spec()
    released = releases.publish(STATISTICIAN, spec, 5, purpose="test")  # the same or a new release
    with qtbot.waitSignal(page.loaded, timeout=15000):  # type: ignore[attr-defined]
        page.refresh()
    cells = _cells(page)
    grid = [[released.display((r, c)) for c in (*released.categories[1], "*")]
            for r in (*released.categories[0], "*")]
    assert cells == grid
    assert not any(t.isdigit() and 0 < int(t) < 5 for row in cells for t in row)
    assert not page.overdue_chart.isVisibleTo(page)
    assert "ledger" in page.note.text()
    # Every withheld mark on the page is explained under the note, and only those shown.
    shown = {t for row in cells for t in row} | {r[2] for r in page.data.corridors + page.data.ethnic}
    shown |= {t for texts in page.data.monthly_texts.values() for t in texts}
    assert "<5" in shown  # the fictitious data set has small counts
    assert ("<5: a count from 0 to 4, withheld" in page.note.text()) == ("<5" in shown)
    assert ("x: withheld so that a small count" in page.note.text()) == ("x" in shown)
    target = tmp_path / "out.csv"
    ctx.prompter.files.append(target)  # type: ignore[attr-defined]
    page.export("csv")
    qtbot.waitUntil(lambda: ctx.tasks.idle and target.exists(), timeout=10000)  # type: ignore[attr-defined]
    assert f"release,{released.number}," in target.read_text(encoding="utf-8-sig")
    ctx.tasks.shutdown()


def test_a_table_not_released_yet_says_so(qtbot: object, services: Services) -> None:
    page, ctx = _page(qtbot, services, OFFICER)
    page.period.setCurrentIndex(page.period.count() - 1)  # the oldest period: nobody released it
    with qtbot.waitSignal(page.loaded, timeout=15000):  # type: ignore[attr-defined]
        page.refresh()
    assert not any(text for row in _cells(page) for text in row)
    # The charts say why they are blank instead of staying white.
    for chart in (page.time_chart, page.corridor_chart, page.ethnic_chart):
        assert not chart.categories and chart.empty_text.startswith("Not in a release of this period")
        assert not chart.grab().toImage().isNull()  # painted with the text
    assert page.note.text().startswith("No release of this table for ")
    ctx.tasks.shutdown()


def test_screenshot(qtbot: object, services: Services, tmp_path: Path) -> None:
    """Renders offscreen; set STATISTICS_SHOTS=dir to keep the PNG (docs/statistics/)."""
    page, ctx = _page(qtbot, services, STATISTICIAN, language="vi")
    page.rows.setCurrentIndex(page.rows.findData(Dimension.CORRIDOR))
    page.columns.setCurrentIndex(page.columns.findData(Dimension.SEX))
    with qtbot.waitSignal(page.loaded, timeout=15000):  # type: ignore[attr-defined]
        page.refresh()
    image = page.grab().toImage()
    assert image.width() == 1200
    colours = {image.pixelColor(x, y).name() for x in range(0, 1200, 7) for y in range(400, 820, 7)}
    assert "#29609e" in colours  # bars were painted
    target = Path(os.environ.get("STATISTICS_SHOTS", tmp_path)) / "statistics-page.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    assert image.save(str(target))
    assert page.spec().dimensions == (Dimension.CORRIDOR, Dimension.SEX)
    ctx.tasks.shutdown()


@pytest.mark.parametrize(("language", "january"), [("vi", "Tháng 1 2026"), ("km", "មករា 2026"),
                                                   ("zh_CN", "2026年1月"), ("en", "Jan 2026")])
def test_months_are_named_in_the_language_never_written_as_codes(
    qtbot: object, services: Services, language: str, january: str
) -> None:
    page, ctx = _page(qtbot, services, STATISTICIAN, language)
    months = page.time_chart.categories
    assert months and not any(re.fullmatch(r"\d{4}-\d{2}", m) for m in months), months
    assert january in months
    page.rows.setCurrentIndex(page.rows.findData(Dimension.MONTH))
    with qtbot.waitSignal(page.loaded, timeout=15000):  # type: ignore[attr-defined]
        page.refresh()
    rows = [page.table.verticalHeaderItem(r).text() for r in range(page.table.rowCount())]
    assert january in rows and not any(re.fullmatch(r"\d{4}-\d{2}", r) for r in rows), rows
    ctx.tasks.shutdown()


def test_quarters_and_halves_are_words() -> None:
    from ui.period_text import period_text

    assert period_text("2026-Q2", Translator("vi")) == "Quý 2 năm 2026"
    assert period_text("2026-H1", Translator("zh_CN")) == "2026年上半年"
    assert period_text("2026", Translator("km")) == "2026"
