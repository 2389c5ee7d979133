"""The field registry's machinery: what one declaration of a case field says, and added fields' values.

A :class:`CaseField` declares one field once: its class (who may see it), its label msgid, its
import column(s), the form slots it prints in, which recipients a bundle carries it to, and what
anonymisation does with it. The fields the Case dataclasses hold are declared in
``domain/case_fields.py``; a field added later (a new question at intake) is :func:`register`-ed
and its values live in ``Case.extra_fields`` (stored in the case's JSON document, carried in
bundles), so no dataclass, table or service changes for it.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from repatriation.domain.errors import ValidationError


def N_(message: str) -> str:  # the gettext marker tools/update_catalogs.py extracts
    """Mark a label msgid for extraction (the domain imports no translator)."""
    return message


class FieldClass(StrEnum):
    """How sensitive a field is; the permission matrix grants actions per class."""

    BASIC = "basic"
    SENSITIVE = "sensitive"
    CHILD_PRIVATE = "child_private"


class Share(StrEnum):
    """Which recipients a bundle carries a field to (and so which senders may change it here)."""

    EVERYONE = "everyone"  # identity and handover data: foreign counterparts too
    DOMESTIC = "domestic"  # Vietnamese posts and reception centres
    HEALTH = "health"  # domestic; to reception centres by default, to posts when asked for
    NARRATIVE = "narrative"  # domestic, only when asked for (the exploitation story)


class Anonymise(StrEnum):
    """What the retention job does with a field."""

    KEEP = "keep"  # a dimension the statistics count by
    BLANK = "blank"  # identity or free text: removed


class FormSlot(StrEnum):
    """Where a field prints on the forms (``forms/`` lays each slot out)."""

    PARTICULARS = "particulars"  # the person's particulars table (reception record, requests)


Scalar = str | int | bool | date
EXTRA_PREFIX = "extra_fields."
_SCALAR_TYPES: tuple[type, ...] = (str, int, bool, date)


@dataclass(frozen=True)
class CaseField:
    """One case field, declared once."""

    name: str  # the code used by corrections, errors and labels
    path: str  # where the value lives in the Case ("person.sex"; "extra_fields.<name>")
    field_class: FieldClass
    label: str  # msgid (messages catalog)
    share: Share
    anonymise: Anonymise = Anonymise.BLANK
    columns: tuple[str, ...] = ()  # import columns (CSV header / JSON keys)
    value_type: type = str  # for an added field: str, int, bool or date
    form_slots: tuple[FormSlot, ...] = ()

    def __post_init__(self) -> None:
        # The recipient rules of domain.md: nothing sensitive abroad, the story only on request.
        if self.share is Share.EVERYONE and self.field_class is not FieldClass.BASIC:
            raise ValueError(f"{self.name}: only basic fields go to foreign counterparts")
        if self.field_class is FieldClass.CHILD_PRIVATE and self.share is not Share.NARRATIVE:
            raise ValueError(f"{self.name}: child-private fields travel only on request")

    @property
    def is_extra(self) -> bool:
        """Whether the value lives in ``Case.extra_fields`` (a field registered after the fact)."""
        return self.path.startswith(EXTRA_PREFIX)


def extra_field(name: str, field_class: FieldClass, label: str, share: Share, *,
                anonymise: Anonymise = Anonymise.BLANK, value_type: type = str,
                columns: tuple[str, ...] | None = None,
                form_slots: tuple[FormSlot, ...] = (FormSlot.PARTICULARS,)) -> CaseField:
    """The declaration of an added field: its value in ``extra_fields``, imported from ``name``."""
    if value_type not in _SCALAR_TYPES:
        raise ValueError(f"{name}: an added field holds text, a whole number, yes/no or a date")
    return CaseField(name, EXTRA_PREFIX + name, field_class, label, share, anonymise,
                     (name,) if columns is None else columns, value_type, form_slots)


class ExtraFields(Mapping[str, Scalar]):
    """The values of registered added fields, by name: immutable, hashable, absent when blank."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Scalar] | None = None) -> None:
        self._data: dict[str, Scalar] = dict(sorted((data or {}).items()))

    def __getitem__(self, key: str) -> Scalar:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(tuple(self._data.items()))

    def __repr__(self) -> str:
        return f"ExtraFields({self._data!r})"

    def with_value(self, name: str, value: Scalar | None) -> ExtraFields:
        """A copy with ``name`` set (``None``: removed)."""
        data = {k: v for k, v in self._data.items() if k != name}
        if value is not None:
            data[name] = value
        return ExtraFields(data)


_EXTRAS: dict[str, CaseField] = {}
_listeners: list[Callable[[], None]] = []


def on_change(listener: Callable[[], None]) -> None:
    """Call ``listener`` after every (un)registration (tables derived from the registry)."""
    _listeners.append(listener)


def register(spec: CaseField, *, taken: Callable[[str], bool] = lambda _: False) -> None:
    """Add a field whose values live in ``Case.extra_fields``.

    Args:
        spec: an :func:`extra_field` declaration.
        taken: whether a name or column is already used by a declared field.

    Raises:
        ValueError: not an added field, or its name or a column is already taken.
    """
    if not spec.is_extra:
        raise ValueError(f"{spec.name}: only fields kept in extra_fields can be registered")
    if spec.name in _EXTRAS or taken(spec.name) or any(taken(c) for c in spec.columns):
        raise ValueError(f"{spec.name}: the name or a column is taken")
    _EXTRAS[spec.name] = spec
    for listener in _listeners:
        listener()


def unregister(name: str) -> None:
    """Remove an added field (tests; stored values of it then no longer load)."""
    del _EXTRAS[name]
    for listener in _listeners:
        listener()


@contextlib.contextmanager
def registered(spec: CaseField, *, taken: Callable[[str], bool] = lambda _: False
               ) -> Iterator[CaseField]:
    """:func:`register` for the duration of a ``with`` block."""
    register(spec, taken=taken)
    try:
        yield spec
    finally:
        unregister(spec.name)


def extra_fields() -> tuple[CaseField, ...]:
    """The added fields, in registration order."""
    return tuple(_EXTRAS.values())


def extra_named(name: str) -> CaseField | None:
    """The added field called ``name``, if one is registered."""
    return _EXTRAS.get(name)


_YES, _NO = frozenset({"yes", "true", "1"}), frozenset({"no", "false", "0"})


def parse_text(spec: CaseField, text: str) -> Scalar | None:
    """An added field's value typed as text (import cells); ``None`` for blank text.

    Raises:
        ValidationError: ``bad_value`` naming the field.
    """
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        return None
    kind = spec.value_type
    if kind is str:
        return text
    if kind is bool and text.lower() in _YES | _NO:
        return text.lower() in _YES
    if kind is int and text.isascii() and text.isdigit():
        return int(text)
    if kind is date:
        with contextlib.suppress(ValueError):
            return date.fromisoformat(text)
    raise ValidationError("bad_value", field=spec.name, value=text[:40])


def encode_extras(values: ExtraFields) -> dict[str, Any]:
    """Plain JSON for the stored document and bundles (dates as ISO text)."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def _decode_one(spec: CaseField, data: Any, path: str) -> Scalar:
    kind = spec.value_type
    if kind is date and isinstance(data, str):
        try:
            return date.fromisoformat(data)
        except ValueError:
            raise ValidationError("bad_date", path=path, value=data[:40]) from None
    if (kind is int and type(data) is int) or (kind is bool and type(data) is bool):
        return data
    if kind is str and isinstance(data, str):
        return unicodedata.normalize("NFC", data)
    raise ValidationError("wrong_type", path=path, expected=kind.__name__)


def decode_extras(data: Any, path: str) -> ExtraFields:
    """Added fields' values read back: every name registered, every value of its type.

    Raises:
        ValidationError: not an object, an unknown name (``unknown_field``), a wrong value.
    """
    if not isinstance(data, dict):
        raise ValidationError("wrong_type", path=path, expected="object")
    values: dict[str, Scalar] = {}
    for name, value in data.items():
        spec = _EXTRAS.get(name)
        if spec is None:
            raise ValidationError("unknown_field", path=path, field=str(name)[:64])
        values[name] = _decode_one(spec, value, f"{path}.{name}")
    return ExtraFields(values)
