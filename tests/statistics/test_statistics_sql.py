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
from repatriation.domain.clock import FixedClock
from repatriation.domain.enums import CaseStatus, Outcome, VerificationKind
from repatriation.domain.errors import PermissionDenied, ValidationError
from repatriation.domain.statistics_bands import AgeBands
from repatriation.domain.statistics_spec import Dimension, Measure, StatisticsSpec
from repatriation.domain.verification import VerificationRequest
from repatriation.services.statistics import StatisticsService
from repatriation.services.statistics_releases import ReleaseService
from repatriation.storage.database import make_engine, upgrade
from repatriation.storage.statistics_ledger import SqlReleaseLedger
from repatriation.storage.statistics_queries import SqlStatisticsSource
from repatriation.storage.unit_of_work import SqlAlchemyUnitOfWorkFactory
from tests.statistics.attack import differencing
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


def _releases(service: StatisticsService, engine: Engine, clock: FixedClock) -> ReleaseService:
    factory = SqlAlchemyUnitOfWorkFactory(engine, clock.now)
    return ReleaseService(service, SqlStatisticsSource(engine), SqlReleaseLedger(), factory, clock)


def test_release_has_all_totals_and_resists_the_attacks(
    loaded: tuple[StatisticsService, list[Case]], engine: Engine, clock: FixedClock
) -> None:
    service, cases = loaded
    releases = _releases(service, engine, clock)
    spec = StatisticsSpec((Dimension.CORRIDOR, Dimension.EXPLOITATION),
                          date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))
    released = releases.publish(STATISTICIAN, spec, 5, purpose="test")
    values = released.table.values
    truth = oracle(cases, spec)
    for key, count in truth.items():
        assert values.get(key, 0) == count
    additive = [True, False]
    assert differencing(released.table, additive) == set()
    for key in released.entries():
        shown, exact = released.display(key), values.get(key, 0)
        assert shown in ("<5", "x") or int(shown) == exact
        if 0 < exact < 5:
            assert shown == "<5"
    # The ledger keeps it: the same release asked again is the recorded one, on either database.
    again = releases.publish(STATISTICIAN, spec, 5, purpose="test")
    assert again.number == released.number
    assert [again.display(k) for k in again.entries()] == [released.display(k) for k in released.entries()]


def test_roles_limits_and_audit(loaded: tuple[StatisticsService, list[Case]], engine: Engine,
                                clock: FixedClock) -> None:
    service, _ = loaded
    releases = _releases(service, engine, clock)
    officer = Actor("an", Role.BORDER_GUARD)
    with pytest.raises(PermissionDenied):
        service.crosstab(officer, StatisticsSpec((Dimension.SEX,)))
    year = {"date_from": date(2025, 1, 1), "date_to": date(2025, 12, 31)}
    with pytest.raises(PermissionDenied):
        releases.publish(officer, StatisticsSpec((Dimension.SEX,), **year), 5, purpose="test")
    for bad in (StatisticsSpec(ALL[:3], **year), StatisticsSpec((Dimension.SEX,)),
                StatisticsSpec((Dimension.SEX,), date_from=date(2025, 1, 1), date_to=date(2025, 2, 28)),
                StatisticsSpec((Dimension.SEX,), date_from=date(2026, 1, 1), date_to=date(2026, 6, 30)),
                StatisticsSpec((Dimension.SEX,), Measure.PERSONS, **year)):
        with pytest.raises(ValidationError):
            releases.publish(STATISTICIAN, bad, 5, purpose="test")
    released = releases.publish(STATISTICIAN, StatisticsSpec((Dimension.SEX,), **year), 5, purpose="test")
    assert releases.find(officer, StatisticsSpec((Dimension.SEX,), **year)) is not None
    service.crosstab(STATISTICIAN, StatisticsSpec((Dimension.SEX,)))
    factory = SqlAlchemyUnitOfWorkFactory(engine, clock.now)
    with factory() as uow:
        actions = [e.action for e in uow.audit.entries()]
    assert actions.count("statistics_released") == 1 and released.number == 1
    assert actions.count("view_exact_statistics_used") >= 1  # the exact look is audited


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
