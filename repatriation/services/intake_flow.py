"""GUI-agnostic intake of one returnee or a group: which step comes next, checks, and the drafts.

The Qt wizard (``ui/wizards``) only shows pages; every branching decision and every check lives
here so it is tested without Qt (the Electrum wizard pattern).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from repatriation.domain.actors import Actor
from repatriation.domain.case import Case
from repatriation.domain.enums import AgeConfidence, Corridor, Literacy, PlaceKind, ReturnChannel, Sex
from repatriation.domain.errors import ValidationError
from repatriation.domain.fields import ExtraFields
from repatriation.domain.people import Attachment, BirthInfo, Person
from repatriation.domain.text import nfc
from repatriation.services.cases import CaseDraft, validate_codes
from repatriation.services.ports import ReferenceLookup

# A group larger than this is an import job, not a wizard (domain.md 8: batches are 1-40).
MAX_GROUP = 60
MAX_PHOTO_BYTES = 15 * 1024 * 1024  # a phone photo; scans go through the attachment store
# Photos are identified by their magic bytes, never by the file name a USB stick gives them.
_PHOTO_MAGIC = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SEX_WORDS = {
    "f": Sex.FEMALE, "nu": Sex.FEMALE, "n\u1eef": Sex.FEMALE, "female": Sex.FEMALE,
    "m": Sex.MALE, "nam": Sex.MALE, "male": Sex.MALE,
    "u": Sex.UNKNOWN, "?": Sex.UNKNOWN,
}
# Channels whose persons arrive at a border place (gate, auxiliary gate or marker).
_R = ReturnChannel
_AT_BORDER = frozenset({_R.OFFICIAL_HANDOVER, _R.OUTBOUND_HANDOVER, _R.RESCUE, _R.INTERCEPTION})


class IntakeStep(StrEnum):
    """The pages of the intake wizard."""

    RETURN = "return"  # channel, corridor, day received, one person or a group
    BORDER_PLACE = "border_place"  # gate, auxiliary gate or border marker
    OTHER_PLACE = "other_place"  # mission, town or commune where a self-return reported
    PERSON = "person"  # the full form for one person
    GROUP = "group"  # quick add of many persons
    LANGUAGE = "language"  # interpreter and literacy, only when someone does not speak Vietnamese
    PHOTOS = "photos"  # photos from files, only when the officer asked for it
    REVIEW = "review"


@dataclass(frozen=True)
class PersonEntry:
    """One person as typed at intake; age from a date of birth or an estimate."""

    family_name: str = ""
    middle_name: str = ""
    given_name: str = ""
    sex: Sex = Sex.UNKNOWN
    date_of_birth: date | None = None
    estimated_age: int | None = None
    age_confidence: AgeConfidence | None = None  # None: documented with a DOB, else a rough guess
    ethnic_code: str = "99"
    preferred_language: str = "vi"
    literacy: Literacy = Literacy.UNKNOWN
    interpreter_needed: bool = False
    interpreter_language: str = ""
    photo_paths: tuple[str, ...] = ()
    extra_fields: ExtraFields = field(default_factory=ExtraFields)  # registered added fields

    @property
    def full_name(self) -> str:
        """Vietnamese order: family, middle, given."""
        return " ".join(p for p in (self.family_name, self.middle_name, self.given_name) if p)

    @property
    def needs_language_step(self) -> bool:
        """The person may not follow Vietnamese: interpreter and literacy must be asked."""
        return self.preferred_language.strip().lower() not in ("", "vi")


@dataclass(frozen=True)
class IntakeAnswers:
    """Everything the wizard collected so far (replace, never mutate)."""

    channel: ReturnChannel = ReturnChannel.OFFICIAL_HANDOVER
    corridor: Corridor = Corridor.CHINA
    received_on: date | None = None
    group: bool = False
    place_kind: PlaceKind = PlaceKind.GATE
    gate_code: str | None = None
    place_detail: str = ""
    persons: tuple[PersonEntry, ...] = (PersonEntry(),)
    add_photos: bool = False
    notes: str = ""


@dataclass(frozen=True)
class Problem:
    """Why a step cannot be left yet: an error code, the field and the person's row (0-based)."""

    code: str
    field: str
    row: int | None = None


@dataclass(frozen=True)
class IntakeResult:
    """The cases created by one intake."""

    cases: tuple[Case, ...] = ()

    @property
    def references(self) -> tuple[str, ...]:
        """References allocated, in the order the persons were entered."""
        return tuple(c.reference for c in self.cases)


class PhotoStore(Protocol):
    """Encrypted, content-addressed storage of files (``AttachmentService.store``)."""

    def store(self, data: bytes, file_name: str, media_type: str, kind: str = "photo") -> Attachment:
        """Store ``data``; returns the reference kept in the case."""
        ...


class DraftStore(Protocol):
    """Stores many drafts as new cases in one transaction (``ImportService.store_drafts``)."""

    def store_drafts(
        self, actor: Actor, drafts: Iterable[CaseDraft], *, source: str, digest: str = ""
    ) -> list[Case]:
        """Allocate references and insert every draft, all or nothing."""
        ...


def steps(answers: IntakeAnswers) -> tuple[IntakeStep, ...]:
    """The path through the wizard that the answers given so far imply."""
    place = IntakeStep.BORDER_PLACE if answers.channel in _AT_BORDER else IntakeStep.OTHER_PLACE
    path = [IntakeStep.RETURN, place, IntakeStep.GROUP if answers.group else IntakeStep.PERSON]
    if any(p.needs_language_step for p in answers.persons):
        path.append(IntakeStep.LANGUAGE)
    if answers.add_photos:
        path.append(IntakeStep.PHOTOS)
    path.append(IntakeStep.REVIEW)
    return tuple(path)


def next_step(answers: IntakeAnswers, current: IntakeStep) -> IntakeStep | None:
    """The step after ``current``, or ``None`` at the end (or when ``current`` left the path)."""
    path = steps(answers)
    index = path.index(current) if current in path else len(path)
    return path[index + 1] if index + 1 < len(path) else None


def default_place_kind(channel: ReturnChannel) -> PlaceKind:
    """The place kind a channel usually has: a gate at the border, 'other' elsewhere."""
    return PlaceKind.GATE if channel in _AT_BORDER else PlaceKind.OTHER


def problems(answers: IntakeAnswers, step: IntakeStep, today: date) -> tuple[Problem, ...]:
    """What must be fixed before leaving ``step`` (empty: the step is complete)."""
    checks: dict[IntakeStep, Callable[[IntakeAnswers, date], list[Problem]]] = {
        IntakeStep.RETURN: _check_return,
        IntakeStep.BORDER_PLACE: _check_border_place,
        IntakeStep.OTHER_PLACE: _check_other_place,
        IntakeStep.PERSON: _check_persons,
        IntakeStep.GROUP: _check_persons,
        IntakeStep.LANGUAGE: _check_language,
    }
    check = checks.get(step)
    return tuple(check(answers, today)) if check else ()


def all_problems(answers: IntakeAnswers, today: date) -> tuple[Problem, ...]:
    """Problems of every step on the current path (the review page shows these)."""
    return tuple(p for s in steps(answers) for p in problems(answers, s, today))


def _check_return(answers: IntakeAnswers, today: date) -> list[Problem]:
    if answers.received_on is None:
        return [Problem("missing_field", "received_on")]
    if answers.received_on > today:
        return [Problem("date_in_future", "received_on")]
    return []


def _check_border_place(answers: IntakeAnswers, _today: date) -> list[Problem]:
    if answers.place_kind is PlaceKind.BORDER_MARKER and not answers.place_detail.strip():
        return [Problem("missing_field", "place_detail")]
    if answers.place_kind in (PlaceKind.GATE, PlaceKind.AUXILIARY_GATE) and not answers.gate_code:
        return [Problem("missing_field", "gate_code")]
    return []


def _check_other_place(answers: IntakeAnswers, _today: date) -> list[Problem]:
    return [] if answers.place_detail.strip() else [Problem("missing_field", "place_detail")]


def _check_person(entry: PersonEntry, row: int, received_on: date | None) -> list[Problem]:
    found: list[Problem] = []
    if not (entry.family_name.strip() or entry.given_name.strip()):
        found.append(Problem("missing_field", "name", row))
    if entry.date_of_birth is not None and received_on and entry.date_of_birth > received_on:
        found.append(Problem("birth_after_receipt", "date_of_birth", row))
    if entry.estimated_age is not None and not 0 <= entry.estimated_age <= 120:
        found.append(Problem("age_out_of_range", "estimated_age", row))
    return found


def _check_persons(answers: IntakeAnswers, _today: date) -> list[Problem]:
    if not answers.persons:
        return [Problem("no_person", "persons")]
    if len(answers.persons) > MAX_GROUP:
        return [Problem("group_too_large", "persons")]
    found: list[Problem] = []
    for row, entry in enumerate(answers.persons):
        found.extend(_check_person(entry, row, answers.received_on))
    return found


def _check_language(answers: IntakeAnswers, _today: date) -> list[Problem]:
    return [
        Problem("missing_field", "interpreter_language", row)
        for row, p in enumerate(answers.persons)
        if p.interpreter_needed and not p.interpreter_language.strip()
    ]


def split_name(full_name: str) -> tuple[str, str, str]:
    """(family, middle, given) in Vietnamese order; one word is taken as the given name."""
    words = [w for w in nfc(full_name).split(" ") if w]
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def parse_quick_line(line: str) -> PersonEntry:
    """One person from a quick-add line: ``name[, sex][, age or YYYY-MM-DD]``.

    "Giang Thi Sua, F, 14" gives an estimated age; "Lo Van Su, nam, 2011-04-02" a date of birth.
    Sex may be F/M/U, female/male, or Vietnamese nu/nam (with or without the accent).

    Raises:
        ValidationError: the line has no name, or a part is neither a sex, an age nor a date.
    """
    parts = [nfc(p) for p in line.split(",")]
    family, middle, given = split_name(parts[0] if parts else "")
    if not (family or given):
        raise ValidationError("missing_field", field="name")
    entry = PersonEntry(family_name=family, middle_name=middle, given_name=given)
    for part in parts[1:]:
        entry = _apply_quick_part(entry, part)
    return entry


def _apply_quick_part(entry: PersonEntry, part: str) -> PersonEntry:
    word = part.strip().lower()
    if not word:
        return entry
    if word in _SEX_WORDS:
        return replace(entry, sex=_SEX_WORDS[word])
    if _DATE.match(word):
        try:
            return replace(entry, date_of_birth=date.fromisoformat(word))
        except ValueError:
            raise ValidationError("bad_date", value=part) from None
    if word.lstrip("~").isdigit():
        return replace(entry, estimated_age=int(word.lstrip("~")))
    raise ValidationError("unreadable_part", value=part)


def parse_quick_list(text: str) -> tuple[tuple[PersonEntry, ...], tuple[tuple[int, str], ...]]:
    """Parse one person per line; returns the persons and (line number, error code) pairs."""
    persons: list[PersonEntry] = []
    errors: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            persons.append(parse_quick_line(line))
        except ValidationError as exc:
            errors.append((number, exc.code))
    return tuple(persons), tuple(errors)


def birth_info(entry: PersonEntry, received_on: date) -> BirthInfo:
    """Age from the date of birth when given, else from the estimate made on the day received."""
    if entry.date_of_birth is not None:
        confidence = entry.age_confidence or AgeConfidence.DOCUMENTED
        return BirthInfo(date_of_birth=entry.date_of_birth, confidence=confidence)
    if entry.estimated_age is not None:
        confidence = entry.age_confidence or AgeConfidence.ESTIMATED_LOW
        return BirthInfo(estimated_age=entry.estimated_age, estimated_on=received_on, confidence=confidence)
    return BirthInfo()


def age_on(entry: PersonEntry, received_on: date | None, on: date) -> int | None:
    """The age the entry implies on ``on`` (for the live preview beside the fields)."""
    return birth_info(entry, received_on or on).age_on(on)


def person_from_entry(entry: PersonEntry, received_on: date, photos: Sequence[Attachment] = ()) -> Person:
    """The domain person an entry describes (names NFC-normalised)."""
    return Person(
        family_name=nfc(entry.family_name),
        middle_name=nfc(entry.middle_name),
        given_name=nfc(entry.given_name),
        sex=entry.sex,
        birth=birth_info(entry, received_on),
        ethnic_code=entry.ethnic_code or "99",
        preferred_language=nfc(entry.preferred_language) or "vi",
        literacy=entry.literacy,
        interpreter_needed=entry.interpreter_needed,
        interpreter_language=nfc(entry.interpreter_language),
        photos=tuple(photos),
    )


def drafts(answers: IntakeAnswers, photos: Sequence[Sequence[Attachment]] = ()) -> tuple[CaseDraft, ...]:
    """One case draft per person; ``photos[i]`` are the stored photos of person ``i``.

    Raises:
        ValidationError: the day received is missing.
    """
    if answers.received_on is None:
        raise ValidationError("missing_field", field="received_on")
    received_on = answers.received_on
    at_gate = answers.place_kind in (PlaceKind.GATE, PlaceKind.AUXILIARY_GATE)
    return tuple(
        CaseDraft(
            person=person_from_entry(entry, received_on, photos[row] if row < len(photos) else ()),
            channel=answers.channel,
            corridor=answers.corridor,
            received_on=received_on,
            place_kind=answers.place_kind,
            gate_code=answers.gate_code if at_gate else None,
            place_detail=nfc(answers.place_detail),
            notes=nfc(answers.notes),
            extra_fields=entry.extra_fields,
        )
        for row, entry in enumerate(answers.persons)
    )


def read_photo(path: Path) -> tuple[bytes, str]:
    """The bytes and media type of a JPEG or PNG file.

    Raises:
        ValidationError: the file is too large or is not a JPEG or PNG image.
    """
    if path.stat().st_size > MAX_PHOTO_BYTES:
        raise ValidationError("file_too_large", path=path.name)
    data = path.read_bytes()
    media_type = next((m for magic, m in _PHOTO_MAGIC if data.startswith(magic)), None)
    if media_type is None:
        raise ValidationError("not_a_photo", path=path.name)
    return data, media_type


def store_photo(path: Path, store: PhotoStore) -> Attachment:
    """Check a photo file and hand it to the (encrypting) attachment store."""
    data, media_type = read_photo(path)
    return store.store(data, nfc(path.name), media_type)


def register(answers: IntakeAnswers, *, reference: ReferenceLookup, store: DraftStore, actor: Actor,
             photos: PhotoStore | None, today: date) -> IntakeResult:
    """Check everything, store the photos (encrypted), then create every case in one transaction.

    Raises:
        ValidationError: a step still has a problem (the first one is reported), or a code
            (gate, ethnic group) is unknown.
        PermissionDenied: an added field is set that the role may not edit (``access.guard_new``).
    """
    if found := all_problems(answers, today):
        raise ValidationError(found[0].code, field=found[0].field, row=found[0].row)
    wanted = answers.add_photos and any(entry.photo_paths for entry in answers.persons)
    if wanted and photos is None:
        # Never write a child's photo in clear: without the attachment store, refuse.
        raise ValidationError("attachments_need_setup")
    stored = [
        tuple(store_photo(Path(p), photos) for p in entry.photo_paths) if wanted and photos else ()
        for entry in answers.persons
    ]
    built = drafts(answers, stored)
    for draft in built:
        validate_codes(reference, draft)
    cases = store.store_drafts(actor, built, source="intake")
    return IntakeResult(cases=tuple(cases))
