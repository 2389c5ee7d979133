"""A strict, type-driven JSON codec for the frozen domain dataclasses (storage, bundles, imports).

Decoding follows the type hints, refuses unknown keys and wrong types, and NFC-normalises text,
so a malformed document fails with the path of the offending field.
"""

from __future__ import annotations

import dataclasses
import types
import typing
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

from repatriation.domain.errors import ValidationError
from repatriation.domain.fields import ExtraFields, decode_extras, encode_extras

T = TypeVar("T")


_PLAIN = frozenset({str, int, float, bool, type(None)})
Encoder = Callable[[Any], Any]
_encoders: dict[type, Encoder] = {}


def _identity(value: Any) -> Any:
    return value


def _enum_value(value: Enum) -> Any:
    return value.value


def _iso(value: date) -> str:
    return value.isoformat()


def _encoder_for(tp: Any) -> Encoder:  # noqa: C901 - one branch per kind of type
    """An encoder chosen once from the type hint, so encoding does no isinstance chains."""
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in get_args(tp) if a is not type(None)]
        if len(inner) != 1:
            return to_jsonable
        encode_inner = _encoder_for(inner[0])
        if encode_inner is _identity:
            return _identity
        return lambda v: None if v is None else encode_inner(v)
    if origin in (tuple, list):
        encode_item = _encoder_for(get_args(tp)[0])
        return list if encode_item is _identity else (lambda v: [encode_item(x) for x in v])
    if origin is frozenset:
        encode_member = _encoder_for(get_args(tp)[0])
        return lambda v: sorted(encode_member(x) for x in v)
    if tp is ExtraFields:
        return encode_extras
    if tp in _PLAIN:
        return _identity
    if isinstance(tp, type) and issubclass(tp, Enum):
        return _enum_value
    if tp in (date, datetime):
        return _iso
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_encoder(tp)
    return to_jsonable


def _dataclass_encoder(cls: type) -> Encoder:
    # Built once per class: the generic walk was the hot spot of a 10,000-case import.
    encoder = _encoders.get(cls)
    if encoder is None:
        hints = _hints(cls)
        fields = dataclasses.fields(cls)
        pairs = tuple((f.name, _encoder_for(hints[f.name])) for f in fields)
        # A field marked ``omit_empty`` is left out while empty (documents from before it existed
        # keep their bytes, so their hashes too).
        optional = frozenset(f.name for f in fields if f.metadata.get("omit_empty"))

        def encoder(value: Any) -> dict[str, Any]:
            document = {name: encode(getattr(value, name)) for name, encode in pairs}
            for name in optional:
                if not document[name]:
                    del document[name]
            return document

        _encoders[cls] = encoder
    return encoder


def to_jsonable(value: Any) -> Any:
    """Turn a dataclass tree into plain JSON types (dates as ISO strings, enums as codes)."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if hasattr(kind, "__dataclass_fields__"):
        return _dataclass_encoder(kind)(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_jsonable(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(to_jsonable(v) for v in value)
    if isinstance(value, ExtraFields):
        return encode_extras(value)
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def from_jsonable(cls: type[T], data: Any, path: str = "$") -> T:
    """Build ``cls`` from plain JSON data, validating every field against its type hint."""
    return typing.cast(T, _decode(cls, data, path))


def _decode(tp: Any, data: Any, path: str) -> Any:  # noqa: C901 - one branch per JSON kind
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = get_args(tp)
        if data is None and type(None) in args:
            return None
        non_none = [a for a in args if a is not type(None)]
        return _decode(non_none[0], data, path)
    if tp is Any:
        return data
    if tp is ExtraFields:
        return decode_extras(data, path)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _decode_dataclass(tp, data, path)
    if origin in (tuple, frozenset, list):
        if not isinstance(data, list):
            raise ValidationError("wrong_type", path=path, expected="list")
        item_type = get_args(tp)[0]
        items = [_decode(item_type, v, f"{path}[{i}]") for i, v in enumerate(data)]
        return origin(items)
    if origin is dict:
        if not isinstance(data, dict):
            raise ValidationError("wrong_type", path=path, expected="object")
        value_type = get_args(tp)[1]
        return {str(k): _decode(value_type, v, f"{path}.{k}") for k, v in data.items()}
    if isinstance(tp, type) and issubclass(tp, Enum):
        try:
            return tp(data)
        except ValueError:
            raise ValidationError("unknown_code", path=path, value=str(data)[:40]) from None
    return _decode_scalar(tp, data, path)


# type -> (accepts the JSON value?, expected-kind word for the error, conversion)
_SCALARS: dict[type, tuple[Any, str, Any]] = {
    str: (lambda d: isinstance(d, str), "string", lambda d: unicodedata.normalize("NFC", d)),
    bool: (lambda d: isinstance(d, bool), "boolean", lambda d: d),
    int: (lambda d: isinstance(d, int) and not isinstance(d, bool), "integer", lambda d: d),
    float: (
        lambda d: isinstance(d, int | float) and not isinstance(d, bool),
        "number",
        float,
    ),
}


def _decode_scalar(tp: Any, data: Any, path: str) -> Any:
    if tp is datetime:
        return _parse_temporal(datetime.fromisoformat, data, path)
    if tp is date:
        return _parse_temporal(date.fromisoformat, data, path)
    if tp not in _SCALARS:
        raise ValidationError("unsupported_type", path=path, type=str(tp))
    accepts, expected, convert = _SCALARS[tp]
    if not accepts(data):
        raise ValidationError("wrong_type", path=path, expected=expected)
    return convert(data)


def _parse_temporal(parse: Any, data: Any, path: str) -> Any:
    if not isinstance(data, str):
        raise ValidationError("wrong_type", path=path, expected="ISO date")
    try:
        return parse(data)
    except ValueError:
        raise ValidationError("bad_date", path=path, value=data[:40]) from None


def _decode_dataclass(cls: type, data: Any, path: str) -> Any:
    if not isinstance(data, dict):
        raise ValidationError("wrong_type", path=path, expected="object")
    hints = _hints(cls)
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = set(data) - set(known)
    if unknown:
        raise ValidationError("unknown_field", path=path, field=sorted(unknown)[0])
    kwargs: dict[str, Any] = {}
    for name, fld in known.items():
        if name in data:
            kwargs[name] = _decode(hints[name], data[name], f"{path}.{name}")
        elif fld.default is dataclasses.MISSING and fld.default_factory is dataclasses.MISSING:
            raise ValidationError("missing_field", path=path, field=name)
    try:
        return cls(**kwargs)
    except ValidationError:
        raise
    except (TypeError, ValueError) as exc:
        raise ValidationError("invalid_value", path=path, reason=type(exc).__name__) from None
