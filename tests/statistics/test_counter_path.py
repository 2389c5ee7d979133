"""On SQLite the cross-tab is counted in Python from ungrouped rows: same counts as the GROUP BY."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from repatriation.domain.clock import FixedClock
from repatriation.domain.statistics_bands import AgeBands
from repatriation.domain.statistics_spec import Dimension, Measure, StatisticsSpec
from repatriation.storage.database import make_engine, upgrade
from repatriation.storage.statistics_queries import SqlStatisticsSource, compiled_sql
from repatriation.storage.unit_of_work import SqlAlchemyUnitOfWorkFactory
from tests.statistics.dataset import make_cases

D = Dimension
SPECS = [
    StatisticsSpec((D.YEAR, D.CORRIDOR, D.GATE, D.CHANNEL, D.AGE_AT_RETURN, D.SEX, D.ETHNIC_GROUP,
                    D.PROVINCE_NEW, D.SCREENING, D.OUTCOME)),
    StatisticsSpec((D.AGE_AT_RETURN, D.AGE_AT_TRAFFICKING, D.EXPLOITATION, D.SERVICES)),
    StatisticsSpec((D.AGE_AT_TRAFFICKING, D.SEX), age_bands=AgeBands((6, 12, 16))),
    StatisticsSpec((D.MONTH, D.AGE_AT_RETURN), measure=Measure.PERSONS, date_from=date(2025, 3, 1)),
    StatisticsSpec(()),
]


def test_counter_path_matches_group_by(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "s.sqlite3"
    engine = make_engine(f"sqlite+pysqlite:///{path}")
    upgrade(engine)
    with SqlAlchemyUnitOfWorkFactory(engine, clock.now)() as uow:
        uow.cases.add_many(make_cases())
        uow.commit()
    source = SqlStatisticsSource(engine)
    connection = sqlite3.connect(path)
    try:
        for spec in SPECS:
            for overdue in (None, date(2026, 1, 1)):
                grouped = connection.execute(compiled_sql(engine, spec, overdue_on=overdue)).fetchall()
                expected = {tuple(row[:-1]): row[-1] for row in grouped}
                got = source.counts(spec) if overdue is None else source.overdue_verifications(overdue, spec)
                assert got == expected, spec.dimensions
        assert sum(source.counts(SPECS[1]).values()) >= len(make_cases())
        # The SQLite path really skips the GROUP BY (that is where the time went).
        assert "GROUP BY" not in compiled_sql(engine, SPECS[0], grouped=False)
    finally:
        connection.close()
        engine.dispose()
