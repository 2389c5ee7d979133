"""The changes a received case brings to ours, field by field and list item by list item.

Nothing here writes: :func:`incoming_changes` lists what differs (only on paths the sender may
change, see ``bundle_policy.accepted_paths``), and :func:`apply_changes` applies the ones an
officer accepted, through the domain's own methods for the lifecycle, the screening and the
verification requests. Lists are matched by a stable key per item, never by position, so a
reordered list changes nothing and a reply lands on its own request:

* verification requests: request id, kind, addressee and sending day;
* consents: subject, scope and the day recorded; support: kind, day and provider;
* referrals: body and day; follow-ups: the month count; documents: kind and number;
  photos: content hash; family members: relation and name; corrections: time, field, account.

An item only we hold stays (a bundle never removes anything); an item only they hold is an
addition; an item both hold that differs is a change of that item. A registered added field
(``Case.extra_fields``) is a field of its own: ``extra_fields.<name>``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from repatriation.domain.case import Case
from repatriation.domain.codec import to_jsonable
from repatriation.domain.enums import CaseStatus
from repatriation.domain.errors import ValidationError
from repatriation.domain.fields import ExtraFields
from repatriation.domain.sensitivity import CASE_FIELD_CLASSES
from repatriation.services.bundle_policy import fill_uncarried

KEYS: dict[str, Callable[[Any], str]] = {
    "verifications": lambda v: "|".join((v.request_id, str(v.kind), v.requested_to,
                                         str(v.sent_on or ""))),
    "consents": lambda c: "|".join((str(c.subject), str(c.scope), c.recorded_on.isoformat())),
    "support": lambda s: "|".join((str(s.kind), s.delivered_on.isoformat(), s.provider)),
    "referrals": lambda r: "|".join((r.to_body, r.referred_on.isoformat())),
    "follow_ups": lambda f: str(f.months),
    "person.documents": lambda d: "|".join((str(d.kind), d.number)),
    "person.photos": lambda p: str(p.sha256),
    "person.family": lambda m: "|".join((m.relation, m.full_name)),
    **{f"corrections.{kind}": lambda c: "|".join((c.at.isoformat(), c.field, c.by))
       for kind in ("basic", "sensitive", "child_private")},
}
# Never changed by a bundle: this desk's own name for the case, its identity, its counter.
_NOT_CHANGEABLE = frozenset({"reference", "global_id", "revision"})


@dataclass(frozen=True)
class FieldChange:
    """One difference: ``field`` is a case path; list items also carry their ``item_key``."""

    field: str
    item_key: str | None
    ours: Any  # plain JSON of our value (None: we have no such item)
    theirs: Any  # plain JSON of theirs


def _allowed(path: str, keep: Collection[str]) -> bool:
    return path in keep or any(p.startswith(path + ".") or p.startswith(path + "[]")
                               for p in keep)


def _items(path: str, values: Iterable[Any]) -> dict[str, Any]:
    key = KEYS[path]
    return {key(v): v for v in values}


def incoming_changes(stored: Case, incoming: Case, keep: Collection[str]) -> list[FieldChange]:
    """What ``incoming`` would change in ``stored``, on the paths in ``keep`` only."""
    return list(_walk(stored, incoming, "", frozenset(keep) - _NOT_CHANGEABLE))


def _walk(ours: Any, theirs: Any, prefix: str, keep: frozenset[str]) -> Iterable[FieldChange]:
    for fld in dataclasses.fields(ours):
        path = prefix + fld.name
        a, b = getattr(ours, fld.name), getattr(theirs, fld.name)
        if a == b or not _allowed(path, keep):
            continue
        if isinstance(a, ExtraFields):
            yield from _extra_changes(path, a, b, keep)
        elif path in KEYS:
            yield from _list_changes(path, a, b, keep)
        elif path not in CASE_FIELD_CLASSES and dataclasses.is_dataclass(a) and \
                dataclasses.is_dataclass(b):
            yield from _walk(a, b, path + ".", keep)
        else:
            plain = path in CASE_FIELD_CLASSES or a is None or b is None
            whole = b if plain else fill_uncarried(b, a, path + ".", keep)
            if whole != a:
                yield FieldChange(path, None, to_jsonable(a), to_jsonable(whole))


def _extra_changes(path: str, ours: ExtraFields, theirs: ExtraFields,
                   keep: frozenset[str]) -> Iterable[FieldChange]:
    """One change per added field they carry with another value (their blank removes nothing)."""
    for name, value in theirs.items():
        if f"{path}.{name}" in keep and ours.get(name) != value:
            old = ours.get(name)
            yield FieldChange(f"{path}.{name}", None, None if old is None else to_jsonable(old),
                              to_jsonable(value))


def _list_changes(path: str, ours: tuple[Any, ...], theirs: tuple[Any, ...],
                  keep: frozenset[str]) -> Iterable[FieldChange]:
    mine = _items(path, ours)
    for key, item in _items(path, theirs).items():
        old = mine.get(key)
        # Fields the bundle did not carry are blank in ``item``: ours stand for them.
        filled = item if old is None else fill_uncarried(item, old, path + "[].", keep)
        if filled != old:
            yield FieldChange(path, key, None if old is None else to_jsonable(old),
                              to_jsonable(filled))


def _value(incoming: Case, stored: Case, change: FieldChange, keep: Collection[str]) -> Any:
    """The value to write for ``change``, read from the received case (ours fill gaps)."""
    if change.item_key is not None:
        theirs = _items(change.field, _get(incoming, change.field))[change.item_key]
        old = _items(change.field, _get(stored, change.field)).get(change.item_key)
        return theirs if old is None else fill_uncarried(theirs, old, change.field + "[].",
                                                         frozenset(keep))
    value = _get(incoming, change.field)
    old = _get(stored, change.field)
    if change.field in CASE_FIELD_CLASSES or old is None or value is None:
        return value
    return fill_uncarried(value, old, change.field + ".", frozenset(keep))


def _get(case: Case, path: str) -> Any:
    value: Any = case
    for part in path.split("."):
        value = value.get(part) if isinstance(value, ExtraFields) else getattr(value, part)
    return value


def _set(value: Any, path: str, new: Any) -> Any:
    if isinstance(value, ExtraFields):
        return value.with_value(path, new)
    head, _, rest = path.partition(".")
    if not rest:
        return dataclasses.replace(value, **{head: new})
    return dataclasses.replace(value, **{head: _set(getattr(value, head), rest, new)})


def apply_changes(stored: Case, incoming: Case, accepted: Iterable[FieldChange],
                  keep: Collection[str], on: date, reason: str) -> Case:
    """``stored`` with the accepted changes applied; the lifecycle goes through transitions.

    Raises:
        TransitionError: the status, screening or a request cannot move as received.
        ValidationError: a change no longer applies (its list item changed meanwhile).
    """
    case = stored
    status: CaseStatus | None = None
    for change in accepted:
        new = _value(incoming, stored, change, keep)
        if change.field == "status":
            status = new
        elif change.field == "screening" or change.field.startswith("screening."):
            case, _ = case.record_screening(_set(case, change.field, new).screening)
        elif change.item_key is not None:
            case = _put_item(case, change, new)
        else:
            case = _set(case, change.field, new)
    if status is not None and status is not case.status:
        case, _ = case.transition(status, on, closure=case.closure, reason=reason)
    return case


def _put_item(case: Case, change: FieldChange, item: Any) -> Case:
    items = _get(case, change.field)
    key = KEYS[change.field]
    if change.field == "verifications":
        if any(key(v) == change.item_key for v in items):
            case, _ = case.replace_verification(item)
            return case
        if any(v.request_id == item.request_id for v in items):
            # Both desks numbered a different request alike: the received one gets a new id.
            taken = {v.request_id for v in items}
            free = next(f"V{n}" for n in range(1, len(taken) + 2) if f"V{n}" not in taken)
            item = dataclasses.replace(item, request_id=free)
        case, _ = case.add_verification(item)
        return case
    if change.ours is not None and not any(key(v) == change.item_key for v in items):
        raise ValidationError("inbox_change_outdated", field=change.field)
    kept = tuple(item if key(v) == change.item_key else v for v in items)
    if change.ours is None:
        kept = (*items, item)
    updated: Case = _set(case, change.field, kept)
    return updated
