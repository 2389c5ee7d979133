"""The case list page: search, filters, sorting in SQL, badges, paging and keyboard opening."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from repatriation.domain.enums import CaseStatus, Corridor
from repatriation.domain.text import fold
from repatriation.services.results import CaseQuery, CaseSort
from tests.ui.conftest import wait_idle
from tests.ui.fakes import OFFICER
from ui.context import AppContext
from ui.pages.cases_page import CasesPage
from ui.table_models.base import BADGE_ROLE
from ui.table_models.case_table_model import CaseColumn


def _page(qtbot, ctx: AppContext, seed: int = 30) -> CasesPage:
    ctx.services.demo.seed(OFFICER, seed)
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    wait_idle(qtbot, ctx)
    return page


def test_lists_every_case_with_count_and_badges(qtbot, ctx: AppContext) -> None:
    page = _page(qtbot, ctx)
    assert page.model.total == 30 and page.model.rowCount() == 30
    assert page.count_label.text() == "30 cases"
    status = page.model.index(0, CaseColumn.STATUS)
    assert status.data() in {ctx.labels.enum(s) for s in CaseStatus}
    assert status.data(BADGE_ROLE) is not None


def test_search_as_you_type_queries_once_for_a_burst(qtbot, ctx: AppContext, monkeypatch) -> None:
    page = _page(qtbot, ctx)
    seen: list[CaseQuery] = []
    original = ctx.services.cases.list_cases

    def spy(query: CaseQuery, actor=None):
        assert actor is not None  # rows are redacted for the signed-in role
        seen.append(query)
        return original(query, actor)

    monkeypatch.setattr(ctx.services.cases, "list_cases", spy)
    # Typed without accents (QTest types ASCII only): the search is diacritic-insensitive.
    target = fold(ctx.services.db.cases[sorted(ctx.services.db.cases)[0]].person.given_name)
    with qtbot.waitSignal(page.query_applied, timeout=3000):
        qtbot.keyClicks(page.search, target)
    wait_idle(qtbot, ctx)
    assert 1 <= len(seen) <= len(target)
    assert seen[-1].text == target
    shown = {page.model.index(r, CaseColumn.NAME).data() for r in range(page.model.rowCount())}
    assert shown and all(target in fold(name) for name in shown)


def test_filters_and_sort_go_into_the_query(qtbot, ctx: AppContext, monkeypatch) -> None:
    page = _page(qtbot, ctx)
    seen: list[CaseQuery] = []
    original = ctx.services.cases.list_cases
    monkeypatch.setattr(
        ctx.services.cases, "list_cases", lambda q, actor=None: (seen.append(q), original(q, actor))[1]
    )
    page.corridor.setCurrentIndex(page.corridor.findData(Corridor.LAO))
    wait_idle(qtbot, ctx)
    assert seen[-1].corridor is Corridor.LAO
    assert all(
        page.model.index(r, CaseColumn.CORRIDOR).data() == "Lao PDR" for r in range(page.model.rowCount())
    )
    page.table.horizontalHeader().setSortIndicator(CaseColumn.NAME, Qt.SortOrder.AscendingOrder)
    wait_idle(qtbot, ctx)
    assert (seen[-1].sort, seen[-1].descending) == (CaseSort.NAME, False)
    page.overdue.setChecked(True)
    wait_idle(qtbot, ctx)
    assert seen[-1].overdue_only is True
    page.age.setCurrentIndex(3)
    wait_idle(qtbot, ctx)
    assert seen[-1].age_band is not None and seen[-1].age_band.low == 12


def test_enter_opens_the_selected_case(qtbot, ctx: AppContext) -> None:
    page = _page(qtbot, ctx)
    page.show()
    page.activateWindow()
    qtbot.waitActive(page)
    page.search.setFocus()
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    qtbot.waitUntil(page.table.hasFocus)
    assert page.table.currentIndex().row() == 0
    expected = page.model.index(0, CaseColumn.REFERENCE).data()
    with qtbot.waitSignal(page.case_activated) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [expected]


def test_pages_load_lazily_when_scrolled(qtbot, ctx: AppContext) -> None:
    ctx.services.demo.seed(OFFICER, 450)
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    wait_idle(qtbot, ctx)
    assert page.model.total == 450
    assert page.model.summary(0) is not None and page.model.summary(420) is None
    assert page.model.index(420, CaseColumn.REFERENCE).data() == "\u2026"
    qtbot.waitUntil(lambda: page.model.summary(420) is not None, timeout=3000)
    assert page.model.index(420, CaseColumn.REFERENCE).data().startswith("LC-DEMO-")


def test_data_changed_refreshes_the_list(qtbot, ctx: AppContext) -> None:
    page = _page(qtbot, ctx, seed=5)
    from repatriation.domain.enums import ReturnChannel
    from repatriation.domain.people import Person
    from repatriation.services.cases import CaseDraft

    draft = CaseDraft(Person("Sùng", "Mỷ"), ReturnChannel.RESCUE, Corridor.CHINA, date(2026, 3, 1))
    with qtbot.waitSignal(page.query_applied, timeout=3000):
        ctx.tasks.run_db(
            lambda: ctx.services.cases.open_case(OFFICER, draft),
            changes=ctx.services.cases.changes_for,
        )
    assert page.model.total == 6
