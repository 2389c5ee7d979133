"""Form data: frozen, fully resolved values a PDF form prints (the contract services -> forms).

Services resolve names, ethnic groups and dates (written as each language writes them);
``forms/`` lays them out and translates codes and labels. ``form_checks`` validates them and
computes the digest the footer and the QR code carry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

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


class Instrument(StrEnum):
    """Legal instruments a form can cite; ``forms`` words them in each language."""

    LAW_2011 = "law_66_2011"  # Law 66/2011/QH12, until 30 Jun 2025
    LAW_2024 = "law_53_2024"  # Law 53/2024/QH15, from 1 Jul 2025
    JC_01_2014 = "jc_01_2014"  # verification, identification, receipt and handover
    DECREE_62_2012 = "decree_62_2012"  # grounds for identifying victims (2011 regime)
    DECREE_09_2013 = "decree_09_2013"  # support regime (2011 regime)
    DECREE_162_2025 = "decree_162_2025"  # support regime from 1 Jul 2025
    LAW_CHILDREN_2016 = "law_children_2016"
    DECREE_56_2017 = "decree_56_2017"  # child-protection case management, form 01
    DECREE_13_2023 = "decree_13_2023"  # personal data, until 31 Dec 2025
    PDPL_2025 = "pdpl_91_2025"  # Law 91/2025/QH15, from 1 Jan 2026
    AGREEMENT_CN = "agreement_vn_cn_2010"  # in force 14 Mar 2011
    AGREEMENT_LA = "agreement_vn_la_2010"  # in force 19 Mar 2011
    AGREEMENT_KH = "agreement_vn_kh_2005"  # amended 28 Sep 2012
    SOP_KH = "sop_vn_kh_2009"


class InformationSource(StrEnum):
    """How the information on a child reached the receiving body (Decree 56/2017 form 01)."""

    PHONE = "phone"
    IN_PERSON = "in_person"
    THIRD_PARTY = "third_party"


# The suffix of each form's document number ("<case reference>/<suffix>").
NUMBER_SUFFIX = {
    "handover_minutes": "BB-GN", "internal_handover": "BB-BG", "reception_record": "BB-TN",
    "verification_request": "YCXM", "verification_reply": "TLXM", "referral_summary": "TT-CG",
    "intake_report": "BC-01",
}


@dataclass(frozen=True)
class BiText:
    """A value in Vietnamese and in the counterpart language (``other`` empty: print vi only)."""

    vi: str
    other: str = ""

    @property
    def blank(self) -> bool:
        """True when there is nothing to print."""
        return not self.vi.strip()


NO_TEXT = BiText("")


@dataclass(frozen=True)
class DocumentMeta:
    """What every form carries: number, issuer, place and date line, legal basis."""

    form_id: str
    document_number: str
    record_reference: str  # the case or batch the document is about
    issuing_body: tuple[BiText, ...]  # top-left header lines, parent body first
    place_date: BiText  # "Lào Cai, ngày 07 tháng 03 năm 2026" and its counterpart
    legal_basis: tuple[Instrument, ...]
    language: str  # counterpart language; "vi" prints a Vietnamese-only form
    generated_at: datetime


@dataclass(frozen=True)
class Place:
    """Where it happened: a gate, an auxiliary gate, a border marker or elsewhere."""

    kind: PlaceKind
    name: BiText
    detail: str = ""  # marker number, auxiliary gate name


@dataclass(frozen=True)
class Representative:
    """A person signing for a side or a body."""

    full_name: str
    rank: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Signature:
    """How a person acknowledged the document, and who witnessed a mark or thumbprint."""

    name: str
    method: SignatureMethod = SignatureMethod.NOT_TAKEN
    witnessed_by: str = ""


@dataclass(frozen=True)
class IdentityPaper:
    """An identity document as a form prints it: kind and number."""

    kind: DocumentKind
    number: str


@dataclass(frozen=True)
class Particular:
    """A registered added field on a form: its label msgid and its value (``yes``: a yes/no one)."""

    label: str
    value: BiText = NO_TEXT
    yes: bool | None = None


@dataclass(frozen=True)
class PersonData:
    """A person's particulars as a form prints them."""

    full_name: str
    case_reference: str = ""
    sex: Sex = Sex.UNKNOWN
    date_of_birth: BiText = NO_TEXT  # formatted per language; blank when unknown
    age: int | None = None
    age_estimated: bool = False
    aliases: tuple[str, ...] = ()
    ethnicity: BiText = NO_TEXT
    nationality: BiText = NO_TEXT
    place_of_birth: str = ""
    address: str = ""
    document_kind: DocumentKind | None = None
    document_number: str = ""
    preferred_language: BiText = NO_TEXT
    literacy: Literacy = Literacy.UNKNOWN
    interpreter_needed: bool = False
    other_documents: tuple[IdentityPaper, ...] = ()  # recorded after the first
    # Added fields of the particulars slot (domain/case_fields.py); left out of the digest's
    # JSON when there is none, so earlier printouts keep their digests.
    particulars: tuple[Particular, ...] = field(default=(), metadata={"omit_empty": True})
    # Recorded as having no papers (an empty list alone means nobody asked); left out of the
    # digest's JSON while false, so earlier printouts keep their digests.
    no_documents: bool = field(default=False, metadata={"omit_empty": True})


@dataclass(frozen=True)
class HandedPerson:
    """A person in a handover list with what is handed over with them."""

    person: PersonData
    belongings: str = ""
    documents: str = ""
    health: str = ""
    signature: Signature = field(default_factory=lambda: Signature(""))


@dataclass(frozen=True)
class Relative:
    """A parent or relative line (verification requests, intake reports)."""

    relation: str  # code: mother, father, sibling, spouse, grandparent, guardian, other
    full_name: str
    birth_year: int | None = None
    occupation: str = ""


@dataclass(frozen=True)
class Informant:
    """Who gave the information (Decree 56/2017 form 01), if they agreed to be named."""

    full_name: str
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class ConsentLine:
    """One consent (or refusal, or legal exemption) shown on the reception record."""

    subject: ConsentSubject
    scope: ConsentScope
    given: bool
    given_by: str = ""
    exemption: bool = False


@dataclass(frozen=True)
class HandoverMinutesData:
    """Minutes of receipt from / handover to the foreign side (JC 01/2014; bilateral agreement)."""

    meta: DocumentMeta
    direction: HandoverDirection
    corridor: Corridor
    handed_at: BiText
    place: Place
    vn_side: tuple[Representative, ...]
    foreign_side: tuple[Representative, ...]
    persons: tuple[HandedPerson, ...]
    remarks: str = ""
    originals_per_language: int = 2
    interpreter: str = ""
    interpreter_language: BiText = NO_TEXT


@dataclass(frozen=True)
class InternalHandoverData:
    """Minutes of the Border Guard post handing persons to the provincial police."""

    meta: DocumentMeta
    handed_at: BiText
    place: Place
    from_unit: BiText
    to_unit: BiText
    from_side: tuple[Representative, ...]
    to_side: tuple[Representative, ...]
    persons: tuple[HandedPerson, ...]
    files: str = ""
    remarks: str = ""
    originals: int = 2


@dataclass(frozen=True)
class ReceptionRecordData:
    """A reception facility acknowledges receipt of a child; consents are recorded."""

    meta: DocumentMeta
    arrived_at: BiText
    facility: BiText
    delivered_by: BiText
    delivering_officer: Representative
    receiving_officer: Representative
    child: PersonData
    child_signature: Signature
    representative: Signature | None = None
    belongings: str = ""
    health_on_arrival: str = ""
    consents: tuple[ConsentLine, ...] = ()


@dataclass(frozen=True)
class VerificationRequestData:
    """A request to verify identity, nationality, residence or victim status."""

    meta: DocumentMeta
    request_id: str
    kind: VerificationKind
    from_agency: BiText
    to_agency: BiText
    subject: PersonData
    relatives: tuple[Relative, ...] = ()
    question: str = ""
    reply_due: BiText = NO_TEXT
    legal_reference: str = ""
    signer: Representative = field(default_factory=lambda: Representative(""))


@dataclass(frozen=True)
class VerificationReplyData:
    """The reply to a verification request."""

    meta: DocumentMeta
    request_number: str
    request_sent_on: BiText
    kind: VerificationKind
    from_agency: BiText
    to_agency: BiText
    subject: PersonData
    outcome: VerificationOutcome
    findings: str
    received_on: BiText = NO_TEXT
    signer: Representative = field(default_factory=lambda: Representative(""))


@dataclass(frozen=True)
class ReferralSummaryData:
    """A minimised case summary for a referral: only what the receiving body needs."""

    meta: DocumentMeta
    from_agency: BiText
    to_body: BiText
    reason: str
    child: PersonData
    screening: ScreeningStatus
    consent_exemption: bool  # True: shared under the law-enforcement exemption, not consent
    support_provided: tuple[SupportKind, ...] = ()
    contact: Representative = field(default_factory=lambda: Representative(""))


@dataclass(frozen=True)
class IntakeReportData:
    """Report on receiving information about a child (Decree 56/2017, form 01)."""

    meta: DocumentMeta
    receiving_agency: BiText
    received_at: BiText
    source: InformationSource
    child: PersonData
    incident_place: str = ""
    current_location: str = ""
    current_condition: str = ""
    likely_consequences: str = ""
    father: Relative | None = None
    mother: Relative | None = None
    family_circumstances: str = ""
    caregiver: str = ""
    actions_taken: str = ""
    informant: Informant | None = None  # only when the informant consented to be named
    receiving_officer: Representative = field(default_factory=lambda: Representative(""))


FormData = (HandoverMinutesData | InternalHandoverData | ReceptionRecordData
            | VerificationRequestData | VerificationReplyData | ReferralSummaryData | IntakeReportData)
