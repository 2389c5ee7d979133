"""``cases.json`` inside a bundle: minimised cases out, strictly validated cases in.

Document: ``{"schema_version": 1, "policy": {...}, "cases": [<Case as JSON>, ...]}``. Reading
uses the strict JSON loader (duplicates, NaN, depth, size) and the domain's type-driven codec
(unknown fields, wrong types); any problem is a ``SchemaError`` naming the JSON path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from repatriation.domain.bundle_errors import SchemaError
from repatriation.domain.bundle_limits import Limits
from repatriation.domain.bundle_manifest import CASES_NAME, SCHEMA_VERSION
from repatriation.domain.case import Case
from repatriation.domain.codec import from_jsonable, to_jsonable
from repatriation.domain.errors import ValidationError
from repatriation.domain.strict_json import canonical_json, loads_strict
from repatriation.services.bundle_policy import SharePolicy, policy_from_json

MAX_CASES = 20_000


@dataclass(frozen=True)
class BundleCases:
    """The decoded content of ``cases.json``."""

    policy: SharePolicy
    cases: tuple[Case, ...]


def encode_cases(cases: Sequence[Case], policy: SharePolicy) -> bytes:
    """Canonical JSON for already minimised cases."""
    return canonical_json({
        "schema_version": SCHEMA_VERSION, "policy": policy.to_json(),
        "cases": [to_jsonable(c) for c in cases],
    })


def decode_cases(data: bytes, limits: Limits) -> BundleCases:
    """Parse ``cases.json``; refuses anything that is not exactly our schema."""
    doc = loads_strict(data, what=CASES_NAME, max_bytes=limits.max_json_bytes,
                       max_depth=limits.max_json_depth)
    if not isinstance(doc, dict) or set(doc) != {"schema_version", "policy", "cases"}:
        raise SchemaError(CASES_NAME, "$", reason="fields")
    if doc["schema_version"] != SCHEMA_VERSION:
        raise SchemaError(CASES_NAME, "$.schema_version", reason="version")
    try:
        policy = policy_from_json(doc["policy"])
    except ValidationError as exc:
        raise SchemaError(CASES_NAME, "$.policy", reason=exc.code) from None
    items = doc["cases"]
    if not isinstance(items, list) or len(items) > MAX_CASES:
        raise SchemaError(CASES_NAME, "$.cases", reason="not_a_list_or_too_long")
    cases: list[Case] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        path = f"$.cases[{index}]"
        if not isinstance(item, dict) or "global_id" not in item:
            # Matching is by global id only: a case without one cannot be placed safely.
            raise SchemaError(CASES_NAME, path, reason="missing_field", field="global_id")
        try:
            case = from_jsonable(Case, item, path)
        except ValidationError as exc:
            where = str(exc.params.get("path", path))
            raise SchemaError(CASES_NAME, where, reason=exc.code,
                              field=str(exc.params.get("field", ""))) from None
        if case.global_id in seen:
            raise SchemaError(CASES_NAME, path, reason="duplicate_case")
        seen.add(case.global_id)
        cases.append(case)
    return BundleCases(policy, tuple(cases))
