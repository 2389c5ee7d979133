"""The printed form is dated by its event, issued by the post, in the corridor's language."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from repatriation.domain.care import Reception
from repatriation.domain.clock import FixedClock
from repatriation.domain.enums import BatchStatus, DocumentKind, ReturnChannel
from repatriation.domain.errors import ValidationError
from repatriation.domain.people import IdentityDocument
from repatriation.reference import load_reference_data
from repatriation.services.documents import DocumentService
from repatriation.services.form_context import IssuingPost
from repatriation.services.form_data import (
    HandoverMinutesData,
    IdentityPaper,
    IntakeReportData,
    ReceptionRecordData,
)
from tests.fakes import FakeDatabase
from tests.forms.test_documents_service import OFFICER, RecordingRenderer, _batch, _case

BLANK_VI = "ngày ..... tháng ..... năm ......."
BLANK_ZH = ".......年.....月.....日"


def _service(db: FakeDatabase, renderer: RecordingRenderer, now: datetime,
             post: IssuingPost | None = None) -> DocumentService:
    return DocumentService(db.uow, load_reference_data(), renderer, FixedClock(now), post=post)


@pytest.fixture
def db() -> FakeDatabase:
    database = FakeDatabase()
    for case in (_case("LC-2026-000001", "Mỷ"), _case("LC-2026-000002", "Sua")):
        database.cases[case.reference] = case
    database.batches["LC-BG-2026-000001"] = _batch()  # planned for 2 Mar 2026
    return database


@pytest.mark.parametrize(
    ("now", "actual", "place_vi", "when_vi", "when_zh"),
    [
        (datetime(2026, 3, 1, 16, 0), None, f"Lào Cai, {BLANK_VI}",
         f"..... giờ ....., {BLANK_VI}", f"{BLANK_ZH} .....:....."),
        (datetime(2026, 3, 2, 7, 45), None, "Lào Cai, ngày 02 tháng 03 năm 2026",
         "..... giờ ....., ngày 02 tháng 03 năm 2026", "2026年3月2日 .....:....."),
        (datetime(2026, 3, 4, 9, 0), datetime(2026, 3, 2, 14, 5),
         "Lào Cai, ngày 02 tháng 03 năm 2026", "14 giờ 05, ngày 02 tháng 03 năm 2026",
         "2026年3月2日 14:05"),
        (datetime(2026, 3, 4, 9, 0), None, f"Lào Cai, {BLANK_VI}",
         f"..... giờ ....., {BLANK_VI}", f"{BLANK_ZH} .....:....."),
    ],
    ids=["before", "on-the-day", "after-recorded", "after-not-recorded"],
)
def test_minutes_carry_the_handover_date_or_blanks_never_the_print_day(
        db: FakeDatabase, now: datetime, actual: datetime | None, place_vi: str, when_vi: str,
        when_zh: str) -> None:
    if actual is not None:
        db.batches["LC-BG-2026-000001"] = replace(
            _batch(), status=BatchStatus.HANDED_OVER, handed_over_at=actual)
    renderer = RecordingRenderer()
    pdf = _service(db, renderer, now).render(OFFICER, "handover_minutes",
                                             batch_ref="LC-BG-2026-000001")
    data = renderer.calls[-1][1]
    assert isinstance(data, HandoverMinutesData) and data.meta.language == "zh_CN"
    assert data.meta.place_date.vi == place_vi
    assert (data.handed_at.vi, data.handed_at.other) == (when_vi, when_zh)
    assert data.meta.generated_at == now  # the print time: only the footer's small line
    assert pdf.startswith(b"%PDF-")


def test_the_issuer_and_place_come_from_the_post_profile_whatever_the_channel(
        db: FakeDatabase) -> None:
    case = _case("LC-2026-000003", "Páo", channel=ReturnChannel.RESCUE, gate_code=None)
    db.cases[case.reference] = case
    renderer = RecordingRenderer()
    post = IssuingPost("Đồn Biên phòng Bản Vược", "CN-LAOCAI")
    _service(db, renderer, datetime(2026, 3, 2, 9, 30), post).render(
        OFFICER, "intake_report", case_ref=case.reference, language="vi")
    data = renderer.calls[-1][1]
    assert isinstance(data, IntakeReportData)
    assert [line.vi for line in data.meta.issuing_body] == [
        "BAN CHỈ HUY BỘ ĐỘI BIÊN PHÒNG, BỘ CHỈ HUY QUÂN SỰ TỈNH LÀO CAI",
        "ĐỒN BIÊN PHÒNG BẢN VƯỢC"]
    assert data.meta.place_date.vi == "Lào Cai, ngày 27 tháng 02 năm 2026"  # received that day


def test_the_counterpart_language_follows_the_corridor_unless_chosen(db: FakeDatabase) -> None:
    renderer = RecordingRenderer()
    service = _service(db, renderer, datetime(2026, 3, 2, 9, 30))
    with pytest.raises(ValidationError) as caught:
        service.render(OFFICER, "handover_minutes", batch_ref="LC-BG-2026-000001",
                       language="lo")
    assert caught.value.code == "language_not_of_corridor"
    assert caught.value.params["expected"] == "zh_CN"
    service.render(OFFICER, "handover_minutes", batch_ref="LC-BG-2026-000001", language="lo",
                   other_language=True)
    assert renderer.calls[-1][2] == "lo"
    assert db.audit and db.audit[-1].action == "form_printed"


def test_minutes_name_the_languages_interpreted_and_the_gate_in_its_own_script(
        db: FakeDatabase) -> None:
    child = db.cases["LC-2026-000001"]
    db.cases[child.reference] = replace(child, person=replace(
        child.person, interpreter_needed=True, interpreter_language="hmn",
        documents=(IdentityDocument(DocumentKind.TRAVEL_PAPER, "TP1"),
                   IdentityDocument(DocumentKind.BIRTH_CERTIFICATE, "KS-0452"))))
    renderer = RecordingRenderer()
    _service(db, renderer, datetime(2026, 3, 2, 9, 30)).render(
        OFFICER, "handover_minutes", batch_ref="LC-BG-2026-000001")
    data = renderer.calls[-1][1]
    assert isinstance(data, HandoverMinutesData)
    assert data.place.name.other == "Lào Cai - 河口"
    assert data.interpreter_language.vi.count(" - ") == 2  # Vietnamese - Chinese - Hmong
    assert data.interpreter_language.other.startswith("越南语 - 中文")
    assert data.persons[0].person.other_documents == (
        IdentityPaper(DocumentKind.BIRTH_CERTIFICATE, "KS-0452"),)


def test_the_reception_record_names_the_delivering_officer(db: FakeDatabase) -> None:
    db.batches["LC-BG-2026-000001"] = replace(
        _batch(), status=BatchStatus.HANDED_OVER, handed_over_at=datetime(2026, 3, 2, 14, 5))
    case = replace(db.cases["LC-2026-000001"], reception=Reception(
        "Trung tâm CTXH tỉnh Lào Cai", date(2026, 3, 3), "Đỗ Thị Yến"))
    db.cases[case.reference] = case
    renderer = RecordingRenderer()
    _service(db, renderer, datetime(2026, 3, 5, 9, 30)).render(
        OFFICER, "reception_record", case_ref=case.reference, language="zh_CN")
    data = renderer.calls[-1][1]
    assert isinstance(data, ReceptionRecordData)
    assert data.delivering_officer.full_name == "Trần Văn Bình"
    assert data.meta.place_date.vi.endswith("ngày 03 tháng 03 năm 2026")
