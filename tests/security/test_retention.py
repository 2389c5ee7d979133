"""The retention job on real storage: what is due is anonymised, statistics stay, the run is audited."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, inspect, text

from repatriation.domain.actors import Actor, Role
from repatriation.domain.anonymise import (
    anonymise_case,
    generalise_birth,
    is_anonymised,
    person_pseudonym,
)
from repatriation.domain.care import Closure
from repatriation.domain.clock import FixedClock
from repatriation.domain.enums import (
    BatchStatus,
    CaseStatus,
    Corridor,
    HandoverDirection,
    Outcome,
    ScreeningStatus,
)
from repatriation.domain.errors import PermissionDenied, ValidationError
from repatriation.domain.handover import BatchMember, HandoverBatch, Official
from repatriation.domain.people import BirthInfo, years_between
from repatriation.domain.text import fold
from repatriation.services.retention import RecordType, RetentionPolicy, RetentionService
from repatriation.storage.database import make_engine, upgrade
from repatriation.storage.unit_of_work import SqlAlchemyUnitOfWorkFactory
from tests.security.full_case import CANARY, canary, full_case, text_of

SYSTEM = Actor("chief", Role.SUPERVISOR)
OLD = "LC-2018-000001"  # identified victim, closed January 2019: past 5 years
RECENT = "LC-2023-000001"  # closed 2024: kept
NOT_VICTIM = "LC-2024-000002"  # not a victim, closed June 2024: past 12 months
OPEN = "LC-2015-000001"  # still in care: never due
KEPT = {canary(name) for name in ("placedetail", "interplang", "legalbasis", "requestedby", "requestedto",
                                  "legalref", "facility", "provider", "referralbody")}
STAT_COLUMNS = ("status", "screening", "channel", "corridor", "gate_code", "received_on", "sex",
                "ethnic_code", "province_old", "province_new", "closed_on", "outcome", "post_code")


def closed(reference: str, received: date, closed_on: date, **changes: Any) -> Any:
    case = full_case(reference, received_on=received, trafficked_on=received - timedelta(days=500))
    closure = Closure(closed_on, changes.pop("outcome", Outcome.FAMILY_REUNIFICATION), f"{CANARY}closing")
    return replace(case, status=CaseStatus.CLOSED, closure=closure, **changes)


@pytest.fixture
def engine(database_url: str, clock: FixedClock) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    factory = SqlAlchemyUnitOfWorkFactory(engine, clock.now)
    with factory() as uow:
        uow.cases.add(closed(OLD, date(2018, 5, 1), date(2019, 1, 10)))
        uow.cases.add(closed(RECENT, date(2023, 5, 1), date(2024, 1, 10)))
        uow.cases.add(closed(NOT_VICTIM, date(2024, 5, 1), date(2024, 6, 1),
                             outcome=Outcome.NOT_A_VICTIM_RELEASED,
                             screening=replace(full_case().screening, status=ScreeningStatus.NOT_A_VICTIM)))
        uow.cases.add(replace(full_case(OPEN, received_on=date(2015, 1, 1)), status=CaseStatus.IN_CARE,
                              closure=None))
        member = BatchMember(OLD, f"{CANARY}belongings", f"{CANARY}papers", f"{CANARY}health",
                             witnessed_by=f"{CANARY}witness")
        officials = (Official("Officer VN (demo)"), Official("Officer CN (demo)", side="foreign"))
        uow.batches.add(HandoverBatch("LC-BG-2018-000001", HandoverDirection.INBOUND, Corridor.CHINA,
                                      date(2018, 5, 1), members=(member,), officials=officials,
                                      remarks=f"{CANARY}remarks", status=BatchStatus.HANDED_OVER))
        uow.batches.add(HandoverBatch("LC-BG-2018-000002", HandoverDirection.INBOUND, Corridor.CHINA,
                                      date(2018, 6, 1), members=(replace(member, case_reference=OPEN),)))
        uow.commit()
    yield engine
    engine.dispose()


@pytest.fixture
def service(engine: Engine, clock: FixedClock) -> RetentionService:
    return RetentionService(SqlAlchemyUnitOfWorkFactory(engine, clock.now), clock)


def rows(engine: Engine, table: str, key: str) -> dict[str, dict[str, Any]]:
    with engine.connect() as conn:
        return {r._mapping[key]: dict(r._mapping) for r in conn.execute(text(f"SELECT * FROM {table}"))}


def statistics_rows(engine: Engine) -> dict[str, dict[str, Any]]:
    if "case_statistics" not in inspect(engine).get_table_names():
        return {}
    with engine.connect() as conn:
        query = "SELECT c.reference, s.* FROM case_statistics s JOIN cases c ON c.id = s.case_id"
        found = conn.execute(text(query))
        return {r._mapping["reference"]: dict(r._mapping) for r in found}


def test_due_records_are_anonymised_and_the_rest_untouched(
    engine: Engine, service: RetentionService, clock: FixedClock
) -> None:
    before_cases, before_stats = rows(engine, "cases", "reference"), statistics_rows(engine)
    if "case_statistics" in inspect(engine).get_table_names():
        assert set(before_stats) == {OLD, RECENT, NOT_VICTIM, OPEN}  # the comparison below is real
    with SqlAlchemyUnitOfWorkFactory(engine, clock.now)() as uow:
        originals = {ref: uow.cases.get(ref) for ref in (OLD, RECENT, NOT_VICTIM, OPEN)}
    report = service.run(SYSTEM)
    assert report.cases == (OLD, NOT_VICTIM)
    assert report.batches == ("LC-BG-2018-000001",)
    assert report.released_attachments == tuple(sorted({p.sha256 for p in originals[OLD].person.photos}))
    after_cases = rows(engine, "cases", "reference")
    for ref in (OLD, NOT_VICTIM):
        row = after_cases[ref]
        # No canary left in the stored row (document, names, search text) but the institutional
        # text the reports count by.
        assert set(re.findall(CANARY + r"\w+", json.dumps({k: str(v) for k, v in row.items()}))) <= KEPT, ref
        assert CANARY not in row["full_name"] + row["search_text"], ref
        for column in STAT_COLUMNS:
            assert row[column] == before_cases[ref][column], (ref, column)
    for ref in (RECENT, OPEN):
        assert after_cases[ref]["document"] == before_cases[ref]["document"]
    with SqlAlchemyUnitOfWorkFactory(engine, clock.now)() as uow:
        key = uow.retention.pseudonym_key()
        for ref in (OLD, NOT_VICTIM):
            stored, original = uow.cases.get(ref), originals[ref]
            assert is_anonymised(stored) and set(re.findall(CANARY + r"\w+", text_of(stored))) <= KEPT
            assert stored.person.given_name.endswith(person_pseudonym(original, key))
            for day in (original.received_on, original.trafficked_on):
                assert day is not None and stored.person.age_on(day) == original.person.age_on(day)
            assert stored.screening.exploitation_forms == original.screening.exploitation_forms
            assert [s.kind for s in stored.support] == [s.kind for s in original.support]
        batch = uow.batches.get("LC-BG-2018-000001")
        assert CANARY not in json.dumps(str(batch)) and batch.officials and batch.case_references == (OLD,)
        assert CANARY in str(uow.batches.get("LC-BG-2018-000002"))  # still planned: untouched
    after_stats = statistics_rows(engine)
    for ref, before in before_stats.items():
        after = after_stats[ref]
        assert {k: v for k, v in after.items() if k != "person_key"} == {
            k: v for k, v in before.items() if k != "person_key"}, ref
    with engine.connect() as conn:
        audit = list(conn.execute(text("SELECT action, reference, details FROM audit_log ORDER BY sequence")))
        # The seeding wrote cases without an entry of its own: storage recorded their hashes alone.
        audit = [row for row in audit if row[0] != "case_documents_written"]
        if engine.dialect.name == "sqlite":
            match = conn.execute(text("SELECT count(*) FROM case_search WHERE case_search MATCH 'zqx1given'"))
            assert match.scalar_one() == 2  # only the two cases still whole
    assert [(a, r) for a, r, _ in audit] == [
        ("case_anonymised", OLD), ("case_anonymised", NOT_VICTIM),
        ("batch_anonymised", "LC-BG-2018-000001"), ("retention_run", "retention")]
    assert json.loads(audit[-1][2]).items() >= {"cases": 2, "batches": 1, "attachments": 1}.items()
    assert all(CANARY not in details for _, _, details in audit)
    # A second run finds nothing more to do.
    again = service.run(SYSTEM)
    assert again.cases == () and again.batches == ()


def test_the_policy_is_configurable_stored_and_audited(
    engine: Engine, service: RetentionService
) -> None:
    assert service.policy() == RetentionPolicy()
    shorter = RetentionPolicy({**RetentionPolicy().keep_months, RecordType.CLOSED_CASE: 24})
    with pytest.raises(PermissionDenied):
        service.set_policy(Actor("lan", Role.BORDER_GUARD), shorter)
    with pytest.raises(PermissionDenied):
        service.run(Actor("hoa", Role.STATISTICIAN))
    service.set_policy(Actor("boss", Role.SUPERVISOR), shorter)
    assert service.policy() == shorter
    assert set(service.run(SYSTEM).cases) == {OLD, RECENT, NOT_VICTIM}
    with pytest.raises(ValidationError):
        RetentionPolicy({**RetentionPolicy().keep_months, RecordType.CLOSED_CASE: 0})
    for junk in ("[]", '{"closed_case": "12"}', '{"unknown": 3}', "{", '{"closed_case": 12.5}'):
        with pytest.raises(ValidationError):
            RetentionPolicy.from_json(junk)
    assert RetentionPolicy.from_json(shorter.to_json()) == shorter


def test_the_pseudonym_is_the_statistics_person_key_and_needs_the_desk_key() -> None:
    statistics_tables = pytest.importorskip("repatriation.storage.statistics_tables")
    key, other = b"k" * 32, b"o" * 32
    for case in (full_case(), full_case("LC-2025-000002", variant=2),
                 replace(full_case(), person=replace(full_case().person, birth=BirthInfo()))):
        assert person_pseudonym(case, key) == statistics_tables.person_key(case, key)
        assert anonymise_case(case, key).person.given_name.endswith(
            statistics_tables.person_key(case, key))
        # Without the key, hashing a guessed name, birth date and sex confirms nothing.
        person = case.person
        born = (person.birth.date_of_birth.isoformat() if person.birth.date_of_birth
                else str(person.age_on(case.received_on)))
        guess = "|".join((fold(person.full_name), born, str(person.sex))).encode()
        assert hashlib.sha256(guess).hexdigest()[:32] != person_pseudonym(case, key)
        assert person_pseudonym(case, other) != person_pseudonym(case, key)


@settings(max_examples=150, deadline=None)
@given(
    born=st.dates(date(1990, 1, 1), date(2025, 12, 31)),
    gaps=st.lists(st.integers(0, 20 * 366), min_size=1, max_size=2),
)
def test_generalised_birth_dates_keep_the_ages_and_hide_the_day(born: date, gaps: list[int]) -> None:
    days = tuple(born + timedelta(days=g) for g in gaps)
    general = generalise_birth(BirthInfo(date_of_birth=born), days).date_of_birth
    assert general is not None and born - timedelta(days=366) <= general <= born
    assert [years_between(general, d) for d in days] == [years_between(born, d) for d in days]
    # The earliest date with those ages: one day earlier changes an age.
    earlier = general - timedelta(days=1)
    assert [years_between(earlier, d) for d in days] != [years_between(born, d) for d in days]
