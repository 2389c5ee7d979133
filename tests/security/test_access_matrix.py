"""Role x field class x action: every cell of the one matrix table, checked through the services.

The expected answer of each cell is read from ``MATRIX_TABLE`` (the letters a reviewer reads),
parsed here independently of the production parser; each check goes through the service path
(view, edit) or the minimisation used by forms and bundles (print, export, share).
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import replace
from types import UnionType
from typing import Any, get_args, get_origin, get_type_hints

import pytest

from repatriation.domain import permissions
from repatriation.domain.actors import Actor, Role
from repatriation.domain.case import Case
from repatriation.domain.clock import FixedClock
from repatriation.domain.codec import from_jsonable, to_jsonable
from repatriation.domain.enums import HandoverDirection
from repatriation.domain.errors import PermissionDenied
from repatriation.domain.fields import ExtraFields, extra_fields
from repatriation.domain.handover import BatchMember
from repatriation.domain.people import Person
from repatriation.domain.permissions import CLASS_ORDER, MATRIX_TABLE, Action, allowed
from repatriation.domain.sensitivity import (
    CASE_FIELD_CLASSES,
    FieldClass,
    blank_for,
    leaves,
    redact_case,
    restore_paths,
)
from repatriation.services import access
from repatriation.services.cases import CaseDraft, CaseService
from repatriation.services.handovers import BatchDraft, HandoverService
from repatriation.services.results import CaseQuery
from tests.fakes import FakeDatabase, FakeReference
from tests.security.full_case import full_case

LETTER = {Action.VIEW: "V", Action.EDIT: "E", Action.PRINT: "P", Action.EXPORT: "X", Action.SHARE: "S"}
ROLES = list(MATRIX_TABLE)
REF = "LC-2025-000001"


def expected(role: Role, field_class: FieldClass, action: Action) -> bool:
    return LETTER[action] in MATRIX_TABLE[role][CLASS_ORDER.index(field_class)]


def cell_id(*parts: object) -> str:
    return "-".join(str(p) for p in parts)


# -- the table itself -----------------------------------------------------------------------


def test_table_is_complete_aligned_and_consistent() -> None:
    assert set(MATRIX_TABLE) == set(Role)
    for role, row in MATRIX_TABLE.items():
        assert len(row) == len(CLASS_ORDER)
        for cell in row:
            # Aligned columns: position i holds the i-th letter or "-".
            assert len(cell) == 5 and all(ch in ("VEPXS"[i], "-") for i, ch in enumerate(cell)), cell
            # Every other action needs the view right: nobody edits or prints what they cannot see.
            assert cell[0] == "V" or cell == "-----", (role, cell)
        for action in Action:
            grants = [expected(role, k, action) for k in CLASS_ORDER]
            # A right on a more private class implies it on the less private ones.
            assert grants == sorted(grants, reverse=True), (role, action)
            assert [allowed(role, action, k) for k in CLASS_ORDER] == grants
    assert all(not expected(Role.STATISTICIAN, k, a) for k in CLASS_ORDER for a in Action)
    assert all(expected(Role.SUPERVISOR, k, a) for k in CLASS_ORDER for a in Action)
    # Examples: reception does not see the exploitation story, liaison not health.
    assert not expected(Role.RECEPTION, FieldClass.CHILD_PRIVATE, Action.VIEW)
    assert not expected(Role.LIAISON, FieldClass.SENSITIVE, Action.VIEW)
    assert CASE_FIELD_CLASSES["health_notes"] is FieldClass.SENSITIVE
    assert CASE_FIELD_CLASSES["exploitation_narrative"] is FieldClass.CHILD_PRIVATE


def _walk(tp: Any, path: str, found: set[str], missing: list[str]) -> None:
    if path in CASE_FIELD_CLASSES:
        found.add(path)
        return
    if tp is ExtraFields:  # one leaf per registered added field (domain/case_fields.py)
        found.update(f"{path}.{spec.name}" for spec in extra_fields())
        return
    origin = get_origin(tp)
    if origin in (typing.Union, UnionType):
        inner = [a for a in get_args(tp) if a is not type(None)]
        _walk(inner[0], path, found, missing)
        return
    if origin is tuple:
        _walk(get_args(tp)[0], f"{path}[]", found, missing)
        return
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        hints = get_type_hints(tp)
        for fld in dataclasses.fields(tp):
            _walk(hints[fld.name], f"{path}.{fld.name}" if path else fld.name, found, missing)
        return
    missing.append(path)


def test_every_field_of_case_person_and_care_records_is_classified() -> None:
    found: set[str] = set()
    missing: list[str] = []
    _walk(Case, "", found, missing)
    assert missing == []
    assert found == set(CASE_FIELD_CLASSES)  # no stale entry either
    for path in CASE_FIELD_CLASSES:
        assert path  # the root is never a leaf


def test_the_full_case_fills_every_leaf_so_each_check_can_fail() -> None:
    one, two = leaves(full_case(variant=1)), leaves(full_case("LC-2025-000002", variant=2))
    assert {k for k, _, _ in one.values()} == set(CASE_FIELD_CLASSES)
    for path, (_, value, tp) in one.items():
        assert value != blank_for_none(tp), path
        assert two[path][1] != value, path


def blank_for_none(tp: Any) -> Any:
    try:
        return blank_for(tp)
    except TypeError:
        return None


# -- view, through CaseService.get -----------------------------------------------------------


@pytest.fixture
def service(fake_db: FakeDatabase, fake_reference: FakeReference, clock: FixedClock) -> CaseService:
    fake_db.cases[REF] = full_case(REF)
    return CaseService(fake_db.uow, fake_reference, clock, "LC")


def _check_paths(original: Case, shown: Case, field_class: FieldClass, visible: bool) -> None:
    before, after = leaves(original), leaves(shown)
    checked = 0
    for path, (class_path, value, tp) in before.items():
        if CASE_FIELD_CLASSES[class_path] is not field_class:
            continue
        checked += 1
        assert after[path][1] == (value if visible else blank_for(tp)), path
    assert checked == len([p for p in before if CASE_FIELD_CLASSES[before[p][0]] is field_class]) > 0


@pytest.mark.parametrize(("role", "field_class"), [(r, k) for r in ROLES for k in CLASS_ORDER],
                         ids=[cell_id(r, k) for r in ROLES for k in CLASS_ORDER])
def test_view_cell(service: CaseService, fake_db: FakeDatabase, role: Role, field_class: FieldClass) -> None:
    actor = Actor("user.a", role)
    original = fake_db.cases[REF]
    if not expected(role, FieldClass.BASIC, Action.VIEW):
        with pytest.raises(PermissionDenied):
            service.get(actor, REF)
        assert fake_db.audit[-1].action == "case_view_refused"
        return
    shown = service.get(actor, REF)
    _check_paths(original, shown, field_class, expected(role, field_class, Action.VIEW))
    assert fake_db.audit[-1].action == "case_viewed" and fake_db.audit[-1].actor == "user.a"
    # The redacted view is still a valid record: it survives the strict codec.
    assert from_jsonable(Case, to_jsonable(shown)) == shown


# Print, export and share are checked on the paths production takes (the CLI, every form in
# every language, a bundle to each kind of recipient): tests/security/test_canary_matrix.py.


def test_hidden_list_does_not_tell_which_hidden_fields_were_filled() -> None:
    full, empty = full_case(REF), Case(REF, Person("A", "B"), full_case().channel, full_case().corridor,
                                      full_case().received_on)
    hidden = {FieldClass.SENSITIVE, FieldClass.CHILD_PRIVATE}
    assert redact_case(full, hidden).hidden == redact_case(empty, hidden).hidden


# -- edit, every classified field, and through the service ------------------------------------

ALL_PATHS = sorted(leaves(full_case()))


@pytest.mark.parametrize("role", ROLES)
def test_edit_cell_for_every_field(role: Role) -> None:
    stored, other = full_case(REF), full_case("LC-2025-000002", variant=2)
    actor = Actor("user.a", role)
    for path in ALL_PATHS:
        field_class = CASE_FIELD_CLASSES[leaves(stored)[path][0]]
        changed = restore_paths(stored, other, [path])
        assert changed != stored, path
        new_value, tp = leaves(changed)[path][1:]
        if expected(role, field_class, Action.EDIT):
            assert access.guard_change(actor, stored, changed) == changed, path
        elif not expected(role, field_class, Action.VIEW) and new_value == blank_for_none(tp):
            # A blank in a field the role cannot see is the echo of its redacted view: the
            # stored value is kept, nothing is erased.
            assert access.guard_change(actor, stored, changed) == stored, path
        else:
            with pytest.raises(PermissionDenied) as info:
                access.guard_change(actor, stored, changed)
            assert info.value.params["field_class"] == str(field_class), path


@pytest.mark.parametrize(("role", "field_class"), [(r, k) for r in ROLES for k in CLASS_ORDER],
                         ids=[cell_id(r, k) for r in ROLES for k in CLASS_ORDER])
def test_edit_cell_through_the_service(
    service: CaseService, fake_db: FakeDatabase, role: Role, field_class: FieldClass
) -> None:
    actor = Actor("user.a", role)
    original = fake_db.cases[REF]
    before = fake_db.snapshot()
    allowed_here = expected(role, field_class, Action.EDIT)

    def edit() -> Case:
        if field_class is FieldClass.BASIC:
            # The person as this role sees it, with one visible change: hidden fields come back
            # blank and must not be erased.
            sees_basic = expected(role, FieldClass.BASIC, Action.VIEW)
            seen = access.redact(original, actor) if sees_basic else original
            return service.update_person(actor, REF, replace(seen.person, given_name="Edited"))
        if field_class is FieldClass.SENSITIVE:
            return service.update_notes(actor, REF, health_notes="edited health")
        return service.update_notes(actor, REF, exploitation_narrative="edited story")

    if not allowed_here:
        with pytest.raises(PermissionDenied):
            edit()
        assert fake_db.snapshot() == before
        return
    edit()
    stored = fake_db.cases[REF]
    if field_class is FieldClass.BASIC:
        assert stored.person.given_name == "Edited"
    elif field_class is FieldClass.SENSITIVE:
        assert stored.health_notes == "edited health"
    else:
        assert stored.exploitation_narrative == "edited story"
    # Whatever the role could not see is exactly as it was.
    for hidden in (k for k in CLASS_ORDER if not expected(role, k, Action.VIEW)):
        _check_paths(original, stored, hidden, visible=True)


def test_a_hidden_field_cannot_be_overwritten_with_new_text(
    service: CaseService, fake_db: FakeDatabase
) -> None:
    reception = Actor("centre.mai", Role.RECEPTION)
    with pytest.raises(PermissionDenied) as info:
        service.update_notes(reception, REF, exploitation_narrative="replaced")
    assert info.value.params["field"] == "exploitation_narrative"
    assert fake_db.cases[REF].exploitation_narrative == full_case(REF).exploitation_narrative


# -- lists and new cases ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_list_rows_follow_the_matrix(service: CaseService, role: Role) -> None:
    actor = Actor("user.a", role)
    if not expected(role, FieldClass.BASIC, Action.VIEW):
        with pytest.raises(PermissionDenied):
            service.list_cases(CaseQuery(), actor)
        return
    sees = expected(role, FieldClass.SENSITIVE, Action.VIEW)
    (row,) = service.list_cases(CaseQuery(), actor).rows
    assert row.full_name == full_case(REF).person.full_name
    assert row.ethnic_code == ("08" if sees else "")
    # Searching by an ethnic group's other name would reveal ethnicity: only for those who see it.
    assert len(service.list_cases(CaseQuery(text="meo"), actor).rows) == (1 if sees else 0)
    if not sees:
        with pytest.raises(PermissionDenied):
            service.list_cases(CaseQuery(ethnic_code="08"), actor)


@pytest.mark.parametrize("role", ROLES)
def test_opening_a_case_with_sensitive_fields_needs_the_edit_right(
    fake_db: FakeDatabase, fake_reference: FakeReference, clock: FixedClock, role: Role
) -> None:
    service = CaseService(fake_db.uow, fake_reference, clock, "LC")
    base = full_case()
    draft = CaseDraft(Person("Vàng", "Mỷ", ethnic_code="08"), base.channel, base.corridor, base.received_on,
                      gate_code="CN-LAOCAI", notes="intake note")
    actor = Actor("user.a", role)
    if expected(role, FieldClass.SENSITIVE, Action.EDIT):
        opened = service.open_case(actor, draft)
        assert fake_db.cases[opened.reference].notes == "intake note"
    else:
        with pytest.raises(PermissionDenied):
            service.open_case(actor, draft)
        assert fake_db.cases == {}


def _write_only(monkeypatch: pytest.MonkeyPatch, role: Role, field_class: FieldClass) -> None:
    """A matrix in which ``role`` may edit ``field_class`` but no longer view it."""
    rows = {r: dict(cells) for r, cells in permissions.MATRIX.items()}
    rows[role][field_class] = (rows[role][field_class] | {Action.EDIT}) - {Action.VIEW}
    monkeypatch.setattr(permissions, "MATRIX", rows)


def test_what_an_author_wrote_comes_back_redacted_even_from_a_write_only_class(
    monkeypatch: pytest.MonkeyPatch, fake_db: FakeDatabase, fake_reference: FakeReference,
    clock: FixedClock,
) -> None:
    # Defence in depth for the returns of open_case and plan_batch: today no class is write-only
    # (the test below), so their redaction hides nothing; were a cell ever made write-only, the
    # author would still not be shown it back.
    _write_only(monkeypatch, Role.BORDER_GUARD, FieldClass.SENSITIVE)
    actor = Actor("user.a", Role.BORDER_GUARD)
    base = full_case()
    draft = CaseDraft(Person("Vàng", "Mỷ", ethnic_code="08"), base.channel, base.corridor,
                      base.received_on, gate_code="CN-LAOCAI", notes="intake note (fictitious)")
    opened = CaseService(fake_db.uow, fake_reference, clock, "LC").open_case(actor, draft)
    stored = fake_db.cases[opened.reference]
    assert (stored.notes, stored.person.ethnic_code) == ("intake note (fictitious)", "08")
    assert (opened.notes, opened.person.ethnic_code) == ("", "")
    member = BatchMember(opened.reference, health_state="tired, a cough (fictitious)")
    batch = HandoverService(fake_db.uow, clock, "LC").plan_batch(actor, BatchDraft(
        HandoverDirection.INBOUND, base.corridor, base.received_on, members=(member,)))
    assert fake_db.batches[batch.reference].members[0].health_state == member.health_state
    assert batch.members[0].health_state == ""


def test_a_role_that_may_edit_a_class_may_view_it() -> None:
    # Why a service may return what the actor just wrote without hiding anything more: a new case
    # or batch holds only fields its author may edit (``guard_new``, ``guard_batch``). The
    # redaction of those returns hides nothing today (the test above makes a class write-only).
    for role in Role:
        for field_class in FieldClass:
            if allowed(role, Action.EDIT, field_class):
                assert allowed(role, Action.VIEW, field_class), (role, field_class)
