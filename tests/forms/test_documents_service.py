"""DocumentService with fake repositories and the real reference data and renderer."""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import pytest

from forms.renderer import ReportLabFormRenderer
from repatriation.domain.actors import Actor, Role
from repatriation.domain.care import ConsentRecord, Reception, Referral, SupportDelivered
from repatriation.domain.case import Case
from repatriation.domain.clock import FixedClock
from repatriation.domain.enums import (
    ConsentScope,
    ConsentSubject,
    Corridor,
    DocumentKind,
    HandoverDirection,
    ReturnChannel,
    Sex,
    SignatureMethod,
    SupportKind,
    VerificationKind,
    VerificationOutcome,
)
from repatriation.domain.errors import PermissionDenied, ValidationError
from repatriation.domain.handover import BatchMember, HandoverBatch, Official
from repatriation.domain.people import Address, BirthInfo, FamilyMember, IdentityDocument, Person
from repatriation.domain.verification import VerificationRequest
from repatriation.reference import load_reference_data
from repatriation.services.documents import DocumentService
from repatriation.services.form_checks import form_digest
from repatriation.services.form_data import (
    FormData,
    HandoverMinutesData,
    Instrument,
    InternalHandoverData,
    ReferralSummaryData,
    VerificationReplyData,
)
from tests.fakes import FakeDatabase

OFFICER = Actor("officer", Role.BORDER_GUARD)


@dataclass
class RecordingRenderer:
    """The real renderer, keeping what it was given."""

    real: ReportLabFormRenderer = field(default_factory=ReportLabFormRenderer)
    calls: list[tuple[str, FormData, str]] = field(default_factory=list)

    def form_ids(self) -> tuple[str, ...]:
        return self.real.form_ids()

    def render(self, form_id: str, data: FormData, counterpart_language: str) -> bytes:
        self.calls.append((form_id, data, counterpart_language))
        return self.real.render(form_id, data, counterpart_language)


def _case(reference: str, given: str, **changes: object) -> Case:
    person = Person(
        family_name="Giàng", middle_name="Thị", given_name=given, sex=Sex.FEMALE,
        birth=BirthInfo(date_of_birth=date(2012, 5, 12)), ethnic_code="08",
        preferred_language="hmn", documents=(IdentityDocument(DocumentKind.TRAVEL_PAPER, "TP1"),),
        address=Address(as_written="Thôn 3, xã Bát Xát, tỉnh Lào Cai"),
        family=(FamilyMember("mother", "Lò Thị Mai", 1985, "Làm ruộng", is_guardian=True),),
    )
    case = Case(reference=reference, person=person, channel=ReturnChannel.OFFICIAL_HANDOVER,
                corridor=Corridor.CHINA, received_on=date(2026, 2, 27), gate_code="CN-LAOCAI",
                post_code="LC")
    return replace(case, **changes)  # type: ignore[arg-type]


def _batch(direction: HandoverDirection = HandoverDirection.INBOUND,
           planned: date = date(2026, 3, 2)) -> HandoverBatch:
    return HandoverBatch(
        reference="LC-BG-2026-000001", direction=direction, corridor=Corridor.CHINA,
        planned_on=planned, gate_code="CN-LAOCAI",
        officials=(Official("Trần Văn Bình", "Thiếu tá", "Đồn BP Lào Cai", "vn"),
                   Official("王建国", "警督", "河口县公安局", "foreign")),
        members=(BatchMember("LC-2026-000001", "1 ba lô", "", "Bình thường",
                             SignatureMethod.THUMBPRINT, "Trần Văn Bình"),
                 BatchMember("LC-2026-000002")),
        interpreter="Lý Thị Mai",
    )


@pytest.fixture
def db() -> FakeDatabase:
    database = FakeDatabase()
    for case in (_case("LC-2026-000001", "Mỷ"), _case("LC-2026-000002", "Sua")):
        database.cases[case.reference] = case
    database.batches["LC-BG-2026-000001"] = _batch()
    return database


@pytest.fixture
def renderer() -> RecordingRenderer:
    return RecordingRenderer()


@pytest.fixture
def service(db: FakeDatabase, renderer: RecordingRenderer) -> DocumentService:
    clock = FixedClock(datetime(2026, 3, 2, 9, 30))
    return DocumentService(db.uow, load_reference_data(), renderer, clock)


def test_handover_minutes_are_resolved_rendered_and_audited(
    service: DocumentService, renderer: RecordingRenderer, db: FakeDatabase
) -> None:
    pdf = service.render(OFFICER, "handover_minutes", batch_ref="LC-BG-2026-000001",
                         language="zh")
    assert pdf.startswith(b"%PDF-")
    form_id, data, language = renderer.calls[-1]
    assert (form_id, language) == ("handover_minutes", "zh_CN")
    assert isinstance(data, HandoverMinutesData)
    assert data.place.name.vi == "Lào Cai - Hekou"
    assert data.meta.issuing_body[-1].vi == "ĐỒN BIÊN PHÒNG CỬA KHẨU LÀO CAI"
    assert data.meta.place_date.vi == "Lào Cai, ngày 02 tháng 03 năm 2026"
    assert data.meta.place_date.other == "Lào Cai，2026年3月2日"
    assert data.meta.document_number == "LC-BG-2026-000001/BB-GN"
    assert data.meta.legal_basis == (Instrument.LAW_2024, Instrument.JC_01_2014,
                                     Instrument.AGREEMENT_CN)
    first = data.persons[0]
    assert first.person.full_name == "Giàng Thị Mỷ"
    assert first.person.date_of_birth.vi == "12/05/2012"
    assert first.person.date_of_birth.other == "2012年5月12日"
    assert first.person.ethnicity.vi == "H'Mông"
    assert first.person.preferred_language.vi and first.person.preferred_language.other
    assert first.signature.method is SignatureMethod.THUMBPRINT
    assert [r.full_name for r in data.foreign_side] == ["王建国"]
    entry = db.audit[-1]
    assert (entry.action, entry.reference) == ("form_printed", "LC-BG-2026-000001")
    assert form_digest(data) in entry.details and "Giàng" not in entry.details
    assert json.loads(entry.details)["hidden"] == []  # what the printout left out for the role


def test_the_legal_basis_follows_the_date(service: DocumentService, db: FakeDatabase,
                                          renderer: RecordingRenderer) -> None:
    service._clock = FixedClock(datetime(2025, 3, 1, 8, 0))  # type: ignore[attr-defined]
    service.render(OFFICER, "handover_minutes", batch_ref="LC-BG-2026-000001", language="vi",
                   other_language=True)
    data = renderer.calls[-1][1]
    assert data.meta.legal_basis[0] is Instrument.LAW_2011
    assert data.meta.issuing_body[0].vi.startswith("BỘ CHỈ HUY BỘ ĐỘI BIÊN PHÒNG TỈNH")
    assert data.meta.place_date.other == ""  # Vietnamese only


def test_internal_minutes_follow_an_inbound_or_internal_batch(
    service: DocumentService, db: FakeDatabase, renderer: RecordingRenderer
) -> None:
    service.render(OFFICER, "internal_handover", batch_ref="LC-BG-2026-000001", language="vi")
    after_receipt = renderer.calls[-1][1]
    assert isinstance(after_receipt, InternalHandoverData)
    assert after_receipt.to_side == ()  # the police officers sign by hand; never the foreign side
    assert after_receipt.to_unit.vi == "Công an tỉnh Lào Cai"
    db.batches["LC-BI-2026-000001"] = replace(
        _batch(HandoverDirection.INTERNAL), reference="LC-BI-2026-000001")
    service.render(OFFICER, "internal_handover", batch_ref="LC-BI-2026-000001", language="km")
    assert [r.full_name for r in renderer.calls[-1][1].to_side] == ["王建国"]  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="wrong_batch_direction"):
        service.render(OFFICER, "handover_minutes", batch_ref="LC-BI-2026-000001")
    db.batches["LC-BO-2026-000001"] = replace(
        _batch(HandoverDirection.OUTBOUND), reference="LC-BO-2026-000001")
    with pytest.raises(ValidationError, match="wrong_batch_direction"):
        service.render(OFFICER, "internal_handover", batch_ref="LC-BO-2026-000001",
                       language="km")


def test_a_statistician_may_not_print_and_nothing_is_audited(
    service: DocumentService, db: FakeDatabase
) -> None:
    with pytest.raises(PermissionDenied):
        service.render(Actor("stats", Role.STATISTICIAN), "intake_report",
                       case_ref="LC-2026-000001", language="vi")
    assert db.audit == []


@pytest.mark.parametrize(
    ("kwargs", "code", "param"),
    [
        ({"form_id": "handover_minutes", "case_ref": "LC-2026-000001"}, "missing_field",
         "batch_ref"),
        ({"form_id": "intake_report", "batch_ref": "LC-BG-2026-000001"}, "missing_field",
         "case_ref"),
        ({"form_id": "reception_record", "case_ref": "LC-2026-000001"}, "missing_field",
         "reception"),
        ({"form_id": "referral_summary", "case_ref": "LC-2026-000001"}, "missing_field",
         "referrals"),
        ({"form_id": "verification_request", "case_ref": "LC-2026-000001"}, "missing_field",
         "request_id"),
        ({"form_id": "nope", "case_ref": "LC-2026-000001"}, "unknown_form", None),
    ],
)
def test_requests_that_cannot_be_served_are_refused_clearly(
    service: DocumentService, db: FakeDatabase, kwargs: dict[str, str], code: str,
    param: str | None,
) -> None:
    form_id = kwargs.pop("form_id")
    with pytest.raises(ValidationError) as caught:
        service.render(OFFICER, form_id, language="vi", **kwargs)
    assert caught.value.code == code
    if param:
        assert caught.value.params["field"] == param
    assert db.audit == []


def test_an_unsupported_language_is_refused(service: DocumentService) -> None:
    with pytest.raises(ValidationError, match="unsupported_language"):
        service.render(OFFICER, "intake_report", case_ref="LC-2026-000001", language="fr")


def test_a_referral_needs_consent_or_the_exemption(service: DocumentService, db: FakeDatabase,
                                                   renderer: RecordingRenderer) -> None:
    case = _case("LC-2026-000001", "Mỷ", referrals=(
        Referral("Sở Y tế tỉnh Lào Cai", date(2026, 3, 1), "Hỗ trợ tâm lý"),),
        support=(SupportDelivered(SupportKind.MEDICAL, date(2026, 2, 28)),))
    db.cases[case.reference] = case
    with pytest.raises(ValidationError, match="consent_required"):
        service.render(OFFICER, "referral_summary", case_ref=case.reference, language="lo")
    consents = tuple(ConsentRecord(subject, ConsentScope.SHARE_WITH_AGENCIES, True,
                                   date(2026, 3, 1)) for subject in ConsentSubject)
    db.cases[case.reference] = replace(case, consents=consents)
    service.render(OFFICER, "referral_summary", case_ref=case.reference, language="lo")
    data = renderer.calls[-1][1]
    assert isinstance(data, ReferralSummaryData)
    assert data.to_body.vi == "Sở Y tế tỉnh Lào Cai" and not data.consent_exemption
    assert data.support_provided == (SupportKind.MEDICAL,)


def test_verification_forms_pick_the_request_and_need_a_reply(
    service: DocumentService, db: FakeDatabase, renderer: RecordingRenderer
) -> None:
    request = VerificationRequest("V1", VerificationKind.POLICE_IDENTITY, "Đồn BP Lào Cai",
                                  "Công an tỉnh Lào Cai", "Xác minh nhân thân",
                                  sent_on=date(2026, 2, 27), due_on=date(2026, 3, 27))
    case = _case("LC-2026-000001", "Mỷ", verifications=(request,))
    db.cases[case.reference] = case
    service.render(OFFICER, "verification_request", case_ref=case.reference, language="zh_CN")
    assert renderer.calls[-1][1].meta.document_number == "LC-2026-000001-V1/YCXM"
    with pytest.raises(ValidationError) as caught:
        service.render(OFFICER, "verification_reply", case_ref=case.reference, language="vi")
    assert caught.value.params["field"] == "reply"
    replied = request.with_reply(date(2026, 3, 10), VerificationOutcome.CONFIRMED, "Đúng.")
    db.cases[case.reference] = replace(case, verifications=(replied,))
    service.render(OFFICER, "verification_reply", case_ref=case.reference, language="vi",
                   request_id="V1")
    data = renderer.calls[-1][1]
    assert isinstance(data, VerificationReplyData)
    assert data.outcome is VerificationOutcome.CONFIRMED
    assert data.request_number == "LC-2026-000001-V1/YCXM"
    assert data.from_agency.vi == "Công an tỉnh Lào Cai"


def test_reception_record_and_intake_report(service: DocumentService, db: FakeDatabase,
                                            renderer: RecordingRenderer) -> None:
    case = _case("LC-2026-000001", "Mỷ", reception=Reception(
        "Trung tâm CTXH tỉnh Lào Cai", date(2026, 2, 28), "Đỗ Thị Yến"))
    db.cases[case.reference] = case
    for form_id in ("reception_record", "intake_report"):
        pdf = service.render(OFFICER, form_id, case_ref=case.reference, language="km")
        assert pdf.startswith(b"%PDF-")
    intake = renderer.calls[-1][1]
    assert intake.current_location == "Trung tâm CTXH tỉnh Lào Cai"  # type: ignore[union-attr]
    assert intake.mother.full_name == "Lò Thị Mai"  # type: ignore[union-attr]
    assert len(db.audit) == 2


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")
def test_identity_papers_print_no_papers_only_when_that_was_recorded(
    service: DocumentService, db: FakeDatabase
) -> None:
    request = VerificationRequest("V1", VerificationKind.POLICE_IDENTITY, "Đồn BP Lào Cai",
                                  "Công an tỉnh Lào Cai", "Xác minh nhân thân",
                                  sent_on=date(2026, 2, 27), due_on=date(2026, 3, 27))
    base = _case("LC-2026-000001", "Mỷ", verifications=(request,))

    def identity_line(no_documents: bool) -> str:
        person = replace(base.person, documents=(), no_documents=no_documents)
        db.cases[base.reference] = replace(base, person=person)
        pdf = service.render(OFFICER, "verification_request", case_ref=base.reference,
                             language="vi")
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                              check=True).stdout.decode("utf-8")
        return next(line for line in unicodedata.normalize("NFC", text).splitlines()
                    if "Giấy tờ tùy thân" in line)

    assert "Không có giấy tờ" in identity_line(True)
    unasked = identity_line(False)  # nobody asked yet: not the same as "none"
    assert "Chưa ghi nhận" in unasked and "Không có" not in unasked
