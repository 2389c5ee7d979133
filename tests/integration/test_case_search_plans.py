"""The case list's two SQLite search plans (sort the matches, or walk the sort order) agree.

A broad name search walks the sort column's index and probes each row against the matches;
a narrow one fetches and sorts the matches. Both must return the same rows in the same order
with the same total, for every sort, filter, page and search expansion.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from repatriation.domain.actors import Actor, Role
from repatriation.domain.clock import FixedClock
from repatriation.domain.enums import CaseStatus, Corridor, ReturnChannel, Sex
from repatriation.domain.people import Person
from repatriation.reference import load_reference_data
from repatriation.services.cases import CaseDraft, CaseService
from repatriation.services.demo import DemoService
from repatriation.services.results import CasePage, CaseQuery, CaseSort
from repatriation.storage import queries
from repatriation.storage.database import make_engine, upgrade
from repatriation.storage.unit_of_work import SqlAlchemyUnitOfWorkFactory

CLOCK = FixedClock(datetime(2026, 3, 2, 9, 30))
TEXTS = ("h", "nguyen thi", "meo", "hoa", "lai", "tay", "zzq")
VARIANTS: tuple[dict[str, object], ...] = (
    {},
    {"sort": CaseSort.NAME, "descending": False},
    {"sort": CaseSort.NEXT_DUE},
    {"status": CaseStatus.CLOSED},
    {"sex": Sex.FEMALE, "sort": CaseSort.REFERENCE},
    {"offset": 7, "limit": 5},
    {"count_cap": 9},
)


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CaseService]:
    path: Path = tmp_path_factory.mktemp("plans") / "desk.sqlite3"
    engine = make_engine(f"sqlite+pysqlite:///{path}")
    upgrade(engine)
    uow_factory = SqlAlchemyUnitOfWorkFactory(engine, CLOCK.now)
    reference = load_reference_data()
    DemoService(uow_factory, reference, CLOCK, "LC").seed(Actor("chief", Role.SUPERVISOR), 160, seed=7)
    service = CaseService(uow_factory, reference, CLOCK, "LC")
    # Found by name ("Mèo") and by ethnic group (H'Mông, alternative name Mèo): one case, once.
    both = Person("Giàng", "Mèo", sex=Sex.FEMALE, ethnic_code="08")
    service.open_case(
        Actor("officer", Role.SUPERVISOR),
        CaseDraft(both, ReturnChannel.RESCUE, Corridor.CHINA, date(2026, 3, 1)),
    )
    yield service
    engine.dispose()


def _listed(
    cases: CaseService, query: CaseQuery, broad_above: int, monkeypatch: pytest.MonkeyPatch
) -> CasePage:
    monkeypatch.setattr(queries, "BROAD_MATCHES", broad_above)
    return cases.list_cases(query, Actor("officer", Role.SUPERVISOR))


def test_walking_the_sort_order_returns_what_sorting_the_matches_returns(
    cases: CaseService, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared = 0
    for text, variant in itertools.product(TEXTS, VARIANTS):
        query = CaseQuery(text=text, **{"limit": 20, **variant})  # type: ignore[arg-type]
        walked = _listed(cases, query, 0, monkeypatch)  # every search counts as broad
        sorted_ = _listed(cases, query, 10**9, monkeypatch)  # no search counts as broad
        assert walked == sorted_, (text, variant)
        compared += bool(walked.rows)
    assert compared > len(TEXTS) * len(VARIANTS) // 2  # the data exercise most combinations


def test_total_counts_a_case_found_by_name_and_by_ethnic_group_once(
    cases: CaseService, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "meo" finds names starting with "meo" and every H'Mông case (alternative name Mèo).
    everything = _listed(cases, CaseQuery(text="meo", limit=1000), 0, monkeypatch)
    assert everything.total_exact and "Giàng Mèo" in {row.full_name for row in everything.rows}
    assert {row.ethnic_code for row in everything.rows} == {"08"} and len(everything.rows) > 1
    references = [row.reference for row in everything.rows]
    assert len(set(references)) == len(references) == everything.total
    capped = _listed(cases, CaseQuery(text="meo", limit=3, count_cap=2), 0, monkeypatch)
    assert (capped.total, capped.total_exact, len(capped.rows)) == (2, False, 3)
