"""Translated words for the domain's codes: enums, fields and error codes (gettext "messages").

The domain carries stable codes only; this module is the one place the desk turns them into
words an officer reads. Every msgid is English ASCII and marked with ``N_`` for extraction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from datetime import date
from enum import Enum

from i18n import N_, Translator
from repatriation.domain.actors import Role
from repatriation.domain.enums import (
    AgeConfidence,
    BatchStatus,
    CaseStatus,
    ConsentScope,
    ConsentSubject,
    Corridor,
    DocumentKind,
    ExploitationForm,
    FollowUpStatus,
    HandoverDirection,
    Literacy,
    Outcome,
    PlaceKind,
    ReturnChannel,
    ScreeningStatus,
    Sex,
    SignatureMethod,
    SupportKind,
    VerificationKind,
    VerificationOutcome,
)
from repatriation.domain.fields import extra_named

ENUM_LABELS: dict[type[Enum], Mapping[str, str]] = {
    ReturnChannel: {
        "official_handover": N_("Handed over by a foreign authority"),
        "via_mission": N_("Through an embassy or consulate"),
        "rescue": N_("Rescued"),
        "self_return": N_("Returned on their own"),
        "interception": N_("Stopped before leaving"),
        "outbound_handover": N_("Foreign child handed back"),
    },
    Corridor: {"CN": N_("China"), "KH": N_("Cambodia"), "LA": N_("Lao PDR"), "XX": N_("Other")},
    PlaceKind: {
        "gate": N_("Border gate"),
        "auxiliary_gate": N_("Auxiliary gate"),
        "border_marker": N_("Border marker"),
        "other": N_("Other place"),
    },
    Sex: {"F": N_("Female"), "M": N_("Male"), "U": N_("Not known")},
    AgeConfidence: {
        "documented": N_("From a document"),
        "declared": N_("Declared"),
        "estimated_high": N_("Estimated (close)"),
        "estimated_low": N_("Estimated (rough)"),
    },
    ScreeningStatus: {
        "returned_citizen": N_("Returned citizen"),
        "under_identification": N_("Under identification"),
        "identified_victim": N_("Identified victim"),
        "not_a_victim": N_("Not a victim"),
    },
    ExploitationForm: {
        "sexual": N_("Sexual exploitation"),
        "forced_labour": N_("Forced labour"),
        "organ_removal": N_("Organ removal"),
        "forced_marriage": N_("Forced marriage"),
        "forced_childbirth": N_("Forced childbirth or surrogacy"),
        "forced_begging": N_("Forced begging"),
        "forced_criminality": N_("Forced criminality or scam work"),
        "infant_sale": N_("Sale of an infant"),
        "other_inhumane": N_("Other inhumane purpose"),
    },
    CaseStatus: {
        "received": N_("Received"),
        "verification": N_("In verification"),
        "awaiting_handover": N_("Awaiting handover"),
        "handed_over": N_("Handed over"),
        "in_care": N_("In care"),
        "reintegration": N_("Reintegration"),
        "closed": N_("Closed"),
    },
    VerificationKind: {
        "police_identity": N_("Identity (police)"),
        "immigration_identity": N_("Identity (immigration)"),
        "nationality": N_("Nationality"),
        "victim_status": N_("Victim status"),
        "family_tracing": N_("Family tracing"),
        "dna_match": N_("DNA match"),
        "entry_notice": N_("Entry notice"),
        "travel_document": N_("Travel document"),
        "exit_visa": N_("Exit visa (immigration)"),
    },
    VerificationOutcome: {
        "pending": N_("Waiting for reply"),
        "confirmed": N_("Confirmed"),
        "refused": N_("Refused"),
        "inconclusive": N_("Inconclusive"),
    },
    HandoverDirection: {
        "inbound": N_("Receiving from abroad"),
        "outbound": N_("Handing back abroad"),
        "internal": N_("Post to police"),
    },
    BatchStatus: {"planned": N_("Planned"), "handed_over": N_("Handed over"), "cancelled": N_("Cancelled")},
    SignatureMethod: {
        "signature": N_("Signature"),
        "mark": N_("Mark (cross)"),
        "thumbprint": N_("Thumbprint"),
        "not_taken": N_("Not taken yet"),
    },
    Literacy: {
        "literate": N_("Reads well"),
        "partial": N_("Reads a little"),
        "none": N_("Cannot read"),
        "unknown": N_("Not known"),
    },
    ConsentSubject: {"child": N_("The child"), "representative": N_("The representative")},
    ConsentScope: {
        "services": N_("Support services"),
        "share_with_agencies": N_("Sharing with agencies"),
        "share_abroad": N_("Sharing abroad"),
        "reporting": N_("Reporting"),
        "photos": N_("Photos"),
    },
    SupportKind: {
        "essential_needs": N_("Essential needs"),
        "medical": N_("Medical care"),
        "interpretation": N_("Interpretation"),
        "legal_information": N_("Legal information"),
        "legal_aid": N_("Legal aid"),
        "travel": N_("Travel home"),
        "psychological": N_("Psychological support"),
        "schooling": N_("Schooling"),
        "vocational": N_("Vocational training"),
        "hardship_allowance": N_("Hardship allowance"),
    },
    Outcome: {
        "family_reunification": N_("Back with family"),
        "alternative_care": N_("Alternative care"),
        "independent_living": N_("Living independently"),
        "handed_to_counterpart": N_("Handed to the counterpart"),
        "transferred": N_("Transferred"),
        "not_a_victim_released": N_("Not a victim, released"),
        "deceased": N_("Deceased"),
        "lost_contact": N_("Lost contact"),
    },
    FollowUpStatus: {"due": N_("Due"), "done": N_("Done"), "missed": N_("Missed")},
    DocumentKind: {
        "citizen_id": N_("Citizen identity card"),
        "passport": N_("Passport"),
        "birth_certificate": N_("Birth certificate"),
        "travel_paper": N_("Travel paper (issued by a mission)"),
        "return_certificate": N_("Certificate of return"),
        "foreign_document": N_("Foreign document"),
        "other": N_("Other document"),
    },
    Role: {
        "border_guard": N_("Border guard officer"),
        "reception": N_("Reception centre staff"),
        "liaison": N_("Liaison officer"),
        "supervisor": N_("Supervisor"),
        "statistician": N_("Statistician"),
        "system": N_("System"),
    },
}

FIELD_LABELS: dict[str, str] = {
    "name": N_("name"),
    "family_name": N_("family name"),
    "given_name": N_("given name"),
    "received_on": N_("day received"),
    "gate_code": N_("border gate"),
    "place_detail": N_("place"),
    "estimated_age": N_("estimated age"),
    "estimated_on": N_("day of the estimate"),
    "date_of_birth": N_("date of birth"),
    "ethnic_code": N_("ethnic group"),
    "interpreter_language": N_("interpreter language"),
    "decided_on": N_("decision date"),
    "persons": N_("persons"),
    "reference": N_("reference"),
    "health_notes": N_("health notes"),
    "exploitation_narrative": N_("account of exploitation"),
    "notes": N_("notes"),
    "person": N_("particulars"),
    "documents": N_("identity documents"),
    # Fields an officer corrects (services/intake_fields.py), named in the history and errors.
    "middle_name": N_("middle name"),
    "aliases": N_("other names"),
    "sex": N_("sex"),
    "age_confidence": N_("how sure the age is"),
    "nationality": N_("nationality"),
    "preferred_language": N_("language"),
    "literacy": N_("reading"),
    "interpreter_needed": N_("interpreter needed"),
    "place_of_birth": N_("place of birth"),
    "address": N_("address before leaving"),
    "channel": N_("how the person came back"),
    "corridor": N_("corridor"),
    "place_kind": N_("kind of place"),
    "no_documents": N_("no papers"),
    "reason": N_("reason"),
    "issuing_country": N_("issuing country"),
    "document_number": N_("document number"),
    "values": N_("values"),
    "family": N_("family members"),
    "relative_name": N_("relative's name"),
    "birth_year": N_("year of birth"),
}

# How a relative is related to the person (``intake_fields.RELATIONS``).
RELATION_LABELS: dict[str, str] = {
    "mother": N_("Mother"),
    "father": N_("Father"),
    "sibling": N_("Sibling"),
    "spouse": N_("Spouse"),
    "grandparent": N_("Grandparent"),
    "guardian": N_("Guardian"),
    "other": N_("Relative"),
}

# Each language named in itself (never translated); escapes keep the source ASCII.
LANGUAGE_NAMES: dict[str, str] = {
    "vi": "Ti\u1ebfng Vi\u1ec7t",
    "en": "English",
    "zh_CN": "\u4e2d\u6587 (\u7b80\u4f53)",
    "km": "\u1797\u17b6\u179f\u17b6\u1781\u17d2\u1798\u17c2\u179a",
    "lo": "\u0e9e\u0eb2\u0eaa\u0eb2\u0ea5\u0eb2\u0ea7",
}
# Languages a returnee may speak (domain.md 7.3); labels are translated msgids.
SPOKEN_LANGUAGES: dict[str, str] = {
    "vi": N_("Vietnamese"),
    "hmn": N_("Hmong"),
    "zh": N_("Chinese"),
    "km": N_("Khmer"),
    "lo": N_("Lao"),
    "th": N_("Thai"),
    "tay": N_("Tay-Nung"),
    "dao": N_("Dao"),
    "other": N_("Other language"),
}

# The language an ethnic group (GSO code) usually speaks at home: suggested at intake, never forced.
ETHNIC_LANGUAGE: dict[str, str] = {"02": "tay", "04": "zh", "05": "km", "07": "tay", "08": "hmn", "09": "dao"}


def suggested_language(ethnic_code: str, current: str) -> str:
    """The group's language when the officer left the default (Vietnamese), else ``current``."""
    return ETHNIC_LANGUAGE.get(ethnic_code, current) if current == "vi" else current


# Badge colours: background, text. Greens are done, ambers wait on someone, red needs action.
STATUS_COLOURS: dict[CaseStatus, tuple[str, str]] = {
    CaseStatus.RECEIVED: ("#dbeafe", "#1e3a8a"),
    CaseStatus.VERIFICATION: ("#fef3c7", "#92400e"),
    CaseStatus.AWAITING_HANDOVER: ("#ede9fe", "#5b21b6"),
    CaseStatus.HANDED_OVER: ("#cffafe", "#155e75"),
    CaseStatus.IN_CARE: ("#dcfce7", "#166534"),
    CaseStatus.REINTEGRATION: ("#d1fae5", "#065f46"),
    CaseStatus.CLOSED: ("#e5e7eb", "#374151"),
}
OVERDUE_COLOURS = ("#fee2e2", "#991b1b")
DUE_SOON_COLOURS = ("#fef3c7", "#92400e")
ON_TIME_COLOURS = ("#f3f4f6", "#374151")
DUE_SOON_DAYS = 3


class Labels:
    """Words for codes in the active UI language."""

    def __init__(self, translator: Translator, gate_name: Callable[[str], str] | None = None) -> None:
        self.translator = translator
        self._gate_name = gate_name

    def gate(self, code: str | None) -> str:
        """A border gate's name; officers never see the code (CN-LAOCAI)."""
        if not code:
            return ""
        return self._gate_name(code) if self._gate_name is not None else code

    def gt(self, message: str) -> str:
        return self.translator.gettext(message)

    def enum(self, value: Enum) -> str:
        """The label of any domain enum member (its code when no label is known)."""
        labels = ENUM_LABELS.get(type(value), {})
        message = labels.get(str(value.value))
        return self.gt(message) if message else str(value.value)

    def choices(self, kind: type[Enum]) -> list[tuple[str, Enum]]:
        """(label, member) pairs in declaration order, for combo boxes."""
        return [(self.enum(member), member) for member in kind]

    def field(self, code: str) -> str:
        """The label of a field named in an error."""
        added = extra_named(code)  # a field added through the registry (domain/case_fields.py)
        message = FIELD_LABELS.get(code) or (added.label if added is not None else None)
        return self.gt(message) if message else code

    def relation(self, code: str) -> str:
        """How a relative is related to the person, in words."""
        message = RELATION_LABELS.get(code, RELATION_LABELS["other"])
        return self.gt(message)

    def spoken_language(self, code: str) -> str:
        """Name of a language a returnee speaks."""
        message = SPOKEN_LANGUAGES.get(code)
        return self.gt(message) if message else code

    def date(self, day: date | None) -> str:
        """A date as officers write it (dd/mm/yyyy); empty for none."""
        return "" if day is None else day.strftime("%d/%m/%Y")

    def due(self, due_on: dt.date | None, today: dt.date) -> str:  # ``date`` is a method here
        """'Overdue 3 days', 'Due today', 'Due in 2 days' or the date."""
        if due_on is None:
            return ""
        days = (due_on - today).days
        if days < 0:
            return self.translator.ngettext("Overdue {count} day", "Overdue {count} days", -days).format(
                count=-days
            )
        if days == 0:
            return self.gt("Due today")
        if days <= DUE_SOON_DAYS:
            return self.translator.ngettext("Due in {count} day", "Due in {count} days", days).format(
                count=days
            )
        return self.date(due_on)


def due_colours(due_on: date | None, today: date) -> tuple[str, str] | None:
    """Badge colours for a deadline; ``None`` when there is none."""
    if due_on is None:
        return None
    days = (due_on - today).days
    if days < 0:
        return OVERDUE_COLOURS
    return DUE_SOON_COLOURS if days <= DUE_SOON_DAYS else ON_TIME_COLOURS
