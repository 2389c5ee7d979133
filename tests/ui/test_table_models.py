"""Every table model passes Qt's model tester; editable models refuse bad input."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt

from i18n import Translator
from repatriation.domain.enums import (
    CaseStatus,
    Corridor,
    HandoverDirection,
    ReturnChannel,
    ScreeningStatus,
    Sex,
    SignatureMethod,
    VerificationKind,
)
from repatriation.domain.handover import BatchMember, HandoverBatch, Official
from repatriation.domain.verification import VerificationRequest
from repatriation.services.intake_flow import PersonEntry
from repatriation.services.results import AuditEntry, CasePage, CaseSummary, DueVerification
from ui.labels import OVERDUE_COLOURS, STATUS_COLOURS, Labels
from ui.table_models.audit_table_model import AuditTableModel
from ui.table_models.base import BADGE_ROLE, KEY_ROLE, SORT_ROLE
from ui.table_models.batch_member_table_model import BatchMemberTableModel, MemberColumn
from ui.table_models.batch_table_model import BatchTableModel
from ui.table_models.case_table_model import CaseColumn, CaseProxyModel, CaseTableModel
from ui.table_models.due_table_model import DueColumn, DueTableModel
from ui.table_models.official_table_model import OfficialColumn, OfficialTableModel
from ui.table_models.person_entry_table_model import PersonColumn, PersonEntryTableModel
from ui.table_models.verification_table_model import VerificationTableModel

TODAY = date(2026, 3, 2)
LABELS = Labels(Translator("en"))


def summary(n: int, due: date | None = None) -> CaseSummary:
    return CaseSummary(
        f"LC-2026-{n:06d}",
        f"Giàng Thị Sua {n}",
        Sex.FEMALE,
        14,
        Corridor.CHINA,
        ReturnChannel.RESCUE,
        CaseStatus.VERIFICATION,
        ScreeningStatus.UNDER_IDENTIFICATION,
        date(2026, 2, 1),
        "CN-LAOCAI",
        "08",
        due,
        bool(due and due < TODAY),
    )


def test_case_model_pages_and_badges(qtmodeltester) -> None:
    model = CaseTableModel(LABELS, lambda: TODAY, page_size=5)
    model.reset_with(CasePage(tuple(summary(n, date(2026, 2, 27)) for n in range(5)), 12, 0), 1)
    qtmodeltester.check(model)
    assert model.rowCount() == 12
    assert model.index(0, CaseColumn.STATUS).data(BADGE_ROLE) == STATUS_COLOURS[CaseStatus.VERIFICATION]
    assert model.index(0, CaseColumn.DEADLINE).data() == "Overdue 3 days"
    assert model.index(0, CaseColumn.DEADLINE).data(BADGE_ROLE) == OVERDUE_COLOURS
    assert model.index(0, CaseColumn.RECEIVED).data(SORT_ROLE) == "2026-02-01"
    assert model.index(0, 0).data(KEY_ROLE) == "LC-2026-000000"
    model.add_page(CasePage(tuple(summary(n) for n in range(5, 10)), 12, 5), generation=0)  # stale: dropped
    assert model.summary(5) is None
    model.add_page(CasePage(tuple(summary(n) for n in range(5, 10)), 12, 5), generation=1)
    assert model.index(7, CaseColumn.REFERENCE).data() == "LC-2026-000007"
    qtmodeltester.check(CaseProxyModel(model))


def test_case_proxy_sorts_in_the_database(qtbot) -> None:
    model = CaseTableModel(LABELS, lambda: TODAY)
    proxy = CaseProxyModel(model)
    with qtbot.waitSignal(model.sort_wanted) as wanted:
        proxy.sort(CaseColumn.NAME, Qt.SortOrder.AscendingOrder)
    assert [str(a) for a in wanted.args] == ["name", "False"]
    with qtbot.assertNotEmitted(model.sort_wanted):
        proxy.sort(CaseColumn.SEX, Qt.SortOrder.AscendingOrder)  # not sortable in SQL: ignored


def test_due_model(qtmodeltester) -> None:
    model = DueTableModel(LABELS, lambda: TODAY)
    model.set_rows(
        [
            DueVerification(
                "LC-1",
                "A",
                "V1",
                VerificationKind.NATIONALITY,
                "Police HG",
                date(2026, 2, 1),
                date(2026, 3, 1),
                1,
                "JC 01/2014",
            ),
            DueVerification(
                "LC-2", "B", "V1", VerificationKind.DNA_MATCH, "Institute", None, date(2026, 3, 2), 0, ""
            ),
        ]
    )
    qtmodeltester.check(model)
    assert model.index(0, DueColumn.DEADLINE).data() == "Overdue 1 day"
    assert model.index(1, DueColumn.DEADLINE).data() == "Due today"
    assert model.index(1, DueColumn.KIND).data() == "DNA match"


def test_batch_and_audit_and_verification_models(qtmodeltester) -> None:
    batches = BatchTableModel(
        LABELS,
        [
            HandoverBatch(
                "LC-BG-2026-000001",
                HandoverDirection.INBOUND,
                Corridor.CHINA,
                TODAY,
                members=(BatchMember("LC-1"),),
            )
        ],
    )
    qtmodeltester.check(batches)
    assert batches.index(0, 6).data() == "1"
    audit = AuditTableModel(
        LABELS,
        [
            AuditEntry(
                1, datetime(2026, 3, 2, 9, 5), "officer", "case_opened", "case", "LC-1", "{}", "ab" * 32
            )
        ],
    )
    qtmodeltester.check(audit)
    assert audit.index(0, 2).data() == "Case opened"
    requests = VerificationTableModel(LABELS, lambda: TODAY)
    requests.set_rows(
        [
            VerificationRequest(
                "V1",
                VerificationKind.POLICE_IDENTITY,
                "post",
                "police",
                sent_on=date(2026, 2, 1),
                due_on=date(2026, 3, 4),
            )
        ]
    )
    qtmodeltester.check(requests)
    assert requests.index(0, 4).data() == "Due in 2 days"


def test_member_and_official_models_edit_in_place(qtmodeltester) -> None:
    members = BatchMemberTableModel(LABELS, {"LC-1": "Giàng Thị Sua"})
    members.set_rows([BatchMember("LC-1")])
    qtmodeltester.check(members)
    assert members.index(0, MemberColumn.NAME).data() == "Giàng Thị Sua"
    assert members.setData(members.index(0, MemberColumn.BELONGINGS), "Ba lo\u0302 xanh")  # NFD in
    assert members.rows()[0].belongings == "Ba lô xanh"  # NFC stored
    assert members.setData(members.index(0, MemberColumn.SIGNATURE), "thumbprint")
    assert members.rows()[0].signature is SignatureMethod.THUMBPRINT
    assert not members.setData(members.index(0, MemberColumn.SIGNATURE), "stamp")
    assert not members.setData(members.index(0, MemberColumn.CASE), "LC-9")  # not editable
    members.read_only = True
    assert not members.setData(members.index(0, MemberColumn.HEALTH), "ok")
    officials = OfficialTableModel(LABELS, [Official("Lê Văn A", side="vn")])
    qtmodeltester.check(officials)
    assert officials.setData(officials.index(0, OfficialColumn.SIDE), "foreign")
    assert officials.index(0, OfficialColumn.SIDE).data() == "Counterpart"
    assert not officials.setData(officials.index(0, OfficialColumn.SIDE), "martian")


@pytest.mark.parametrize(
    ("column", "value", "check"),
    [
        (PersonColumn.DATE_OF_BIRTH, "2012-03-03", lambda p: p.date_of_birth == date(2012, 3, 3)),
        (PersonColumn.ESTIMATED_AGE, "15", lambda p: p.estimated_age == 15),
        (PersonColumn.SEX, "F", lambda p: p.sex is Sex.FEMALE),
        (PersonColumn.INTERPRETER, "hmn", lambda p: p.interpreter_needed and p.interpreter_language == "hmn"),
    ],
)
def test_person_entry_model(qtmodeltester, column, value, check) -> None:
    model = PersonEntryTableModel(LABELS, lambda: TODAY, lambda: TODAY, {"08": "H'Mông"})
    model.set_rows([PersonEntry(family_name="Giàng", given_name="Sua", ethnic_code="08")])
    qtmodeltester.check(model)
    assert model.index(0, PersonColumn.ETHNIC).data() == "H'Mông"
    assert model.setData(model.index(0, column), value)
    assert check(model.rows()[0])
    assert not model.setData(model.index(0, PersonColumn.ESTIMATED_AGE), "about ten")
    assert not model.setData(model.index(0, PersonColumn.AGE), "3")  # computed column


def test_person_entry_age_follows_birth_date(qtbot) -> None:
    model = PersonEntryTableModel(LABELS, lambda: TODAY, lambda: TODAY)
    model.set_rows([PersonEntry(given_name="A")])
    with qtbot.waitSignal(model.dataChanged):
        model.setData(model.index(0, PersonColumn.DATE_OF_BIRTH), "2012-03-03")
    assert model.index(0, PersonColumn.AGE).data() == "13"


def test_history_shows_words_never_codes_or_json() -> None:
    details = (
        '{"on":"2026-03-02","role":"border_guard","source":"received","target":"in_care",'
        '"fields":["health_notes"],"mystery_code":"some_internal_value"}'
    )
    at = datetime(2026, 3, 2, 9, 5)
    entries = [
        AuditEntry(1, at, "officer", "status_changed", "case", "LC-1", details, "ab" * 32),
        AuditEntry(2, at, "hk", "case_updated_by_bundle", "case", "LC-1", "{}", "cd" * 32),
        AuditEntry(3, at, "x", "brand_new_action", "case", "LC-1", "[1]", "ef" * 32),
    ]
    audit = AuditTableModel(LABELS, entries)
    shown = [[audit.index(r, c).data() for c in range(4)] for r in range(3)]
    assert shown[0][2:] == [
        "Status changed",
        "role: Border guard officer; on: 02/03/2026; from: Received; to: In care; fields: health notes",
    ]
    assert shown[1][2:] == ["Updated from a bundle", ""]
    assert shown[2][2:] == ["Other change", ""]
    assert not any("_" in text or "{" in text for row in shown for text in row)
