"""Logs never contain personal data: canaries in every field, a whole workflow, DEBUG capture.

Each canary is a unique string put in one field (names, aliases, documents, address, family,
health, narrative, notes, consent giver, facility...), in a password and in a user name; the
workflow opens, edits, views, imports, lists, signs in, anonymises and verifies. Nothing logged
at any level may contain any canary.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from repatriation.bootstrap import Services, build_services
from repatriation.config import Settings
from repatriation.crypto.passwords import Argon2Params, Argon2PasswordHasher
from repatriation.domain.actors import Actor, Role
from repatriation.domain.care import Closure, ConsentRecord, Reception, Screening
from repatriation.domain.clock import FixedClock
from repatriation.domain.enums import (
    CaseStatus,
    ConsentScope,
    ConsentSubject,
    Corridor,
    ExploitationForm,
    Outcome,
    ReturnChannel,
    ScreeningStatus,
)
from repatriation.domain.errors import DomainError
from repatriation.services.accounts import AccountService
from repatriation.services.audit_verify import AuditVerifier
from repatriation.services.cases import CaseDraft
from repatriation.services.results import CaseQuery
from repatriation.services.retention import RetentionService
from repatriation.storage.database import make_engine
from tests.security.full_case import CANARY, full_case

BOSS = Actor("boss", Role.SUPERVISOR)


@pytest.fixture
def services(database_url: str, tmp_path: Path, clock: FixedClock) -> Iterator[Services]:
    settings = Settings(data_dir=tmp_path / "desk", database_url=database_url)
    built = build_services(settings, clock=clock, engine=make_engine(database_url))
    yield built
    built.close()


def assert_no_canary(caplog: pytest.LogCaptureFixture) -> None:
    assert caplog.records, "the workflow logged nothing at all: the capture is not working"
    for record in caplog.records:
        text = record.getMessage() + (record.exc_text or "") + repr(record.args)
        assert CANARY not in text, (record.name, record.levelname, record.msg)
    assert CANARY not in caplog.text


def test_whole_workflow_logs_no_personal_data(
    services: Services, caplog: pytest.LogCaptureFixture, tmp_path: Path, clock: FixedClock
) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("repatriation").debug("capture check")  # proves DEBUG reaches the capture
    uow = services.uow_factory
    cheap = Argon2PasswordHasher(Argon2Params(19 * 1024, 2, 1))
    accounts = AccountService(uow, clock, hasher=cheap)
    accounts.create_first_supervisor("boss", f"{CANARY}firstsecret")
    accounts.create_user(BOSS, "officer.lan", Role.BORDER_GUARD, f"{CANARY}secondsecret")
    for name, password in (("officer.lan", f"{CANARY}wrong"), (f"{CANARY}typedname", "x" * 12)):
        for _ in range(6):  # into the back-off, which logs nothing personal either
            with pytest.raises(DomainError):
                accounts.authenticate(name, password)
    officer = Actor("officer.lan", Role.BORDER_GUARD)

    # Open with every draft field carrying a canary, then edit every other field.
    full = full_case()
    draft = CaseDraft(full.person, ReturnChannel.OFFICIAL_HANDOVER, Corridor.CHINA, date(2026, 2, 27),
                      gate_code=None, place_detail=f"{CANARY}place", notes=f"{CANARY}intake")
    draft = replace(draft, person=replace(full.person, ethnic_code="08", address=replace(
        full.person.address, province_old=None, province_new=None)))
    cases = services.cases
    opened = cases.open_case(officer, draft)
    ref = opened.reference
    cases.update_notes(BOSS, ref, notes=f"{CANARY}n", health_notes=f"{CANARY}h",
                       exploitation_narrative=f"{CANARY}story")
    cases.add_consent(BOSS, ref, ConsentRecord(ConsentSubject.REPRESENTATIVE, ConsentScope.SHARE_ABROAD,
                                               True, date(2026, 2, 28), f"{CANARY}mother"))
    cases.record_screening(officer, ref, Screening(ScreeningStatus.UNDER_IDENTIFICATION))
    decided = Screening(ScreeningStatus.IDENTIFIED_VICTIM, (ExploitationForm.SEXUAL,), date(2026, 3, 1),
                        f"{CANARY}decider")
    cases.record_screening(officer, ref, decided)
    cases.record_reception(officer, ref, Reception(f"{CANARY}shelter", date(2026, 3, 1), f"{CANARY}staff"))
    for role in Role:
        with contextlib.suppress(DomainError):
            cases.get(Actor(f"user.{role}", role), ref)
    with pytest.raises(DomainError):
        cases.update_notes(Actor("centre.mai", Role.RECEPTION), ref, exploitation_narrative=f"{CANARY}x")

    # Import: a good file and one whose bad cell is a canary.
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    header = "family_name,given_name,channel,corridor,received_on,notes\n"
    good.write_text(header + f"{CANARY}Fam,{CANARY}Giv,rescue,CN,2026-01-10,{CANARY}note\n", encoding="utf-8")
    bad.write_text(header + f"{CANARY}Fam,{CANARY}Giv,rescue,CN,{CANARY}date,\n", encoding="utf-8")
    services.imports.import_file(officer, good)
    with pytest.raises(DomainError):
        services.imports.import_file(officer, bad)

    # List and search, by name canary, as several roles.
    for role in (Role.BORDER_GUARD, Role.LIAISON, Role.SUPERVISOR):
        page = cases.list_cases(CaseQuery(text=f"{CANARY}Giv"), Actor("u", role))
        assert page.total >= 1
    cases.list_cases(CaseQuery(text=full.person.given_name), BOSS)

    # Close long ago, anonymise, verify the audit chain.
    cases.close(BOSS, ref, Closure(date(2026, 3, 2), Outcome.FAMILY_REUNIFICATION, f"{CANARY}closing"))
    clock.current = clock.current.replace(year=2033)
    assert RetentionService(uow, clock).run(BOSS).cases == (ref,)
    assert AuditVerifier(uow).verify(BOSS).ok
    assert cases.get(BOSS, ref).status is CaseStatus.CLOSED
    assert_no_canary(caplog)


def test_cli_in_verbose_mode_logs_no_personal_data(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.cli_kit import demo_desk

    del capsys
    caplog.set_level(logging.DEBUG)
    desk = demo_desk(tmp_path / "desk", cases=3)
    source = tmp_path / "cases.csv"
    source.write_text("family_name,given_name,channel,corridor,received_on,notes\n"
                      f"{CANARY}Fam,{CANARY}Giv,rescue,CN,2026-01-10,{CANARY}note\n", encoding="utf-8")
    boss = Role.SUPERVISOR
    desk.ok(boss, "-v", "cases", "import", str(source))
    out = desk.ok(boss, "-v", "cases", "list", "--search", f"{CANARY}Giv")
    assert CANARY in out  # the data is on stdout, where it was asked for
    reference = json.loads(out)[0]["reference"]
    desk.ok(boss, "-v", "cases", "show", reference)
    desk.ok(boss, "-v", "audit", "verify")
    assert_no_canary(caplog)
