"""The import inbox: a bundle's changes to our cases wait for an officer's decision.

Import (``bundle_import``) calls :func:`receive` inside its transaction for every case we
already hold: the received case is kept and each difference becomes a pending change; nothing
of ours is replaced. :class:`InboxService` lists them (ours | theirs | sender | when) and
applies or declines them per change or per case, in one unit of work per decision, through
the domain's transitions; every decision is audited with the bundle id and can be revisited.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from repatriation.domain.actors import Actor
from repatriation.domain.case import Case
from repatriation.domain.codec import from_jsonable, to_jsonable
from repatriation.domain.errors import NotFoundError, ValidationError
from repatriation.domain.permissions import Action
from repatriation.domain.sensitivity import CASE_FIELD_CLASSES, FieldClass
from repatriation.services.access import require
from repatriation.services.audit import record_action
from repatriation.services.case_changes import FieldChange, apply_changes, incoming_changes
from repatriation.services.inbox_ports import (
    APPLIED,
    DECLINED,
    PENDING,
    InboxChangeRow,
    InboxStore,
    ReceivedCase,
)
from repatriation.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from repatriation.services.results import Changes
from repatriation.services.same_person_check import PossibleMatch

SAME_PERSON = "possible_same_person"  # an inbox row that flags, never changes, a case


@dataclass(frozen=True)
class InboxChange:
    """One change as the officer sees it (values as JSON text, sender, bundle, state)."""

    id: int
    reference: str
    field: str
    item_key: str | None
    ours: str
    theirs: str
    sender: str
    sent_at: datetime | None
    bundle_id: str
    state: str
    decided_by: str = ""


def flag_same_person(inbox: InboxStore, received: ReceivedCase,
                     matches: Sequence[PossibleMatch]) -> int:
    """Record each possible same person of a new case for an officer to look at (no merge).

    One row per match, field ``possible_same_person``: ``ours`` names our case, ``theirs`` the
    matcher's score and reasons. Accepting it records that an officer saw it; nothing merges.
    """
    if not matches:
        return 0
    received_id = inbox.add_received(received)
    for match in matches:
        inbox.add_change(received_id, InboxChangeRow(
            id=0, received_id=received_id, global_id=received.global_id, field=SAME_PERSON,
            item_key=match.global_id, ours={"reference": match.reference},
            theirs={"score": match.score, "reasons": list(match.reasons)}, state=PENDING))
    return len(matches)


def receive(inbox: InboxStore, stored: Case, received: ReceivedCase, incoming: Case) -> int:
    """Keep ``incoming`` and record how it differs from ``stored``; returns the change count."""
    changes = incoming_changes(stored, incoming, received.paths)
    if not changes:
        return 0
    received_id = inbox.add_received(received)
    for change in changes:
        inbox.add_change(received_id, InboxChangeRow(
            id=0, received_id=received_id, global_id=stored.global_id, field=change.field,
            item_key=change.item_key, ours=change.ours, theirs=change.theirs, state=PENDING))
    return len(changes)


def _class_of(field: str) -> FieldClass:
    classes = [k for p, k in CASE_FIELD_CLASSES.items()
               if p == field or p.startswith(field + ".") or p.startswith(field + "[]")]
    return max(classes, key=lambda k: list(FieldClass).index(k), default=FieldClass.BASIC)


def _text(value: object) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


class InboxService:
    """List, apply, decline and revisit received changes."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow_factory = uow_factory
        self._clock = clock

    def changes(self, actor: Actor, *, states: tuple[str, ...] = (PENDING,),
                reference: str | None = None) -> list[InboxChange]:
        """Changes in ``states`` (default: pending), of one case or all, oldest first."""
        with self._uow_factory() as uow:
            global_id = None
            if reference is not None:
                global_id = uow.cases.get(reference).global_id
            rows = uow.inbox.changes(states=states, global_id=global_id)
            references: dict[str, str] = {}
            result = []
            for row in rows:
                require(actor, Action.VIEW, _class_of(row.field), purpose="inbox")
                if row.global_id not in references:
                    case = uow.cases.find_by_global_id(row.global_id)
                    references[row.global_id] = case.reference if case else ""
                result.append(InboxChange(
                    row.id, references[row.global_id], row.field, row.item_key, _text(row.ours),
                    _text(row.theirs), row.sender_agency, row.sent_at, row.bundle_id,
                    row.state, row.decided_by))
            return result

    def accept(self, actor: Actor, change_ids: Sequence[int]) -> Changes:
        """Apply these pending changes (each case through its domain methods)."""
        return self._decide(actor, tuple(change_ids), APPLIED)

    def decline(self, actor: Actor, change_ids: Sequence[int]) -> Changes:
        """Keep our values; the changes stay on record as declined."""
        return self._decide(actor, tuple(change_ids), DECLINED)

    def decide_case(self, actor: Actor, reference: str, accept: bool) -> Changes:
        """Apply or decline every pending change of one case."""
        ids = [c.id for c in self.changes(actor, reference=reference)]
        if not ids:
            raise NotFoundError("inbox_nothing_pending", reference=reference)
        return self._decide(actor, tuple(ids), APPLIED if accept else DECLINED)

    def revisit(self, actor: Actor, change_ids: Sequence[int]) -> Changes:
        """Put declined changes back in the inbox (the earlier decision stays in the audit)."""
        with self._uow_factory() as uow:
            inbox = uow.inbox
            rows = inbox.changes(states=(DECLINED,), ids=tuple(change_ids))
            if len(rows) != len(set(change_ids)):
                raise NotFoundError("inbox_change_not_found", ids=len(change_ids) - len(rows))
            refs = set()
            for row in rows:
                require(actor, Action.EDIT, _class_of(row.field), purpose="inbox")
                inbox.decide(row.id, PENDING, "", None)
                ref = self._reference(uow, row.global_id)
                refs.add(ref)
                record_action(uow, actor, self._clock.now(), "inbox_change_reopened", "case",
                              ref, bundle=row.bundle_id, field=row.field, change=row.id)
            uow.commit()
        return Changes(cases=frozenset(refs))

    @staticmethod
    def _reference(uow: UnitOfWork, global_id: str) -> str:
        case = uow.cases.find_by_global_id(global_id)
        if case is None:
            raise NotFoundError("case_not_found", reference=global_id)
        return case.reference

    def _decide(self, actor: Actor, ids: tuple[int, ...], state: str) -> Changes:
        now = self._clock.now()
        with self._uow_factory() as uow:
            inbox = uow.inbox
            rows = inbox.changes(states=(PENDING,), ids=ids)
            if len(rows) != len(set(ids)) or not ids:
                raise NotFoundError("inbox_change_not_found", ids=len(set(ids)) - len(rows))
            touched = set()
            for global_id, group in _by_case(rows):
                stored = uow.cases.find_by_global_id(global_id)
                if stored is None:
                    raise NotFoundError("case_not_found", reference=global_id)
                for row in group:
                    require(actor, Action.EDIT, _class_of(row.field), purpose="inbox")
                changed = self._apply(inbox, stored, group) if state == APPLIED else stored
                if changed is not stored:
                    uow.cases.save(changed)
                for row in group:
                    inbox.decide(row.id, state, actor.username, now)
                    record_action(uow, actor, now, f"inbox_change_{state}", "case",
                                  stored.reference, bundle=row.bundle_id, field=row.field,
                                  change=row.id)
                touched.add(stored.reference)
            uow.commit()
        return Changes(cases=frozenset(touched))

    def _apply(self, inbox: InboxStore, stored: Case, rows: list[InboxChangeRow]) -> Case:
        case = stored
        for received_id in dict.fromkeys(r.received_id for r in rows):
            received = inbox.received(received_id)
            incoming = from_jsonable(Case, json.loads(received.document))
            # A possible same person changes nothing: accepting it says an officer looked.
            mine = [r for r in rows if r.received_id == received_id and r.field != SAME_PERSON]
            accepted = _still_applicable(case, mine)
            case = apply_changes(case, incoming, accepted, received.paths,
                                 self._clock.today(), reason=f"bundle {received.bundle_id}")
        return case


def _still_applicable(case: Case, rows: Iterable[InboxChangeRow]) -> list[FieldChange]:
    """The rows as changes; one whose ``ours`` no longer matches our value is refused."""
    result = []
    for row in rows:
        change = FieldChange(row.field, row.item_key, row.ours, row.theirs)
        if row.item_key is None:
            value: object = case
            for part in row.field.split("."):
                value = getattr(value, part)
            if to_jsonable(value) != row.ours and to_jsonable(value) != row.theirs:
                raise ValidationError("inbox_change_outdated", field=row.field)
        result.append(change)
    return result


def _by_case(rows: list[InboxChangeRow]) -> list[tuple[str, list[InboxChangeRow]]]:
    groups: dict[str, list[InboxChangeRow]] = {}
    for row in rows:
        groups.setdefault(row.global_id, []).append(row)
    return list(groups.items())
