"""The person received: names, age (computed, never stored as a flag), origin, family, documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from repatriation.domain.enums import AgeConfidence, DocumentKind, Literacy, Sex
from repatriation.domain.errors import ValidationError

# Law 53/2024 (trafficking) and international instruments count a child as under 18;
# the Law on Children 2016 and Penal Code art. 151 count under 16.
TRAFFICKING_LAW_MINOR_AGE = 18
CHILDREN_LAW_CHILD_AGE = 16
# Decree 56/2017 art. 33 / PDPL 2025 art. 24: a child aged 7+ must consent as well.
CONSENT_AGE = 7

# Half-width of the plausible range around an estimated age, per confidence.
_ESTIMATE_SPREAD = {
    AgeConfidence.DOCUMENTED: 0,
    AgeConfidence.DECLARED: 1,
    AgeConfidence.ESTIMATED_HIGH: 1,
    AgeConfidence.ESTIMATED_LOW: 3,
}


def years_between(born: date, on: date) -> int:
    """Completed years from ``born`` to ``on`` (a 29 Feb birthday counts on 1 Mar)."""
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


@dataclass(frozen=True)
class BirthInfo:
    """Date of birth, or an age estimated on a given day, with how sure it is."""

    date_of_birth: date | None = None
    estimated_age: int | None = None
    estimated_on: date | None = None
    confidence: AgeConfidence = AgeConfidence.ESTIMATED_LOW

    def __post_init__(self) -> None:
        if self.date_of_birth is None and self.estimated_age is None:
            return
        if self.estimated_age is not None:
            if not 0 <= self.estimated_age <= 120:
                raise ValidationError("age_out_of_range", field="estimated_age")
            if self.estimated_on is None:
                raise ValidationError("estimate_needs_date", field="estimated_on")

    @property
    def known(self) -> bool:
        """True when any age information was recorded."""
        return self.date_of_birth is not None or self.estimated_age is not None

    def age_on(self, on: date) -> int | None:
        """Best single figure for the age on ``on``; ``None`` when nothing was recorded."""
        if self.date_of_birth is not None:
            return max(0, years_between(self.date_of_birth, on))
        if self.estimated_age is not None and self.estimated_on is not None:
            return max(0, self.estimated_age + years_between(self.estimated_on, on))
        return None

    def age_range_on(self, on: date) -> tuple[int, int] | None:
        """Plausible (youngest, oldest) age on ``on`` given the confidence."""
        age = self.age_on(on)
        if age is None:
            return None
        spread = (
            0
            if self.date_of_birth and self.confidence is AgeConfidence.DOCUMENTED
            else (_ESTIMATE_SPREAD[self.confidence])
        )
        return max(0, age - spread), age + spread

    def presumed_under(self, limit: int, on: date) -> bool:
        """Whether the person counts as under ``limit`` on ``on``.

        UNICEF guidelines presume minority when the age is uncertain, so the youngest plausible
        age decides; an unknown age is presumed under the limit too.
        """
        bounds = self.age_range_on(on)
        return True if bounds is None else bounds[0] < limit


@dataclass(frozen=True)
class IdentityDocument:
    """A document that identifies the person."""

    kind: DocumentKind
    number: str
    issuer: str = ""  # the issuing country (ISO 3166-1 alpha-2), "" when not known
    issued_on: date | None = None
    expires_on: date | None = None


@dataclass(frozen=True)
class Address:
    """An address as written, plus its normalised units in both administrative schemes.

    The 2025 reform (Resolution 202/2025/QH15) cut 63 provinces to 34 and abolished districts;
    records keep both so that old forms and new statistics both work.
    """

    as_written: str = ""
    province_old: str | None = None  # code in the pre-2025 (63) scheme
    commune_old: str | None = None
    province_new: str | None = None  # code in the post-2025 (34) scheme
    commune_new: str | None = None
    reference_version: str | None = None  # which reference-data release normalised it


@dataclass(frozen=True)
class FamilyMember:
    """A relative or the legal representative/guardian."""

    relation: str  # code: mother, father, sibling, spouse, grandparent, other
    full_name: str
    birth_year: int | None = None
    occupation: str = ""
    phone: str = ""
    address: Address = field(default_factory=Address)
    is_guardian: bool = False
    is_legal_representative: bool = False


@dataclass(frozen=True)
class Attachment:
    """A file (photo, scan) stored by the attachment store, referenced by its content hash."""

    sha256: str
    file_name: str
    media_type: str
    size: int
    kind: str = "photo"


@dataclass(frozen=True)
class Person:
    """The person received at the border."""

    family_name: str
    given_name: str
    middle_name: str = ""
    aliases: tuple[str, ...] = ()
    sex: Sex = Sex.UNKNOWN
    birth: BirthInfo = field(default_factory=BirthInfo)
    place_of_birth: str = ""
    ethnic_code: str = "99"  # GSO code; 55 foreigner, 99 unknown
    nationality: str = "VN"  # ISO 3166-1 alpha-2, "XX" unknown/stateless
    preferred_language: str = "vi"  # BCP 47 (vi, hmn, zh, km, lo, ...)
    literacy: Literacy = Literacy.UNKNOWN
    interpreter_needed: bool = False
    interpreter_language: str = ""
    documents: tuple[IdentityDocument, ...] = ()
    # Recorded as having no papers at all ("none"), which an empty list (not asked yet) is not.
    no_documents: bool = False
    photos: tuple[Attachment, ...] = ()
    address: Address = field(default_factory=Address)
    family: tuple[FamilyMember, ...] = ()

    def __post_init__(self) -> None:
        if not (self.family_name.strip() or self.given_name.strip()):
            raise ValidationError("missing_field", field="name")

    @property
    def full_name(self) -> str:
        """Vietnamese order: family, middle, given."""
        return " ".join(p for p in (self.family_name, self.middle_name, self.given_name) if p)

    @property
    def guardian(self) -> FamilyMember | None:
        """The guardian or legal representative, if one is recorded."""
        for member in self.family:
            if member.is_guardian or member.is_legal_representative:
                return member
        return None

    def age_on(self, on: date) -> int | None:
        """Age on a day (computed from the birth information)."""
        return self.birth.age_on(on)

    def is_minor_under_trafficking_law(self, on: date) -> bool:
        """Under 18 (Law 53/2024), presuming minority when uncertain."""
        return self.birth.presumed_under(TRAFFICKING_LAW_MINOR_AGE, on)

    def is_child_under_children_law(self, on: date) -> bool:
        """Under 16 (Law on Children 2016), presuming minority when uncertain."""
        return self.birth.presumed_under(CHILDREN_LAW_CHILD_AGE, on)

    def must_consent_personally(self, on: date) -> bool:
        """A child aged 7 or more consents alongside the representative."""
        age = self.age_on(on)
        return age is None or age >= CONSENT_AGE
