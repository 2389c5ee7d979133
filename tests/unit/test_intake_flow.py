"""The intake wizard's branching, checks and drafts, without Qt."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from repatriation.domain.actors import Actor, Role
from repatriation.domain.clock import FixedClock
from repatriation.domain.enums import AgeConfidence, Corridor, Literacy, PlaceKind, ReturnChannel, Sex
from repatriation.domain.errors import ValidationError
from repatriation.domain.people import Attachment
from repatriation.services import intake_flow as flow
from repatriation.services.importing import ImportService
from repatriation.services.intake_flow import IntakeAnswers, IntakeStep, PersonEntry
from tests.fakes import FakeDatabase, FakeReference

TODAY = date(2026, 3, 2)
S = IntakeStep
OFFICER = Actor("officer", Role.BORDER_GUARD)


def answers(**changes: object) -> IntakeAnswers:
    base = IntakeAnswers(
        received_on=TODAY,
        gate_code="CN-LAOCAI",
        persons=(PersonEntry(family_name="Giàng", middle_name="Thị", given_name="Sua"),),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_single_person_at_a_gate_goes_straight_to_review() -> None:
    assert flow.steps(answers()) == (S.RETURN, S.BORDER_PLACE, S.PERSON, S.REVIEW)


def test_self_return_asks_where_instead_of_which_gate() -> None:
    path = flow.steps(answers(channel=ReturnChannel.SELF_RETURN))
    assert S.OTHER_PLACE in path and S.BORDER_PLACE not in path
    assert flow.default_place_kind(ReturnChannel.SELF_RETURN) is PlaceKind.OTHER
    assert flow.default_place_kind(ReturnChannel.RESCUE) is PlaceKind.GATE


def test_group_uses_quick_add_and_language_step_appears_only_when_needed() -> None:
    group = answers(group=True, persons=(PersonEntry(given_name="A"), PersonEntry(given_name="B")))
    assert flow.steps(group) == (S.RETURN, S.BORDER_PLACE, S.GROUP, S.REVIEW)
    hmong = replace(group, persons=(PersonEntry(given_name="A", preferred_language="hmn"),))
    assert flow.next_step(hmong, S.GROUP) is S.LANGUAGE
    assert flow.next_step(hmong, S.LANGUAGE) is S.REVIEW


def test_photos_step_only_when_asked_and_review_is_last() -> None:
    with_photos = answers(add_photos=True)
    assert flow.next_step(with_photos, S.PERSON) is S.PHOTOS
    assert flow.next_step(with_photos, S.REVIEW) is None
    assert flow.next_step(answers(), S.PHOTOS) is None  # off the path


def test_checks_name_the_field_and_row() -> None:
    assert flow.problems(answers(received_on=None), S.RETURN, TODAY)[0].field == "received_on"
    assert flow.problems(answers(received_on=date(2026, 3, 3)), S.RETURN, TODAY)[0].code == "date_in_future"
    marker = answers(place_kind=PlaceKind.BORDER_MARKER, gate_code=None)
    assert flow.problems(marker, S.BORDER_PLACE, TODAY)[0].field == "place_detail"
    assert flow.problems(replace(marker, place_detail="Marker 450"), S.BORDER_PLACE, TODAY) == ()
    assert flow.problems(answers(gate_code=None), S.BORDER_PLACE, TODAY)[0].field == "gate_code"
    persons = (PersonEntry(given_name="A"), PersonEntry(), PersonEntry(given_name="C", estimated_age=140))
    found = flow.problems(answers(persons=persons), S.GROUP, TODAY)
    assert [(p.field, p.row) for p in found] == [("name", 1), ("estimated_age", 2)]
    late = PersonEntry(given_name="D", date_of_birth=date(2026, 5, 1))
    assert flow.problems(answers(persons=(late,)), S.PERSON, TODAY)[0].code == "birth_after_receipt"
    lang = PersonEntry(given_name="E", preferred_language="km", interpreter_needed=True)
    assert flow.problems(answers(persons=(lang,)), S.LANGUAGE, TODAY)[0].row == 0
    assert flow.problems(answers(), S.REVIEW, TODAY) == ()


def test_quick_lines_parse_names_sex_age_and_dates() -> None:
    sua = flow.parse_quick_line("Giàng Thị Sua, F, 14")
    assert (sua.family_name, sua.middle_name, sua.given_name) == ("Giàng", "Thị", "Sua")
    assert (sua.sex, sua.estimated_age, sua.date_of_birth) == (Sex.FEMALE, 14, None)
    su = flow.parse_quick_line("  Lò  Văn Sử ,nam, 2011-04-02")
    assert su.full_name == "Lò Văn Sử" and su.sex is Sex.MALE and su.date_of_birth == date(2011, 4, 2)
    nfd = flow.parse_quick_line("Nguye\u0302\u0303n Hồng")  # NFD input is normalised
    assert nfd.family_name == "Nguyễn" and nfd.middle_name == ""
    persons, errors = flow.parse_quick_list("A B\n\n, F\nC D, 2026-02-30\nE, purple\nF G, ~9")
    assert [p.given_name for p in persons] == ["B", "G"]
    assert persons[1].estimated_age == 9
    assert errors == ((3, "missing_field"), (4, "bad_date"), (5, "unreadable_part"))


def test_age_from_date_of_birth_or_estimate() -> None:
    dob = PersonEntry(given_name="A", date_of_birth=date(2012, 3, 3))
    assert flow.birth_info(dob, TODAY).confidence is AgeConfidence.DOCUMENTED
    assert flow.age_on(dob, TODAY, TODAY) == 13
    est = PersonEntry(given_name="B", estimated_age=14)
    info = flow.birth_info(est, TODAY)
    assert (info.estimated_on, info.confidence) == (TODAY, AgeConfidence.ESTIMATED_LOW)
    assert flow.age_on(est, TODAY, date(2027, 3, 2)) == 15
    assert flow.age_on(PersonEntry(given_name="C"), TODAY, TODAY) is None


def test_drafts_carry_place_language_and_drop_gate_for_markers() -> None:
    entry = PersonEntry(
        given_name="Sua",
        preferred_language="hmn",
        literacy=Literacy.NONE,
        interpreter_needed=True,
        interpreter_language="hmn",
    )
    marker = answers(place_kind=PlaceKind.BORDER_MARKER, place_detail="Mốc 450", persons=(entry,))
    (draft,) = flow.drafts(marker)
    assert draft.gate_code is None and draft.place_detail == "Mốc 450"
    assert draft.person.interpreter_needed and draft.person.literacy is Literacy.NONE
    (at_gate,) = flow.drafts(answers())
    assert at_gate.gate_code == "CN-LAOCAI" and at_gate.corridor is Corridor.CHINA
    with pytest.raises(ValidationError):
        flow.drafts(answers(received_on=None))


class MemoryPhotos:
    def __init__(self) -> None:
        self.stored: dict[str, bytes] = {}

    def store(self, data: bytes, file_name: str, media_type: str, kind: str = "photo") -> Attachment:
        sha = hashlib.sha256(data).hexdigest()
        self.stored[sha] = data
        return Attachment(sha, file_name, media_type, len(data), kind)


def test_photos_are_checked_by_magic_and_handed_to_the_store(tmp_path: Path) -> None:
    photo = tmp_path / "a.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    photos = MemoryPhotos()
    stored = flow.store_photo(photo, photos)
    assert stored.media_type == "image/jpeg" and stored.size == photo.stat().st_size
    assert photos.stored[stored.sha256] == photo.read_bytes()
    fake = tmp_path / "b.png"
    fake.write_bytes(b"MZ not an image")
    with pytest.raises(ValidationError) as caught:
        flow.store_photo(fake, photos)
    assert caught.value.code == "not_a_photo"


def test_register_creates_a_group_in_one_transaction(tmp_path: Path) -> None:
    db, reference = FakeDatabase(), FakeReference()
    store = ImportService(db.uow, reference, FixedClock(datetime(2026, 3, 2, 9)), "LC")
    photo = tmp_path / "p.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    photos = MemoryPhotos()
    group = answers(
        group=True,
        add_photos=True,
        persons=(
            PersonEntry(family_name="Giàng", given_name="Sua", ethnic_code="08", photo_paths=(str(photo),)),
            PersonEntry(family_name="Lò", given_name="Sử", estimated_age=12),
            PersonEntry(family_name="Vàng", given_name="Dợ", date_of_birth=date(2011, 1, 5)),
        ),
    )
    result = flow.register(group, reference=reference, store=store, actor=OFFICER, photos=photos, today=TODAY)
    assert result.references == ("LC-2026-000001", "LC-2026-000002", "LC-2026-000003")
    assert db.commits == 1 and len(db.cases) == 3
    assert db.cases["LC-2026-000001"].person.photos[0].media_type == "image/png"
    assert list(photos.stored.values()) == [photo.read_bytes()]
    with pytest.raises(ValidationError) as no_store:  # never in clear: no store, no photos
        flow.register(group, reference=reference, store=store, actor=OFFICER, photos=None, today=TODAY)
    assert no_store.value.code == "attachments_need_setup"
    assert db.cases["LC-2026-000002"].person.birth.estimated_age == 12


def test_register_refuses_problems_and_unknown_codes_without_writing(tmp_path: Path) -> None:
    db, reference = FakeDatabase(), FakeReference()
    store = ImportService(db.uow, reference, FixedClock(datetime(2026, 3, 2, 9)), "LC")
    kwargs = {
        "reference": reference,
        "store": store,
        "actor": OFFICER,
        "photos": None,
        "today": TODAY,
    }
    with pytest.raises(ValidationError) as missing:
        flow.register(answers(persons=(PersonEntry(),)), **kwargs)  # type: ignore[arg-type]
    assert missing.value.params["field"] == "name"
    with pytest.raises(ValidationError) as unknown:
        flow.register(answers(gate_code="XX-NOWHERE"), **kwargs)  # type: ignore[arg-type]
    assert unknown.value.code == "unknown_code"
    assert db.commits == 0 and db.cases == {}
