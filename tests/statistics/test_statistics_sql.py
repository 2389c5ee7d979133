"""The statistics SQL on SQLite and PostgreSQL against an oracle computed from the cases."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import Engine

from repatriation.domain.actors import Actor, Role
from repatriation.domain.care import Closure
from repatriation.domain.case import Case
from repatriation.domain.enums import CaseStatus, Outcome, VerificationKind
from repatriation.domain.errors import PermissionDenied, ValidationError
from repatriation.domain.suppression import TOTAL
from repatriation.domain.verification import VerificationRequest
from repatriation.services.clock import FixedClock
from repatriation.services.statistics import Dimension, Measure, StatisticsService, StatisticsSpec
from repatriation.services.statistics_bands import AgeBands
from repatriation.storage.database import make_engine, upgrade
from repatriation.storage.statistics_queries import SqlStatisticsSource
from repatriation.storage.unit_of_work import SqlAlchemyUnitOfWorkFactory
from tests.statistics.attack import differencing, integer_search, linear_algebra
from tests.statistics.dataset import make_cases, oracle

STATISTICIAN = Actor("thu.stat", Role.STATISTICIAN)
ALL = tuple(Dimension)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def loaded(engine: Engine, clock: FixedClock) -> tuple[StatisticsService, list[Case]]:
    cases = make_cases()
    factory = SqlAlchemyUnitOfWorkFactory(engine, clock.now)
    with factory() as uow:
        uow.cases.add_many(cases[:60])
        for case in cases[60:]:
            uow.cases.add(case)
        uow.commit()
    return StatisticsService(SqlStatisticsSource(engine), factory, clock), cases


def _check(service: StatisticsService, cases: list[Case], spec: StatisticsSpec) -> None:
    got = service.crosstab(STATISTICIAN, spec).counts
    assert dict(got) == dict(oracle(cases, spec)), spec.dimensions


def test_every_dimension_alone_and_every_pair(loaded: tuple[StatisticsService, list[Case]]) -> None:
    service, cases = loaded
    for dimension in ALL:
        _check(service, cases, StatisticsSpec((dimension,)))
    for pair in itertools.combinations(ALL, 2):
        _check(service, cases, StatisticsSpec(pair))


def test_triples_persons_periods_and_custom_bands(loaded: tuple[StatisticsService, list[Case]]) -> None:
    service, cases = loaded
    triples = [
        (Dimension.HALF, Dimension.CORRIDOR, Dimension.SEX),
        (Dimension.AGE_AT_RETURN, Dimension.ETHNIC_GROUP, Dimension.EXPLOITATION),
        (Dimension.CHANNEL, Dimension.SERVICES, Dimension.EXPLOITATION),
        (Dimension.QUARTER, Dimension.PROVINCE_NEW, Dimension.FOLLOW_UP),
        (Dimension.AGE_AT_TRAFFICKING, Dimension.OUTCOME, Dimension.SCREENING),
    ]
    for triple in triples:
        _check(service, cases, StatisticsSpec(triple))
        _check(service, cases, StatisticsSpec(triple, measure=Measure.PERSONS))
    window = StatisticsSpec((Dimension.MONTH, Dimension.GATE), date_from=date(2025, 3, 1),
                            date_to=date(2025, 9, 30))
    _check(service, cases, window)
    _check(service, cases, StatisticsSpec((Dimension.AGE_AT_RETURN, Dimension.SEX),
                                          age_bands=AgeBands((6, 12, 16))))
    persons = service.crosstab(STATISTICIAN, StatisticsSpec((), measure=Measure.PERSONS)).total
    assert persons == len(cases) - 3  # the three repeat returns count once as persons


def test_facts_follow_every_save(loaded: tuple[StatisticsService, list[Case]], engine: Engine,
                                 clock: FixedClock) -> None:
    service, cases = loaded
    factory = SqlAlchemyUnitOfWorkFactory(engine, clock.now)
    open_case = next(c for c in cases if c.closure is None and c.reference.startswith("ST-2025-0"))
    with factory() as uow:
        stored = uow.cases.get(open_case.reference)
        request = VerificationRequest("V1", VerificationKind.POLICE_IDENTITY, "BP", "CA",
                                      sent_on=date(2025, 1, 2), due_on=date(2025, 2, 1))
        stored, _ = stored.add_verification(request)
        closed = replace(stored, status=CaseStatus.CLOSED,
                         closure=Closure(date(2026, 1, 5), Outcome.ALTERNATIVE_CARE))
        uow.cases.save(closed)
        uow.commit()
    updated = [closed if c.reference == open_case.reference else c for c in cases]
    _check(service, updated, StatisticsSpec((Dimension.OUTCOME, Dimension.STATUS)))
    overdue = service.overdue_verifications(STATISTICIAN, StatisticsSpec((Dimension.CORRIDOR,)))
    assert overdue.counts == {(str(open_case.corridor),): 1}


def test_release_has_all_totals_and_resists_the_attacks(
    loaded: tuple[StatisticsService, list[Case]],
) -> None:
    service, cases = loaded
    spec = StatisticsSpec((Dimension.CORRIDOR, Dimension.SEX, Dimension.EXPLOITATION))
    released = service.release(STATISTICIAN, spec, k=5)
    values = released.table.values
    truth = oracle(cases, spec)
    for key, count in truth.items():
        assert values.get(key, 0) == count
    assert values[(TOTAL, TOTAL, TOTAL)] == len(cases)
    additive = [True, True, False]
    assert differencing(released.table, additive) == set()
    assert linear_algebra(released.table, additive) == set()
    for key in released.entries():
        shown = released.display(key)
        exact = values.get(key, 0)
        assert shown in ("<5", "x") or int(shown) == exact
        if 0 < exact < 5:
            assert shown == "<5"
    small = StatisticsSpec((Dimension.SEX,), date_from=date(2025, 1, 1), date_to=date(2025, 1, 31))
    tiny = service.release(STATISTICIAN, small, k=5)
    assert integer_search(tiny.table, [True]) == set()


def test_roles_limits_and_audit(loaded: tuple[StatisticsService, list[Case]], engine: Engine,
                                clock: FixedClock) -> None:
    service, _ = loaded
    with pytest.raises(PermissionDenied):
        service.crosstab(Actor("an", Role.BORDER_GUARD), StatisticsSpec((Dimension.SEX,)))
    service.release(Actor("an", Role.BORDER_GUARD), StatisticsSpec((Dimension.SEX,)))
    with pytest.raises(ValidationError):
        service.release(STATISTICIAN, StatisticsSpec(ALL[:5]))
    factory = SqlAlchemyUnitOfWorkFactory(engine, clock.now)
    with factory() as uow:
        actions = [e.action for e in uow.audit.entries()]
    assert actions.count("statistics_released") == 1


def test_the_migration_backfills_existing_cases(
    loaded: tuple[StatisticsService, list[Case]], engine: Engine
) -> None:
    from alembic import command

    from repatriation.storage.database import _alembic_config

    service, cases = loaded
    spec = StatisticsSpec((Dimension.CORRIDOR, Dimension.EXPLOITATION, Dimension.AGE_AT_RETURN))
    before = service.crosstab(STATISTICIAN, spec).counts
    config = _alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003_accounts")
    upgrade(engine)
    assert service.crosstab(STATISTICIAN, spec).counts == before == dict(oracle(cases, spec))


def test_releases_cover_whole_months(loaded: tuple[StatisticsService, list[Case]]) -> None:
    service, _ = loaded
    for start, end in ((date(2025, 1, 2), date(2025, 1, 31)), (date(2025, 1, 1), date(2025, 2, 27))):
        with pytest.raises(ValidationError):
            service.release(STATISTICIAN, StatisticsSpec((Dimension.SEX,), date_from=start, date_to=end))
    service.release(STATISTICIAN, StatisticsSpec((Dimension.SEX,), date_from=date(2024, 2, 1),
                                                  date_to=date(2024, 2, 29)))
