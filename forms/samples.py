"""FICTITIOUS sample form data (made-up names and numbers) for tests, docs/forms PNGs and bench.

No real person, case or document is represented. Names deliberately exercise the hard cases:
Khmer coeng + RO and coeng + below vowel, Lao stacked marks, Chinese, long Vietnamese names.
"""

from __future__ import annotations

from datetime import date, datetime

from repatriation.domain.enums import (
    ConsentScope,
    ConsentSubject,
    Corridor,
    DocumentKind,
    HandoverDirection,
    Literacy,
    PlaceKind,
    ScreeningStatus,
    Sex,
    SignatureMethod,
    SupportKind,
    VerificationKind,
    VerificationOutcome,
)
from repatriation.services.form_context import (
    date_text,
    datetime_text,
    legal_basis_for,
    place_date,
)
from repatriation.services.form_data import (
    NUMBER_SUFFIX,
    BiText,
    ConsentLine,
    DocumentMeta,
    FormData,
    HandedPerson,
    HandoverMinutesData,
    Informant,
    IntakeReportData,
    InternalHandoverData,
    PersonData,
    Place,
    ReceptionRecordData,
    ReferralSummaryData,
    Relative,
    Representative,
    Signature,
    VerificationReplyData,
    VerificationRequestData,
)

MOMENT = datetime(2026, 3, 7, 9, 30)
CORRIDOR = {"zh_CN": Corridor.CHINA, "km": Corridor.CAMBODIA, "lo": Corridor.LAO,
            "en": Corridor.CHINA, "vi": Corridor.CHINA}
GATE = {
    Corridor.CHINA: BiText("Lào Cai - Hà Khẩu", "老街-河口"),
    Corridor.CAMBODIA: BiText("Mộc Bài - Bavet", "ម៉ុកបៃ - បាវិត"),
    Corridor.LAO: BiText("Cầu Treo - Nậm Phao", "ກົ່ວແຊວ - ນ້ຳພາວ"),
}
FOREIGN = {
    Corridor.CHINA: [Representative("王建国", "警督", "河口县公安局"),
                     Representative("李秀英", "科长", "河口县民政局")],
    Corridor.CAMBODIA: [Representative("សុខ ស្តុក", "វរសេនីយ៍ទោ", "ស្នងការដ្ឋាននគរបាលខេត្តស្វាយរៀង"),
                        Representative("ចាន់ ស្រីពៅ", "ប្រធានការិយាល័យ", "មន្ទីរសង្គមកិច្ចខេត្តស្វាយរៀង")],
    Corridor.LAO: [Representative("ສົມໃຈ ແກ້ວມະນີ", "ພັນຕີ", "ກອງບັນຊາການປ້ອງກັນຄວາມສະຫງົບແຂວງບໍລິຄຳໄຊ"),
                   Representative("ບົວພັນ ສີສຸວັນ", "ຫົວໜ້າພະແນກ", "ສູນໃຫ້ຄຳປຶກສາ ແລະ ປົກປ້ອງແມ່ຍິງ ແລະ ເດັກ")],
}
NAMES = [
    ("Giàng Thị Mỷ", Sex.FEMALE), ("Lò Văn Sứ", Sex.MALE), ("Nguyễn Thị Hồng Nhung", Sex.FEMALE),
    ("Sùng A Páo", Sex.MALE), ("Hoàng Thị Lan", Sex.FEMALE), ("Vàng Seo Chứ", Sex.MALE),
]
FOREIGN_NAMES = {
    Corridor.CHINA: "阮氏红", Corridor.CAMBODIA: "ស្រី ក្រុមគ្រួសារ", Corridor.LAO: "ສົ່ງຄືນ ບໍ່ແກ້ວ",
}


def _meta(form_id: str, language: str, corridor: Corridor, reference: str) -> DocumentMeta:
    return DocumentMeta(
        form_id=form_id, document_number=f"{reference}/{NUMBER_SUFFIX[form_id]}",
        record_reference=reference,
        issuing_body=(BiText("BỘ CHỈ HUY QUÂN SỰ TỈNH LÀO CAI", "老街省军事指挥部"
                             if language == "zh_CN" else ""),
                      BiText("ĐỒN BIÊN PHÒNG CỬA KHẨU QUỐC TẾ LÀO CAI", "老街国际口岸边防站"
                             if language == "zh_CN" else "")),
        place_date=place_date(BiText("Lào Cai", "老街" if language == "zh_CN" else ""),
                              MOMENT.date(), language),
        legal_basis=legal_basis_for(form_id, corridor, MOMENT.date()),
        language=language, generated_at=MOMENT,
    )


def person(index: int, language: str, corridor: Corridor) -> PersonData:
    """The ``index``-th fictitious person."""
    name, sex = NAMES[index % len(NAMES)]
    dob = date(2010 + index % 6, 1 + index % 12, 1 + index % 27)
    known = index % 3 != 1
    return PersonData(
        full_name=f"{name} ({FOREIGN_NAMES[corridor]})" if index == 0 and corridor in FOREIGN_NAMES
        else name,
        case_reference=f"LC-2026-{index + 1:06d}", sex=sex,
        date_of_birth=date_text(dob if known else None, language),
        age=None if known else 13 + index % 4, age_estimated=not known,
        ethnicity=BiText("Mông", "苗族" if language == "zh_CN" else ""),
        nationality=BiText("Việt Nam", {"zh_CN": "越南", "km": "វៀតណាម", "lo": "ຫວຽດນາມ"}.get(
            language, "Viet Nam")),
        place_of_birth="Xã Bản Vược, Lào Cai",
        address=f"Thôn {index + 1}, xã Bát Xát, tỉnh Lào Cai",
        document_kind=DocumentKind.TRAVEL_PAPER if index % 2 else None,
        document_number=f"TP{2026000 + index}" if index % 2 else "",
        preferred_language=BiText("Tiếng Mông", {"zh_CN": "苗语", "km": "ភាសាម៉ុង",
                                                 "lo": "ພາສາມົ້ງ"}.get(language, "Hmong")),
        literacy=Literacy.PARTIAL, interpreter_needed=True,
    )


def _handed(count: int, language: str, corridor: Corridor) -> tuple[HandedPerson, ...]:
    methods = (SignatureMethod.THUMBPRINT, SignatureMethod.SIGNATURE, SignatureMethod.MARK)
    return tuple(
        HandedPerson(
            person(i, language, corridor), belongings="1 ba lô, 2 bộ quần áo",
            documents="Giấy thông hành" if i % 2 else "", health="Bình thường" if i % 4 else
            "Sốt nhẹ, đã được khám", signature=Signature(
                NAMES[i % len(NAMES)][0], methods[i % 3],
                "Trần Văn Bình (cán bộ)" if methods[i % 3] is not SignatureMethod.SIGNATURE else ""),
        )
        for i in range(count)
    )


def _vn_side() -> tuple[Representative, ...]:
    return (Representative("Trần Văn Bình", "Thiếu tá", "Đồn Biên phòng CKQT Lào Cai"),
            Representative("Phạm Thị Thu Hà", "Đại úy", "Phòng PA08, Công an tỉnh Lào Cai"))


def sample(form_id: str, language: str = "zh_CN", persons: int = 3) -> FormData:
    """A complete fictitious form-data object for ``form_id`` in ``language``."""
    corridor = CORRIDOR[language]
    meta = _meta(form_id, language, corridor, "LC-BG-2026-000003")
    when = datetime_text(MOMENT, language)
    where = Place(PlaceKind.GATE, GATE[corridor])
    child = person(0, language, corridor)
    unit_police = BiText("Phòng An ninh đối ngoại, Công an tỉnh Lào Cai",
                         "老街省公安厅对外安全处" if language == "zh_CN" else "")
    unit_post = BiText("Đồn Biên phòng Cửa khẩu Quốc tế Lào Cai",
                       "老街国际口岸边防站" if language == "zh_CN" else "")
    if form_id == "handover_minutes":
        return HandoverMinutesData(
            meta, HandoverDirection.INBOUND, corridor, when, where, _vn_side(),
            tuple(FOREIGN[corridor]), _handed(persons, language, corridor),
            remarks="Bàn giao đúng danh sách đã thống nhất.", originals_per_language=2,
            interpreter="Lý Thị Mai", interpreter_language=BiText("Tiếng Việt - tiếng Trung",
                                                                  "越南语-汉语"),
        )
    if form_id == "internal_handover":
        return InternalHandoverData(
            meta, when, where, unit_post, unit_police, _vn_side()[:1],
            (Representative("Phạm Thị Thu Hà", "Đại úy", "Công an tỉnh Lào Cai"),),
            _handed(persons, language, corridor), files="Biên bản giao nhận với phía nước ngoài; "
            "danh sách; tờ khai TK/NNa", remarks="",
        )
    if form_id == "reception_record":
        return ReceptionRecordData(
            meta, when, BiText("Trung tâm Công tác xã hội tỉnh Lào Cai"), unit_post,
            _vn_side()[0], Representative("Đỗ Thị Yến", "Cán bộ công tác xã hội"), child,
            Signature(child.full_name, SignatureMethod.THUMBPRINT, "Đỗ Thị Yến"),
            Signature("Giàng A Dế", SignatureMethod.SIGNATURE), belongings="1 ba lô",
            health_on_arrival="Mệt, không có vết thương",
            consents=(ConsentLine(ConsentSubject.CHILD, ConsentScope.SERVICES, True),
                      ConsentLine(ConsentSubject.REPRESENTATIVE, ConsentScope.SERVICES, True),
                      ConsentLine(ConsentSubject.CHILD, ConsentScope.PHOTOS, False)),
        )
    if form_id == "verification_request":
        return VerificationRequestData(
            meta, "V1", VerificationKind.POLICE_IDENTITY, unit_post, unit_police, child,
            (Relative("mother", "Lò Thị Mai", 1985, "Làm ruộng"),
             Relative("father", "Giàng A Dế", 1982)),
            question="Đề nghị xác minh nhân thân, nơi cư trú và thân nhân của người có tên trên.",
            reply_due=date_text(date(2026, 4, 6), language), legal_reference="TTLT 01/2014 Điều 5",
            signer=Representative("Trần Văn Bình", "Thiếu tá"),
        )
    if form_id == "verification_reply":
        return VerificationReplyData(
            meta, "LC-2026-000001-V1/YCXM", date_text(date(2026, 3, 7), language),
            VerificationKind.POLICE_IDENTITY, unit_police, unit_post, child,
            VerificationOutcome.CONFIRMED,
            "Xác định đúng nhân thân; gia đình đang cư trú tại địa chỉ đã khai.",
            date_text(date(2026, 3, 20), language), Representative("Phạm Thị Thu Hà", "Đại úy"),
        )
    if form_id == "referral_summary":
        return ReferralSummaryData(
            meta, unit_post, BiText("Sở Y tế tỉnh Lào Cai"), "Hỗ trợ tâm lý và học nghề.", child,
            ScreeningStatus.IDENTIFIED_VICTIM, False,
            (SupportKind.PSYCHOLOGICAL, SupportKind.VOCATIONAL, SupportKind.INTERPRETATION),
            Representative("Đỗ Thị Yến", "Cán bộ công tác xã hội", "Trung tâm CTXH Lào Cai"),
        )
    if form_id == "intake_report":
        from repatriation.services.form_data import InformationSource

        return IntakeReportData(
            meta, unit_post, when, InformationSource.THIRD_PARTY, child,
            incident_place="Cửa khẩu Lào Cai", current_location="Trung tâm CTXH tỉnh Lào Cai",
            current_condition="Sức khỏe ổn định, còn lo sợ", likely_consequences="",
            father=Relative("father", "Giàng A Dế", 1982, "Làm ruộng"),
            mother=Relative("mother", "Lò Thị Mai", 1985), caregiver="Trung tâm CTXH",
            actions_taken="Khám sức khỏe; bố trí chỗ ở tạm thời.",
            informant=Informant("Trần Văn Bình", "0214 3 830 000", "Đồn Biên phòng CKQT Lào Cai"),
            receiving_officer=Representative("Đỗ Thị Yến"),
        )
    raise KeyError(form_id)
