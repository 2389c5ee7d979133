"""A fictitious case with every field filled, text fields carrying canary strings (tests only)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime

from repatriation.domain.care import (
    Closure,
    ConsentRecord,
    FamilyAssessment,
    FollowUp,
    Reception,
    Referral,
    Screening,
    SupportDelivered,
)
from repatriation.domain.case import Case
from repatriation.domain.codec import to_jsonable
from repatriation.domain.corrections import Correction, CorrectionLog
from repatriation.domain.enums import (
    AgeConfidence,
    CaseStatus,
    ConsentScope,
    ConsentSubject,
    Corridor,
    DocumentKind,
    ExploitationForm,
    FollowUpStatus,
    Literacy,
    Outcome,
    PlaceKind,
    ReturnChannel,
    Route,
    ScreeningStatus,
    Sex,
    SupportKind,
    VerificationKind,
    VerificationOutcome,
)
from repatriation.domain.people import (
    Address,
    Attachment,
    BirthInfo,
    FamilyMember,
    IdentityDocument,
    Person,
)
from repatriation.domain.verification import VerificationRequest

CANARY = "Zqx"  # every canary starts with this; no real text in the code lists contains it


def canary(name: str, variant: int = 1) -> str:
    """A unique, searchable marker for one field."""
    return f"{CANARY}{variant}{name.replace('_', '').replace('.', '')}"


def full_case(reference: str = "LC-2025-000001", variant: int = 1, **changes: object) -> Case:
    """Every field set; ``variant`` 2 differs from variant 1 in every leaf (for edit tests)."""
    v = variant
    c = lambda name: canary(name, v)  # noqa: E731 - short local alias keeps the tree readable
    day = date(2024, 3, 1 + v)
    person = Person(
        family_name=c("family"),
        given_name=c("given"),
        middle_name=c("middle"),
        aliases=(c("alias"),),
        sex=Sex.FEMALE if v == 1 else Sex.MALE,
        birth=BirthInfo(date_of_birth=date(2010, 5, 10 + v), confidence=AgeConfidence.DOCUMENTED),
        place_of_birth=c("birthplace"),
        ethnic_code="08" if v == 1 else "09",
        nationality="VN" if v == 1 else "XX",
        preferred_language="hmn" if v == 1 else "vi",
        literacy=Literacy.PARTIAL if v == 1 else Literacy.NONE,
        interpreter_needed=v == 1,
        interpreter_language=c("interplang"),
        documents=(IdentityDocument(DocumentKind.CITIZEN_ID, c("docnumber"), c("issuer")),),
        no_documents=v == 1,  # inconsistent with the list on purpose: every leaf is filled
        photos=(Attachment(f"{v:064d}", c("photo") + ".jpg", "image/jpeg", 1000 + v),),
        address=Address(c("address"), "02", c("commune"), "08" if v == 1 else "09", c("communenew")),
        family=(FamilyMember("mother", c("mother"), 1980, c("job"), c("phone"), is_guardian=True),),
    )
    case = Case(
        reference=reference,
        person=person,
        channel=ReturnChannel.OFFICIAL_HANDOVER if v == 1 else ReturnChannel.RESCUE,
        corridor=Corridor.CHINA if v == 1 else Corridor.LAO,
        received_on=date(2024, 2, 1 + v),
        place_kind=PlaceKind.GATE if v == 1 else PlaceKind.OTHER,
        gate_code="CN-LAOCAI" if v == 1 else "LA-CAUTREO",
        place_detail=c("placedetail"),
        post_code="LC" if v == 1 else "HG",
        trafficked_on=date(2022, 7, 1 + v),
        age_at_trafficking=13 + v,
        route=Route.INTERCEPTED if v == 1 else Route.INSIDE_VIET_NAM,
        status=CaseStatus.CLOSED if v == 1 else CaseStatus.IN_CARE,
        screening=Screening(
            ScreeningStatus.IDENTIFIED_VICTIM if v == 1 else ScreeningStatus.UNDER_IDENTIFICATION,
            (ExploitationForm.SEXUAL,) if v == 1 else (ExploitationForm.FORCED_LABOUR,),
            day,
            c("decidedby"),
            c("legalbasis"),
        ),
        verifications=(
            VerificationRequest(
                f"V{v}",
                VerificationKind.DNA_MATCH if v == 1 else VerificationKind.NATIONALITY,
                c("requestedby"),
                c("requestedto"),
                c("subject"),
                day,
                date(2024, 4, v),
                f"rule{v}",
                c("legalref"),
                date(2024, 3, 20 + v),
                c("reply"),
                VerificationOutcome.CONFIRMED if v == 1 else VerificationOutcome.INCONCLUSIVE,
            ),
        ),
        batch_reference=f"LC-BG-2024-00000{v}",
        handed_over_on=date(2024, 2, 3 + v),
        reception=Reception(c("facility"), date(2024, 2, 5 + v), c("receivedby")),
        consents=(
            ConsentRecord(
                ConsentSubject.REPRESENTATIVE if v == 1 else ConsentSubject.CHILD,
                ConsentScope.SHARE_WITH_AGENCIES if v == 1 else ConsentScope.REPORTING,
                v == 1,
                date(2024, 2, 6 + v),
                c("givenby"),
                v == 1,
                date(2024, 9, v),
            ),
        ),
        support=(SupportDelivered(SupportKind.MEDICAL, day, c("provider"), c("supportnotes")),),
        family_assessment=FamilyAssessment(day, v == 1, v == 1, c("assessment")),
        referrals=(Referral(c("referralbody"), day, c("referralreason")),),
        follow_ups=(FollowUp(3, date(2024, 6, v), FollowUpStatus.DONE, day, c("followupnotes")),),
        closure=Closure(date(2024, 12, v), Outcome.FAMILY_REUNIFICATION if v == 1 else Outcome.TRANSFERRED,
                        c("closurenotes")),
        health_notes=c("health"),
        exploitation_narrative=c("narrative"),
        notes=c("notes"),
        revision=v - 1,
        corrections=CorrectionLog(*(
            (Correction(field, f'"{c("before" + kind)}"', f'"{c("after" + kind)}"', c("by" + kind),
                        datetime(2024, 3, v, 9), c("reason" + kind)),)
            for kind, field in (("basic", "given_name"), ("sensitive", "ethnic_code"),
                                ("private", "narrative")))),
    )
    return replace(case, **changes)  # type: ignore[arg-type]


def text_of(case: Case) -> str:
    """The case as JSON text, to search for canaries."""
    return json.dumps(to_jsonable(case), ensure_ascii=False)
