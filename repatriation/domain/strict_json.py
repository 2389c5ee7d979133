"""Strict JSON in and canonical JSON out, for manifests and the case data inside bundles.

Python's ``json`` silently keeps the last of duplicate keys, accepts NaN/Infinity (and turns
``1e999`` into infinity), and raises ``RecursionError`` on deep nesting (docs/stack-notes.md, Cryptography).
``loads_strict`` refuses all of these, checks the size before parsing and the depth after, and
refuses lone surrogates that could not be written back as UTF-8.
"""

from __future__ import annotations

import json
import math
from typing import Any

from repatriation.domain.bundle_errors import SchemaError, TooDeepError, TooLargeError


class _Refusal(Exception):
    """Raised inside the ``json`` hooks; turned into a ``SchemaError`` with the reason."""

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refusal("duplicate_key", key=key[:40])
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise _Refusal("non_finite_number", value=name)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refusal("non_finite_number", value=text[:40])
    return value


def loads_strict(data: bytes, *, what: str, max_bytes: int, max_depth: int) -> Any:
    """Parse UTF-8 JSON, refusing oversize, duplicate keys, non-finite numbers and deep nesting.

    Args:
        data: the raw document.
        what: names the document in errors (``manifest.json``, ``cases.json``).
        max_bytes: size cap, checked before parsing.
        max_depth: nesting cap (a scalar at top level has depth 0).

    Returns:
        The parsed value (dicts, lists, str, int, float, bool, None).

    Raises:
        TooLargeError: the document is over ``max_bytes``.
        TooDeepError: nesting exceeds ``max_depth``.
        SchemaError: anything else that is not strict JSON.
    """
    if len(data) > max_bytes:
        raise TooLargeError(what, "", size=len(data), limit=max_bytes)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SchemaError(what, f"byte {exc.start}", reason="not_utf8") from None
    try:
        value = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant,
                           parse_float=_float)
    except _Refusal as exc:
        raise SchemaError(what, "", reason=exc.reason, **exc.params) from None
    except json.JSONDecodeError as exc:
        raise SchemaError(what, f"line {exc.lineno} column {exc.colno}",
                          reason="invalid_json") from None
    except RecursionError:
        raise TooDeepError(what, "", limit=max_depth) from None
    except ValueError:
        # int() refuses numbers with more than 4300 digits (CPython's DoS guard).
        raise SchemaError(what, "", reason="number_too_long") from None
    _check_tree(value, what, max_depth)
    return value


def _check_tree(value: Any, what: str, max_depth: int) -> None:
    """Depth and string checks without recursion (the tree may be hostile).

    Paths are built only for the node that fails: each stack entry keeps a link to its parent
    and its key, because a path string per node cost 288 MB on a 600 KB document (350k siblings
    under a 30-level prefix of 40-character keys), the fuzz smoke run's RSS spikes.
    """
    stack: list[tuple[Any, int, _Where | None]] = [(value, 0, None)]
    while stack:
        node, depth, where = stack.pop()
        if isinstance(node, dict | list):
            if depth + 1 > max_depth:
                raise TooDeepError(what, _path(where), limit=max_depth)
            if isinstance(node, dict):
                for key, child in node.items():
                    _check_text(key, what, where)
                    stack.append((child, depth + 1, (where, key)))
            else:
                stack.extend((child, depth + 1, (where, i)) for i, child in enumerate(node))
        elif isinstance(node, str):
            _check_text(node, what, where)


# (parent, key or index) links from a node up to the root; ``None`` is the root itself.
_Where = tuple[Any, str | int]


def _path(where: _Where | None) -> str:
    """``$.key[3]`` for a chain of parent links (keys cut to 40 characters)."""
    parts: list[str] = []
    while where is not None:
        where, step = where
        parts.append(f"[{step}]" if isinstance(step, int) else f".{step[:40]}")
    return "$" + "".join(reversed(parts))


def _check_text(text: str, what: str, where: _Where | None) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise SchemaError(what, _path(where), reason="lone_surrogate") from None


def canonical_json(value: Any) -> bytes:
    """Deterministic UTF-8 JSON: sorted keys, no spaces, no NaN; what a signature covers."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")
