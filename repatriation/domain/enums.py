"""Code lists of the domain: stable string codes that storage, bundles and catalogs share.

The codes are part of the bundle and database formats: never rename one, add a new one instead.
Human labels live in the gettext catalogs (``ui/labels.py``, ``forms/``), never here.
"""

from __future__ import annotations

from enum import StrEnum


class ReturnChannel(StrEnum):
    """How the person came back (domain.md 2.1)."""

    OFFICIAL_HANDOVER = "official_handover"  # trao tra by a foreign authority at the border
    VIA_MISSION = "via_mission"  # through a Vietnamese embassy or consulate
    RESCUE = "rescue"  # rescued by Vietnamese forces or a joint operation
    SELF_RETURN = "self_return"  # tu tro ve, then self-reported
    INTERCEPTION = "interception"  # stopped before being taken abroad
    OUTBOUND_HANDOVER = "outbound_handover"  # a foreign child handed back to their country

    @property
    def is_bilateral(self) -> bool:
        """True where a foreign authority signs handover minutes with the post."""
        return self in (ReturnChannel.OFFICIAL_HANDOVER, ReturnChannel.OUTBOUND_HANDOVER)


class Corridor(StrEnum):
    """Country on the other side of the return."""

    CHINA = "CN"
    CAMBODIA = "KH"
    LAO = "LA"
    OTHER = "XX"


class Route(StrEnum):
    """Where the trafficking went: abroad (the corridor), or never across the border."""

    CROSS_BORDER = "cross_border"  # taken abroad; the corridor says where
    INSIDE_VIET_NAM = "inside_viet_nam"  # trafficked within Viet Nam
    INTERCEPTED = "intercepted"  # stopped before crossing; the corridor is where they were headed


class PlaceKind(StrEnum):
    """What kind of border place a handover happened at (gates, auxiliary gates, markers)."""

    GATE = "gate"
    AUXILIARY_GATE = "auxiliary_gate"
    BORDER_MARKER = "border_marker"
    OTHER = "other"


class Sex(StrEnum):
    """Sex as recorded; unknown is a legitimate value (Decree 56/2017 form 01)."""

    FEMALE = "F"
    MALE = "M"
    UNKNOWN = "U"


class AgeConfidence(StrEnum):
    """How sure the recorded age is."""

    DOCUMENTED = "documented"  # date of birth from an identity document
    DECLARED = "declared"  # stated by the person or family, no document
    ESTIMATED_HIGH = "estimated_high"  # officer/medical estimate, narrow range
    ESTIMATED_LOW = "estimated_low"  # rough guess; presume minority when in doubt


class ScreeningStatus(StrEnum):
    """Victim-identification status (2024 Law: 'person undergoing victim identification')."""

    RETURNED_CITIZEN = "returned_citizen"
    UNDER_IDENTIFICATION = "under_identification"
    IDENTIFIED_VICTIM = "identified_victim"
    NOT_A_VICTIM = "not_a_victim"


class ExploitationForm(StrEnum):
    """Forms of exploitation listed by Law 53/2024/QH15."""

    SEXUAL = "sexual"  # incl. prostitution, pornography, sexual slavery
    FORCED_LABOUR = "forced_labour"
    ORGAN_REMOVAL = "organ_removal"
    FORCED_MARRIAGE = "forced_marriage"
    FORCED_CHILDBIRTH = "forced_childbirth"  # incl. surrogacy
    FORCED_BEGGING = "forced_begging"
    FORCED_CRIMINALITY = "forced_criminality"  # incl. online-scam compounds
    INFANT_SALE = "infant_sale"  # adoption or sale of infants
    OTHER_INHUMANE = "other_inhumane"


class CaseStatus(StrEnum):
    """Lifecycle of a case from the border to closure (see ``case.ALLOWED_TRANSITIONS``)."""

    RECEIVED = "received"
    VERIFICATION = "verification"
    AWAITING_HANDOVER = "awaiting_handover"
    HANDED_OVER = "handed_over"
    IN_CARE = "in_care"
    REINTEGRATION = "reintegration"
    CLOSED = "closed"


class VerificationKind(StrEnum):
    """What a verification request asks."""

    POLICE_IDENTITY = "police_identity"  # local police verify identity and residence
    IMMIGRATION_IDENTITY = "immigration_identity"  # Immigration Dept completes verification
    NATIONALITY = "nationality"
    VICTIM_STATUS = "victim_status"
    FAMILY_TRACING = "family_tracing"
    DNA_MATCH = "dna_match"
    ENTRY_NOTICE = "entry_notice"  # notice before a batch arrives at a land gate
    TRAVEL_DOCUMENT = "travel_document"  # a mission issues travel papers
    EXIT_VISA = "exit_visa"  # Immigration Dept exit visa for a foreign victim leaving (outbound)


class VerificationOutcome(StrEnum):
    """Reply outcome of a verification request."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    REFUSED = "refused"  # identity/nationality not confirmed: blocks the handover
    INCONCLUSIVE = "inconclusive"


class HandoverDirection(StrEnum):
    """Whether the post receives persons or hands them to someone."""

    INBOUND = "inbound"  # receipt from a foreign authority
    OUTBOUND = "outbound"  # handover of a foreign child to the counterpart
    INTERNAL = "internal"  # Border Guard post -> provincial police


class BatchStatus(StrEnum):
    """Status of a handover batch."""

    PLANNED = "planned"
    HANDED_OVER = "handed_over"
    CANCELLED = "cancelled"


class SignatureMethod(StrEnum):
    """How a person acknowledged a document: many children sign with a cross or thumbprint."""

    SIGNATURE = "signature"
    MARK = "mark"
    THUMBPRINT = "thumbprint"
    NOT_TAKEN = "not_taken"


class Literacy(StrEnum):
    """Whether the person can read the documents put before them."""

    LITERATE = "literate"
    PARTIAL = "partial"
    NONE = "none"
    UNKNOWN = "unknown"


class ConsentSubject(StrEnum):
    """Who gave (or refused) a consent."""

    CHILD = "child"
    REPRESENTATIVE = "representative"


class ConsentScope(StrEnum):
    """What the consent covers."""

    SERVICES = "services"
    SHARE_WITH_AGENCIES = "share_with_agencies"
    SHARE_ABROAD = "share_abroad"
    REPORTING = "reporting"
    PHOTOS = "photos"


class SupportKind(StrEnum):
    """Support items of Law 53/2024 Art. 37."""

    ESSENTIAL_NEEDS = "essential_needs"
    MEDICAL = "medical"
    INTERPRETATION = "interpretation"
    LEGAL_INFORMATION = "legal_information"
    LEGAL_AID = "legal_aid"
    TRAVEL = "travel"
    PSYCHOLOGICAL = "psychological"
    SCHOOLING = "schooling"
    VOCATIONAL = "vocational"
    HARDSHIP_ALLOWANCE = "hardship_allowance"


class Outcome(StrEnum):
    """How a case ended."""

    FAMILY_REUNIFICATION = "family_reunification"
    ALTERNATIVE_CARE = "alternative_care"
    INDEPENDENT_LIVING = "independent_living"
    HANDED_TO_COUNTERPART = "handed_to_counterpart"
    TRANSFERRED = "transferred"
    NOT_A_VICTIM_RELEASED = "not_a_victim_released"
    DECEASED = "deceased"
    LOST_CONTACT = "lost_contact"


class FollowUpStatus(StrEnum):
    """State of a scheduled follow-up visit."""

    DUE = "due"
    DONE = "done"
    MISSED = "missed"


class DocumentKind(StrEnum):
    """Identity and travel documents."""

    CITIZEN_ID = "citizen_id"
    PASSPORT = "passport"
    BIRTH_CERTIFICATE = "birth_certificate"
    TRAVEL_PAPER = "travel_paper"  # giay thong hanh issued by a mission
    RETURN_CERTIFICATE = "return_certificate"  # giay chung nhan ve nuoc
    FOREIGN_DOCUMENT = "foreign_document"
    OTHER = "other"
