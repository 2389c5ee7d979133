"""Field sensitivity classes for every field of a Case, and minimisation: redact, diff, restore.

Classes follow domain.md section 5: *basic* is what every operational role needs to identify and
move a person (names, age, documents, status); *sensitive* is personal data the care chain needs
(health, ethnicity, residence, family, services: Decree 13/2023, PDPL 91/2025); *child_private*
is the exploitation story, which Decree 56/2017 art. 33 treats as the child's private secret.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType, UnionType
from typing import Any, get_args, get_origin, get_type_hints

from repatriation.domain import fields
from repatriation.domain.case import Case
from repatriation.domain.case_fields import all_fields
from repatriation.domain.fields import ExtraFields
from repatriation.domain.fields import FieldClass as FieldClass

_B, _S, _C = FieldClass.BASIC, FieldClass.SENSITIVE, FieldClass.CHILD_PRIVATE

# Parts of the case whose items carry several classes, by path ("a.b" for a nested field, "a[]"
# for the items of a tuple). Every other field is declared once in ``domain/case_fields.py``.
_TREES: Mapping[str, FieldClass] = MappingProxyType(
    {
        "screening.status": _B,
        "screening.decided_on": _B,
        "screening.decided_by": _B,
        "screening.legal_basis": _B,
        "screening.exploitation_forms": _C,
        "verifications[].request_id": _B,
        "verifications[].kind": _B,
        "verifications[].requested_by": _B,
        "verifications[].requested_to": _B,
        "verifications[].subject": _B,
        "verifications[].sent_on": _B,
        "verifications[].due_on": _B,
        "verifications[].rule_code": _B,
        "verifications[].legal_reference": _B,
        "verifications[].received_on": _B,
        "verifications[].outcome": _B,
        "verifications[].reply": _S,  # may carry DNA results (genetic data)
        "consents[].subject": _B,  # everyone who shares must see whether consent exists
        "consents[].scope": _B,
        "consents[].given": _B,
        "consents[].recorded_on": _B,
        "consents[].law_enforcement_exemption": _B,
        "consents[].withdrawn_on": _B,
        "consents[].given_by": _S,
        "closure.closed_on": _B,
        "closure.outcome": _B,
        "closure.notes": _S,
        # A correction has the class of the field it corrects (domain/corrections.py).
        "corrections.basic": _B,
        "corrections.sensitive": _S,
        "corrections.child_private": _C,
    }
)
_CLASSES: dict[str, FieldClass] = {}


def _rebuild() -> None:
    # Updated in place: the read-only view below stays the one every module imported.
    _CLASSES.clear()
    _CLASSES.update({spec.path: spec.field_class for spec in all_fields()})
    _CLASSES.update(_TREES)


_rebuild()
fields.on_change(_rebuild)

# Every leaf of the Case tree, by path; an added field's is "extra_fields.<name>".
# A path not listed must be a record whose own fields are all listed (tests walk the types).
CASE_FIELD_CLASSES: Mapping[str, FieldClass] = MappingProxyType(_CLASSES)


# Fields of a handover batch's person line: what travels with the person is basic, their
# health at the handover is health data like ``health_notes``.
BATCH_MEMBER_FIELD_CLASSES: Mapping[str, FieldClass] = MappingProxyType(
    {
        "case_reference": _B,
        "belongings": _B,
        "documents": _B,
        "health_state": _S,
        "signature": _B,
        "witnessed_by": _B,
    }
)

# Audit entries about a case carry codes in their details; some codes describe a classified
# field (the forms of exploitation, the shelter, the services given). The details of such an
# entry have the class of that field; every other entry's details are basic.
EVENT_DETAIL_CLASSES: Mapping[str, FieldClass] = MappingProxyType(
    {
        "screening_recorded": _C,  # the forms of exploitation found
        "reception_recorded": _S,  # the shelter
        "support_recorded": _S,
        "follow_up_recorded": _S,
        "family_assessed": _S,
        "referred": _S,
    }
)


@dataclass(frozen=True)
class Redacted:
    """A case with some classes blanked, and the field paths that were blanked."""

    case: Case
    hidden: tuple[str, ...]
    hidden_classes: frozenset[FieldClass]


@dataclass(frozen=True)
class FieldChange:
    """One classified field whose value differs between two versions of a case."""

    path: str  # concrete path with indexes, e.g. "consents[2].given_by"
    class_path: str  # the key in ``CASE_FIELD_CLASSES``, e.g. "consents[].given_by"
    field_class: FieldClass
    before: Any
    after: Any
    visible_blank: bool  # the new value is the blank a redacted view would show


def paths_of(field_class: FieldClass) -> tuple[str, ...]:
    """The field paths of one class, sorted.

    Args:
        field_class: the class asked for.

    Returns:
        The paths in ``CASE_FIELD_CLASSES`` with that class.
    """
    return tuple(sorted(p for p, k in CASE_FIELD_CLASSES.items() if k is field_class))


_HINTS: dict[Any, dict[str, Any]] = {}


def type_hints(cls: Any) -> dict[str, Any]:
    """The resolved type hints of a dataclass, cached per class (resolving costs ~0.4 ms)."""
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = get_type_hints(cls)
    return hints


def blank_for(tp: Any) -> Any:
    """The value a redacted field of type ``tp`` shows: empty text, empty tuple, ``None``...

    Args:
        tp: a type hint from the domain dataclasses.

    Returns:
        The blank value.

    Raises:
        TypeError: for a type that has no blank (such a field may not be redactable).
    """
    origin = get_origin(tp)
    if origin in (typing.Union, UnionType) and type(None) in get_args(tp):
        return None
    if origin in (tuple, frozenset):
        return origin()
    if tp is str:
        return ""
    if tp is bool:
        return False
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return tp()
    raise TypeError(f"no blank value for {tp!r}")


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


LeafFn = Callable[[str, str, Any, Any], Any]  # (concrete path, class path, value, type) -> value


def _map_record(value: Any, concrete: str, class_path: str, fn: LeafFn) -> Any:
    changes: dict[str, Any] = {}
    hints = type_hints(type(value))
    for fld in dataclasses.fields(value):
        sub_concrete, sub_class = _join(concrete, fld.name), _join(class_path, fld.name)
        old = getattr(value, fld.name)
        new = _map_value(old, hints[fld.name], sub_concrete, sub_class, fn)
        if new is not old:
            changes[fld.name] = new
    return dataclasses.replace(value, **changes) if changes else value


def _extra_leaves(value: ExtraFields, class_path: str) -> Iterator[tuple[str, Any, Any]]:
    """(name, value or None, type) of every registered added field, present or not.

    Absent ones are visited too, so a blank echo finds its stored value to restore. A value
    under a name nobody registered has no class: refused, like any unclassified field.
    """
    unknown = set(value) - {spec.name for spec in fields.extra_fields()}
    if unknown:
        raise KeyError(f"unclassified field {class_path}.{sorted(unknown)[0]}")
    for spec in fields.extra_fields():
        yield spec.name, value.get(spec.name), spec.value_type | None


def _map_extras(value: ExtraFields, concrete: str, class_path: str, fn: LeafFn) -> ExtraFields:
    result = value
    for name, old, tp in _extra_leaves(value, class_path):
        new = fn(f"{concrete}.{name}", f"{class_path}.{name}", old, tp)
        if new is not old:
            result = result.with_value(name, new)
    return result


def _map_value(value: Any, tp: Any, concrete: str, class_path: str, fn: LeafFn) -> Any:
    if class_path in CASE_FIELD_CLASSES:
        return fn(concrete, class_path, value, tp)
    if value is None:
        return None
    if isinstance(value, ExtraFields):
        return _map_extras(value, concrete, class_path, fn)
    if isinstance(value, tuple):
        items = [
            _map_record(item, f"{concrete}[{i}]", f"{class_path}[]", fn)
            for i, item in enumerate(value)
        ]
        return tuple(items) if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if dataclasses.is_dataclass(value):
        return _map_record(value, concrete, class_path, fn)
    raise KeyError(f"unclassified field {class_path}")


def map_leaves(case: Case, fn: LeafFn) -> Case:
    """Rebuild ``case`` with ``fn`` applied to every classified field (a new frozen Case).

    Args:
        case: the case to transform.
        fn: called as ``fn(concrete_path, class_path, value, type_hint)``; returns the new value.

    Returns:
        The transformed case (``case`` itself when nothing changed).
    """
    return typing.cast(Case, _map_record(case, "", "", fn))


def _flatten(value: Any, concrete: str, class_path: str, tp: Any) -> Iterator[tuple[str, str, Any, Any]]:
    if class_path in CASE_FIELD_CLASSES:
        yield concrete, class_path, value, tp
        return
    if value is None:
        return
    if isinstance(value, ExtraFields):
        for name, item, item_type in _extra_leaves(value, class_path):
            yield f"{concrete}.{name}", f"{class_path}.{name}", item, item_type
        return
    if isinstance(value, tuple):
        item_type = get_args(tp)[0]
        for i, item in enumerate(value):
            yield from _flatten(item, f"{concrete}[{i}]", f"{class_path}[]", item_type)
        return
    hints = type_hints(type(value))
    for fld in dataclasses.fields(value):
        yield from _flatten(
            getattr(value, fld.name),
            _join(concrete, fld.name),
            _join(class_path, fld.name),
            hints[fld.name],
        )


def leaves(case: Case) -> dict[str, tuple[str, Any, Any]]:
    """Every classified field of ``case``: concrete path -> (class path, value, type hint)."""
    return {c: (k, v, t) for c, k, v, t in _flatten(case, "", "", Case)}


def redact_case(case: Case, hidden: Collection[FieldClass]) -> Redacted:
    """Blank every field whose class is in ``hidden``; report the paths blanked.

    The list names every hidden path whether or not it held data, so it does not reveal which
    hidden fields were filled in.

    Args:
        case: the full case.
        hidden: the classes the reader may not see.

    Returns:
        The redacted case and the blanked field paths.
    """
    hidden_set = frozenset(hidden)

    def blank(_concrete: str, class_path: str, value: Any, tp: Any) -> Any:
        if CASE_FIELD_CLASSES[class_path] in hidden_set:
            empty = blank_for(tp)
            return value if value == empty else empty
        return value

    paths = tuple(sorted(p for p, k in CASE_FIELD_CLASSES.items() if k in hidden_set))
    return Redacted(map_leaves(case, blank), paths, hidden_set)


def changed_fields(before: Case, after: Case) -> list[FieldChange]:
    """The classified fields that differ between two versions of a case.

    An item added to (or removed from) a list compares against blank values, so adding a
    consent with an empty ``given_by`` does not count as a change of ``given_by``.
    """
    old, new = leaves(before), leaves(after)
    changes = []
    for path in sorted(old.keys() | new.keys()):
        class_path, _, tp = old.get(path) or new[path]
        empty = blank_for_or_none(tp)
        before_value = old[path][1] if path in old else empty
        after_value = new[path][1] if path in new else empty
        if before_value != after_value:
            changes.append(
                FieldChange(
                    path,
                    class_path,
                    CASE_FIELD_CLASSES[class_path],
                    before_value,
                    after_value,
                    after_value == empty,
                )
            )
    return changes


def blank_for_or_none(tp: Any) -> Any:
    """Like :func:`blank_for`, but ``None`` for types without a blank (dates, enums...)."""
    try:
        return blank_for(tp)
    except TypeError:
        return None


def restore_paths(submitted: Case, stored: Case, paths: Collection[str]) -> Case:
    """Put the stored values back at the concrete ``paths`` (a redacted echo must not erase data).

    Args:
        submitted: the case as the caller wants to save it.
        stored: the case as stored.
        paths: concrete paths (from :func:`changed_fields`) to take from ``stored``.

    Returns:
        ``submitted`` with those fields restored; paths absent from ``stored`` are left as they are.
    """
    wanted = set(paths)
    if not wanted:
        return submitted
    old = leaves(stored)

    def restore(concrete: str, _class_path: str, value: Any, _tp: Any) -> Any:
        return old[concrete][1] if concrete in wanted and concrete in old else value

    return map_leaves(submitted, restore)
