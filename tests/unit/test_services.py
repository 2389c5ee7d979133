"""Use cases on fakes: each runs in one unit of work, writes its audit entry, and is all-or-nothing."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from repatriation.domain.actors import Actor, Role
from repatriation.domain.care import Closure, Reception, Screening
from repatriation.domain.clock import FixedClock
from repatriation.domain.enums import (
    CaseStatus,
    Corridor,
    ExploitationForm,
    HandoverDirection,
    Outcome,
    ReturnChannel,
    ScreeningStatus,
    Sex,
    VerificationKind,
    VerificationOutcome,
)
from repatriation.domain.errors import ImportRowError, TransitionError, ValidationError
from repatriation.domain.handover import BatchMember, Official
from repatriation.domain.people import Person
from repatriation.domain.permissions import Action
from repatriation.services import access
from repatriation.services.cases import CaseDraft, CaseService
from repatriation.services.demo import DemoService
from repatriation.services.handovers import BatchDraft, HandoverService
from repatriation.services.importing import ImportService
from repatriation.services.results import CaseQuery
from repatriation.services.verifications import VerificationDraft, VerificationService
from tests.fakes import FakeDatabase, FakeReference

OFFICER = Actor("officer.lan", Role.BORDER_GUARD)


def draft(family: str = "Vàng", given: str = "Mỷ", **kw: object) -> CaseDraft:
    values: dict[str, object] = {
        "person": Person(family, given, "Thị", sex=Sex.FEMALE, ethnic_code="08"),
        "channel": ReturnChannel.OFFICIAL_HANDOVER,
        "corridor": Corridor.CHINA,
        "received_on": date(2026, 2, 27),
        "gate_code": "CN-LAOCAI",
    }
    values.update(kw)
    return CaseDraft(**values)  # type: ignore[arg-type]


@pytest.fixture
def cases(fake_db: FakeDatabase, fake_reference: FakeReference, clock: FixedClock) -> CaseService:
    return CaseService(fake_db.uow, fake_reference, clock, "LC")


@pytest.fixture
def verifications(
    fake_db: FakeDatabase, fake_reference: FakeReference, clock: FixedClock
) -> VerificationService:
    return VerificationService(fake_db.uow, fake_reference, clock)


def test_open_case_allocates_reference_and_audits(cases: CaseService, fake_db: FakeDatabase) -> None:
    first = cases.open_case(OFFICER, draft())
    second = cases.open_case(OFFICER, draft("Lý", "Páo"))
    assert (first.reference, second.reference) == ("LC-2026-000001", "LC-2026-000002")
    assert [e.action for e in fake_db.audit] == ["case_opened", "case_opened"]
    assert "Vàng" not in fake_db.audit[0].details  # no personal data in the audit details


def test_unknown_codes_are_refused_before_anything_is_written(
    cases: CaseService, fake_db: FakeDatabase
) -> None:
    with pytest.raises(ValidationError) as info:
        cases.open_case(OFFICER, draft(gate_code="NOWHERE"))
    assert info.value.params["field"] == "gate_code"
    with pytest.raises(ValidationError):
        cases.open_case(OFFICER, draft(person=Person("A", "B", ethnic_code="77")))
    assert fake_db.commits == 0 and fake_db.cases == {}


def test_viewing_a_case_leaves_a_trace(cases: CaseService, fake_db: FakeDatabase) -> None:
    case = cases.open_case(OFFICER, draft())
    cases.get(Actor("centre.mai", Role.RECEPTION), case.reference)
    assert fake_db.audit[-1].action == "case_viewed" and fake_db.audit[-1].actor == "centre.mai"


def test_verification_deadline_counts_working_days_and_cites_the_rule(
    cases: CaseService, verifications: VerificationService, clock: FixedClock
) -> None:
    case = cases.open_case(OFFICER, draft())
    sent = VerificationDraft(
        VerificationKind.POLICE_IDENTITY, "Đồn BP Lào Cai", "Công an tỉnh", date(2026, 2, 13)
    )
    updated = verifications.request(OFFICER, case.reference, sent)
    request = updated.verifications[0]
    # 20 working days from Fri 13 Feb 2026, skipping Tet (16-20 Feb): Fri 20 Mar.
    assert request.due_on == date(2026, 3, 20)
    assert (request.rule_code, request.legal_reference) == ("police_20wd", "JC 01/2014")
    assert updated.status is CaseStatus.VERIFICATION
    clock.advance_days(30)
    assert [d.case_reference for d in verifications.overdue(OFFICER)] == [case.reference]
    verifications.reply(
        OFFICER, case.reference, "V1", received_on=date(2026, 3, 25), outcome=VerificationOutcome.CONFIRMED
    )
    assert verifications.overdue(OFFICER) == []


def test_unknown_limit_gives_no_due_date(cases: CaseService, verifications: VerificationService) -> None:
    case = cases.open_case(OFFICER, draft())
    sent = VerificationDraft(VerificationKind.DNA_MATCH, "post", "Hekou PSB", date(2026, 2, 13))
    assert verifications.request(OFFICER, case.reference, sent).verifications[0].due_on is None


def test_handover_moves_every_case_in_one_transaction(
    cases: CaseService, verifications: VerificationService, fake_db: FakeDatabase, clock: FixedClock
) -> None:
    service = HandoverService(fake_db.uow, clock, "LC")
    refs = [cases.open_case(OFFICER, draft(given=g)).reference for g in ("Mỷ", "Dợ", "Sua")]
    officials = (
        Official("Lý Văn A", "Thiếu tá", "Đồn BP", "vn"),
        Official("王明", "警官", "河口公安", "foreign"),
    )
    batch = service.plan_batch(
        OFFICER,
        BatchDraft(
            HandoverDirection.INBOUND,
            Corridor.CHINA,
            date(2026, 3, 3),
            gate_code="CN-LAOCAI",
            officials=officials,
            members=tuple(BatchMember(r) for r in refs),
        ),
    )
    assert batch.reference == "LC-BG-2026-000001"
    assert {fake_db.cases[r].batch_reference for r in refs} == {batch.reference}
    done = service.mark_handed_over(OFFICER, batch.reference, datetime(2026, 3, 3, 10, 0))
    assert done.status.value == "handed_over"
    assert {fake_db.cases[r].status for r in refs} == {CaseStatus.HANDED_OVER}


def test_refused_verification_blocks_the_whole_batch(
    cases: CaseService, verifications: VerificationService, fake_db: FakeDatabase, clock: FixedClock
) -> None:
    service = HandoverService(fake_db.uow, clock, "LC")
    good = cases.open_case(OFFICER, draft()).reference
    bad = cases.open_case(OFFICER, draft(given="Dợ")).reference
    verifications.request(
        OFFICER, bad, VerificationDraft(VerificationKind.NATIONALITY, "p", "q", date(2026, 2, 27))
    )
    verifications.reply(OFFICER, bad, "V1", received_on=date(2026, 3, 1), outcome=VerificationOutcome.REFUSED)
    before = fake_db.snapshot()
    with pytest.raises(TransitionError, match="verification_refused"):
        service.plan_batch(
            OFFICER,
            BatchDraft(
                HandoverDirection.OUTBOUND,
                Corridor.CHINA,
                date(2026, 3, 3),
                members=(BatchMember(good), BatchMember(bad)),
            ),
        )
    assert fake_db.snapshot() == before


def test_screening_reception_and_closure(cases: CaseService) -> None:
    ref = cases.open_case(OFFICER, draft()).reference
    cases.record_screening(OFFICER, ref, Screening(ScreeningStatus.UNDER_IDENTIFICATION))
    cases.record_screening(
        OFFICER,
        ref,
        Screening(ScreeningStatus.IDENTIFIED_VICTIM, (ExploitationForm.SEXUAL,), decided_on=date(2026, 3, 1)),
    )
    in_care = cases.record_reception(OFFICER, ref, Reception("Trung tâm CTXH (demo)", date(2026, 3, 2)))
    assert in_care.status is CaseStatus.IN_CARE
    with pytest.raises(TransitionError):
        cases.record_screening(OFFICER, ref, Screening(ScreeningStatus.RETURNED_CITIZEN))
    closed = cases.close(OFFICER, ref, Closure(date(2026, 3, 2), Outcome.FAMILY_REUNIFICATION))
    assert closed.status is CaseStatus.CLOSED and closed.closure is not None
    assert [e.action for e in cases.history(OFFICER, ref)][-1] == "status_changed"


def test_search_expands_alternative_ethnic_names(cases: CaseService) -> None:
    cases.open_case(OFFICER, draft())
    cases.open_case(OFFICER, draft("Trần", "Lan", person=Person("Trần", "Lan", ethnic_code="01")))
    assert [r.full_name for r in cases.list_cases(CaseQuery(text="meo"), OFFICER).rows] == ["Vàng Thị Mỷ"]


def test_a_list_leaving_the_desk_records_what_it_held(cases: CaseService, fake_db: FakeDatabase) -> None:
    first = cases.open_case(OFFICER, draft()).reference
    cases.list_cases(CaseQuery(), OFFICER)  # on screen: the desk's list, not a record each time
    assert fake_db.audit[-1].action == "case_opened"
    liaison = Actor("liaison.an", Role.LIAISON)
    rows = cases.list_cases(CaseQuery(), liaison, Action.EXPORT).rows
    entry = fake_db.audit[-1]
    details = json.loads(entry.details)
    assert (entry.action, entry.actor, details["used_for"]) == ("cases_exported", "liaison.an", "export")
    assert details["cases"] == [first] == [r.reference for r in rows] and details["count"] == 1
    assert details["hidden"] == sorted(str(k) for k in access.hidden_for(liaison, Action.EXPORT)) != []


CSV_HEADER = "family_name,middle_name,given_name,sex,date_of_birth,channel,corridor,received_on,gate_code\n"


def test_import_reports_the_row_and_column_and_writes_nothing(
    tmp_path: Path, fake_db: FakeDatabase, fake_reference: FakeReference, clock: FixedClock
) -> None:
    service = ImportService(fake_db.uow, fake_reference, clock, "LC")
    path = tmp_path / "cases.csv"
    path.write_text(
        CSV_HEADER
        + "Hoàng,Thị,Hoa,F,2011-04-02,rescue,CN,2026-01-10,CN-LAOCAI\n"
        + "Lò,Văn,Sử,M,2011-13-02,rescue,CN,2026-01-10,CN-LAOCAI\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRowError) as info:
        service.import_file(OFFICER, path)
    assert (info.value.row, info.value.column, info.value.reason) == (3, "date_of_birth", "bad_date")
    assert fake_db.cases == {} and fake_db.commits == 0


def test_import_accepts_good_csv_and_json(
    tmp_path: Path, fake_db: FakeDatabase, fake_reference: FakeReference, clock: FixedClock
) -> None:
    service = ImportService(fake_db.uow, fake_reference, clock, "LC")
    csv_path = tmp_path / "ok.csv"
    csv_path.write_text(
        CSV_HEADER + "Hoàng,Thị,Hoa,F,2011-04-02,rescue,CN,2026-01-10,CN-LAOCAI\n", encoding="utf-8"
    )
    json_path = tmp_path / "ok.json"
    json_path.write_text(
        '[{"family_name": "Sùng", "given_name": "Pàng", "channel": "self_return", '
        '"corridor": "LA", "received_on": "2026-02-01", "estimated_age": "15"}]',
        encoding="utf-8",
    )
    assert service.import_file(OFFICER, csv_path).references == ("LC-2026-000001",)
    report = service.import_file(OFFICER, json_path)
    assert report.references == ("LC-2026-000002",)
    stored = fake_db.cases["LC-2026-000002"]
    assert stored.person.age_on(date(2026, 2, 1)) == 15 and stored.corridor is Corridor.LAO
    assert [e.action for e in fake_db.audit] == ["cases_imported", "cases_imported"]


@pytest.mark.parametrize(
    ("content", "column", "reason"),
    [
        ("Hoa,,x,F,,teleport,CN,2026-01-10,", "channel", "unknown_code"),
        ("Hoa,,x,F,,rescue,CN,,", "received_on", "missing"),
        ("Hoa,,x,F,,rescue,CN,2026-01-10,NOWHERE", "gate_code", "unknown_code"),
        ("Hoa,,x,Q,,rescue,CN,2026-01-10,", "sex", "unknown_code"),
        ("Hoa,,x,F,,rescue,CN,2026-01-10,,extra", "*", "wrong_column_count"),
        (",,,F,,rescue,CN,2026-01-10,", "name", "missing_field"),
    ],
)
def test_each_malformed_field_is_named(
    tmp_path: Path,
    fake_db: FakeDatabase,
    fake_reference: FakeReference,
    clock: FixedClock,
    content: str,
    column: str,
    reason: str,
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(CSV_HEADER + content + "\n", encoding="utf-8")
    with pytest.raises(ImportRowError) as info:
        ImportService(fake_db.uow, fake_reference, clock, "LC").import_file(OFFICER, path)
    assert (info.value.row, info.value.column, info.value.reason) == (2, column, reason)


def test_demo_is_reproducible_and_marked_fictitious(
    fake_db: FakeDatabase, fake_reference: FakeReference, clock: FixedClock
) -> None:
    service = DemoService(fake_db.uow, fake_reference, clock, "LC")
    assert service.seed(Actor("chief", Role.SUPERVISOR), 60, seed=7) == 60
    first = dict(fake_db.cases)
    assert {c.notes for c in first.values()} == {"DEMO - fictitious"}
    assert {c.corridor for c in first.values()} == {Corridor.CHINA, Corridor.CAMBODIA, Corridor.LAO}
    assert len({c.status for c in first.values()}) >= 4
    other = FakeDatabase()
    DemoService(other.uow, fake_reference, clock, "LC").seed(Actor("chief", Role.SUPERVISOR), 60, seed=7)
    assert other.cases == first
