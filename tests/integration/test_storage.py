"""The storage suite, run on real SQLite and on a real PostgreSQL server started by the test run."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, text

from repatriation.domain.care import Reception
from repatriation.domain.case import Case
from repatriation.domain.clock import FixedClock
from repatriation.domain.enums import (
    AgeConfidence,
    CaseStatus,
    Corridor,
    DocumentKind,
    HandoverDirection,
    ReturnChannel,
    Sex,
    VerificationKind,
)
from repatriation.domain.errors import ConflictError, NotFoundError
from repatriation.domain.handover import BatchMember, HandoverBatch, Official
from repatriation.domain.people import Address, BirthInfo, IdentityDocument, Person
from repatriation.domain.verification import VerificationRequest
from repatriation.services.results import AgeBand, CaseQuery, CaseSort, SearchExpansion
from repatriation.storage import table_modules
from repatriation.storage.audit_log import GENESIS_HASH, canonical_entry, chain_hash
from repatriation.storage.database import current_revision, head_revision, make_engine, upgrade
from repatriation.storage.search_index import is_search_index_table
from repatriation.storage.tables import Base
from repatriation.storage.unit_of_work import SqlAlchemyUnitOfWorkFactory

TODAY = date(2026, 3, 2)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def uow_factory(engine: Engine, clock: FixedClock) -> SqlAlchemyUnitOfWorkFactory:
    return SqlAlchemyUnitOfWorkFactory(engine, clock.now)


def make_case(
    ref: str, family: str = "Nguyễn", given: str = "Hồng", middle: str = "Thị", **changes: object
) -> Case:
    person = Person(
        family_name=family,
        given_name=given,
        middle_name=middle,
        aliases=("Ah Hong",),
        sex=Sex.FEMALE,
        ethnic_code="08",
        birth=BirthInfo(date_of_birth=date(2012, 5, 1), confidence=AgeConfidence.DOCUMENTED),
        documents=(IdentityDocument(DocumentKind.CITIZEN_ID, "001312000123"),),
        address=Address("Xã (demo)", province_old="02", province_new="N08"),
    )
    case = Case(
        reference=ref,
        person=person,
        channel=ReturnChannel.OFFICIAL_HANDOVER,
        corridor=Corridor.CHINA,
        received_on=date(2026, 2, 1),
        gate_code="CN-LAOCAI",
    )
    return replace(case, **changes)  # type: ignore[arg-type]


def test_migrations_reach_head_and_match_the_models(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    table_modules.load_all()
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "include_name": lambda name, kind, _parent: (
                    not (kind == "table" and is_search_index_table(name))
                )
            },
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_sqlite_runs_in_wal_with_full_sync(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_case_round_trips_exactly_with_unicode(uow_factory: SqlAlchemyUnitOfWorkFactory) -> None:
    case = make_case("LC-2026-000001", family="សុខ", given="ស្រី", middle="")
    with uow_factory() as uow:
        stored = uow.cases.add(case)
        uow.commit()
    with uow_factory() as uow:
        loaded = uow.cases.get("LC-2026-000001")
    assert loaded == stored == replace(case, revision=1)


def test_nothing_is_written_without_commit(uow_factory: SqlAlchemyUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.cases.add(make_case("LC-2026-000001"))
    with uow_factory() as uow:
        assert uow.cases.find("LC-2026-000001") is None
        assert uow.cases.count() == 0


def test_stale_revision_is_refused(uow_factory: SqlAlchemyUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        first = uow.cases.add(make_case("LC-2026-000001"))
        uow.commit()
    with uow_factory() as uow:
        uow.cases.save(replace(first, notes="edited by officer A"))
        uow.commit()
    with uow_factory() as uow, pytest.raises(ConflictError):
        uow.cases.save(replace(first, notes="edited by officer B from a stale copy"))
    with uow_factory() as uow:
        assert uow.cases.get("LC-2026-000001").notes == "edited by officer A"


def test_references_are_sequential_per_prefix_and_year(
    uow_factory: SqlAlchemyUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        assert uow.cases.next_reference("LC", 2026) == "LC-2026-000001"
        uow.cases.add_many([make_case("LC-2026-000001"), make_case("LC-2026-000002")])
        assert uow.cases.next_reference("LC", 2026) == "LC-2026-000003"
        assert uow.cases.next_reference("LC", 2027) == "LC-2027-000001"
        with pytest.raises(ConflictError):
            uow.cases.add(make_case("LC-2026-000002"))


def _seed(uow_factory: SqlAlchemyUnitOfWorkFactory) -> None:
    request = VerificationRequest(
        "V1",
        VerificationKind.POLICE_IDENTITY,
        "post",
        "Công an tỉnh",
        sent_on=date(2026, 1, 5),
        due_on=date(2026, 2, 2),
    )
    cases = [
        make_case("LC-2026-000001"),
        make_case("LC-2026-000002", family="Đặng", given="Đức", middle="Văn", verifications=(request,)),
        make_case(
            "LC-2026-000003",
            family="Giàng",
            given="Sua",
            middle="Thị",
            corridor=Corridor.LAO,
            status=CaseStatus.IN_CARE,
            reception=Reception("Centre", date(2026, 2, 2)),
        ),
    ]
    cases[2] = replace(
        cases[2],
        person=replace(
            cases[2].person,
            ethnic_code="09",
            sex=Sex.UNKNOWN,
            birth=BirthInfo(estimated_age=17, estimated_on=date(2026, 2, 1)),
        ),
    )
    with uow_factory() as uow:
        uow.cases.add_many(cases)
        uow.commit()


def _refs(
    uow_factory: SqlAlchemyUnitOfWorkFactory,
    query: CaseQuery,
    expansion: SearchExpansion | None = None,
) -> list[str]:
    with uow_factory() as uow:
        page = uow.queries.page(query, TODAY, expansion)
    return [r.reference for r in page.rows]


def test_search_ignores_diacritics_and_case(uow_factory: SqlAlchemyUnitOfWorkFactory) -> None:
    _seed(uow_factory)
    assert _refs(uow_factory, CaseQuery(text="nguyen thi hong")) == ["LC-2026-000001"]
    assert _refs(uow_factory, CaseQuery(text="ĐẶNG VĂN")) == ["LC-2026-000002"]
    assert _refs(uow_factory, CaseQuery(text="dang van duc")) == ["LC-2026-000002"]
    assert _refs(uow_factory, CaseQuery(text="001312000123", sort=CaseSort.REFERENCE, descending=False)) == [
        "LC-2026-000001",
        "LC-2026-000002",
        "LC-2026-000003",
    ]
    assert _refs(uow_factory, CaseQuery(text="100%_x")) == []


def test_search_expansion_matches_ethnic_and_province_codes(
    uow_factory: SqlAlchemyUnitOfWorkFactory,
) -> None:
    _seed(uow_factory)
    found = _refs(uow_factory, CaseQuery(text="mán"), SearchExpansion(ethnic_codes=("09",)))
    assert found == ["LC-2026-000003"]


def test_filters_age_band_overdue_and_paging(uow_factory: SqlAlchemyUnitOfWorkFactory) -> None:
    _seed(uow_factory)
    assert _refs(uow_factory, CaseQuery(corridor=Corridor.LAO)) == ["LC-2026-000003"]
    assert _refs(uow_factory, CaseQuery(status=CaseStatus.IN_CARE)) == ["LC-2026-000003"]
    assert _refs(uow_factory, CaseQuery(sex=Sex.UNKNOWN)) == ["LC-2026-000003"]
    assert _refs(uow_factory, CaseQuery(overdue_only=True)) == ["LC-2026-000002"]
    assert _refs(uow_factory, CaseQuery(age_band=AgeBand(16, 17))) == ["LC-2026-000003"]
    assert _refs(uow_factory, CaseQuery(age_band=AgeBand(13, 13))) == [
        "LC-2026-000002",
        "LC-2026-000001",
    ]
    with uow_factory() as uow:
        page = uow.queries.page(
            CaseQuery(limit=2, offset=2, sort=CaseSort.REFERENCE, descending=False), TODAY
        )
    assert page.total == 3 and [r.reference for r in page.rows] == ["LC-2026-000003"]
    row = page.rows[0]
    assert row.age == 17 and row.sex is Sex.UNKNOWN


def test_due_verifications_lists_overdue_first(uow_factory: SqlAlchemyUnitOfWorkFactory) -> None:
    _seed(uow_factory)
    with uow_factory() as uow:
        due = uow.queries.due_verifications(TODAY)
    assert [(d.case_reference, d.days_overdue) for d in due] == [("LC-2026-000002", 28)]


def test_audit_chain_links_every_entry(uow_factory: SqlAlchemyUnitOfWorkFactory) -> None:
    at = datetime(2026, 3, 2, 9, 30)
    with uow_factory() as uow:
        for n in range(3):
            uow.audit.append(
                at=at,
                actor="officer1",
                action="case_viewed",
                entity="case",
                reference=f"LC-2026-00000{n}",
                details={"n": n, "tên": "không"},
            )
        uow.commit()
    with uow_factory() as uow:
        entries = uow.audit.entries()
    previous = GENESIS_HASH
    for entry in entries:
        expected = chain_hash(
            previous,
            canonical_entry(
                entry.sequence,
                entry.at,
                entry.actor,
                entry.action,
                entry.entity,
                entry.reference,
                entry.details,
            ),
        )
        assert entry.entry_hash == expected
        previous = entry.entry_hash
    assert [e.sequence for e in entries] == [1, 2, 3]


def test_batches_round_trip_and_refuse_stale_saves(
    uow_factory: SqlAlchemyUnitOfWorkFactory,
) -> None:
    batch = HandoverBatch(
        reference="LC-BG-2026-000001",
        direction=HandoverDirection.INBOUND,
        corridor=Corridor.CHINA,
        planned_on=date(2026, 3, 5),
        gate_code="CN-LAOCAI",
        officials=(
            Official("Lý Văn A", "Thiếu tá", "Đồn BP", "vn"),
            Official("王明", "警官", "河口", "foreign"),
        ),
        members=(BatchMember("LC-2026-000001", belongings="1 túi"),),
    )
    with uow_factory() as uow:
        stored = uow.batches.add(batch)
        uow.commit()
    with uow_factory() as uow:
        assert uow.batches.get(batch.reference) == stored
        uow.batches.save(replace(stored, remarks="ok"))
        uow.commit()
    with uow_factory() as uow:
        with pytest.raises(ConflictError):
            uow.batches.save(replace(stored, remarks="stale"))
        with pytest.raises(NotFoundError):
            uow.batches.get("nope")
        assert [b.reference for b in uow.batches.list_recent()] == [batch.reference]


def test_total_is_capped_for_broad_filters(uow_factory: SqlAlchemyUnitOfWorkFactory) -> None:
    _seed(uow_factory)
    with uow_factory() as uow:
        capped = uow.queries.page(CaseQuery(count_cap=2, limit=1), TODAY)
        exact = uow.queries.page(CaseQuery(count_cap=3, limit=1), TODAY)
    assert (capped.total, capped.total_exact, len(capped.rows)) == (2, False, 1)
    assert (exact.total, exact.total_exact) == (3, True)
