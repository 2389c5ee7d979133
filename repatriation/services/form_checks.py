"""Checks on form data before it is printed, and the content digest its footer and QR code carry.

:func:`validate` names a missing mandatory field
(``ValidationError("missing_field", field="persons[3].person.full_name")``).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import fields, is_dataclass, replace
from enum import StrEnum
from typing import Any

from repatriation.domain.codec import to_jsonable
from repatriation.domain.errors import ValidationError
from repatriation.services.form_data import (
    BiText,
    FormData,
    HandoverMinutesData,
    IntakeReportData,
    InternalHandoverData,
    ReceptionRecordData,
    ReferralSummaryData,
    VerificationReplyData,
    VerificationRequestData,
)

QR_PREFIX = "RDESK1"  # bump when the QR payload layout changes

# Mandatory dotted paths ("[]" walks a tuple); foreign officials and police may be handwritten.
MANDATORY: dict[type, tuple[str, ...]] = {
    HandoverMinutesData: (
        "handed_at", "place.name", "vn_side", "vn_side[].full_name", "foreign_side[].full_name",
        "persons", "persons[].person.full_name",
    ),
    InternalHandoverData: (
        "handed_at", "place.name", "from_unit", "to_unit", "from_side", "from_side[].full_name",
        "to_side[].full_name", "persons", "persons[].person.full_name",
    ),
    ReceptionRecordData: ("arrived_at", "facility", "child.full_name"),
    VerificationRequestData: ("from_agency", "to_agency", "subject.full_name", "request_id"),
    VerificationReplyData: ("from_agency", "to_agency", "subject.full_name", "request_number"),
    ReferralSummaryData: ("from_agency", "to_body", "reason", "child.full_name"),
    IntakeReportData: ("receiving_agency", "received_at", "child.full_name"),
}
_META_MANDATORY = ("form_id", "document_number", "record_reference", "place_date", "issuing_body")


def _blank(value: Any) -> bool:
    if isinstance(value, BiText):
        return value.blank
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == ()


def _walk(value: Any, path: list[str], shown: str) -> list[tuple[str, Any]]:
    if not path:
        return [(shown, value)]
    name, rest = path[0].removesuffix("[]"), path[1:]
    child = getattr(value, name)
    if path[0].endswith("[]"):
        return [p for i, item in enumerate(child) for p in _walk(item, rest, f"{shown}{name}[{i}].")]
    return _walk(child, rest, f"{shown}{name}" + ("." if rest else ""))


def validate(data: FormData) -> None:
    """Check the mandatory fields of a form.

    Raises:
        ValidationError: ``missing_field`` with ``field`` (dotted path) and ``form``.
    """
    form = data.meta.form_id
    for name in _META_MANDATORY:
        if _blank(getattr(data.meta, name)):
            raise ValidationError("missing_field", field=f"meta.{name}", form=form)
    if "|" in data.meta.document_number:
        raise ValidationError("invalid_value", field="meta.document_number", form=form)
    for dotted in MANDATORY[type(data)]:
        for shown, value in _walk(data, dotted.split("."), ""):
            if _blank(value):
                raise ValidationError("missing_field", field=shown.rstrip("."), form=form)


def normalised(data: Any) -> Any:
    """A copy with every string NFC-normalised (dataclasses, tuples and BiText alike)."""
    if isinstance(data, str) and not isinstance(data, StrEnum):
        return unicodedata.normalize("NFC", data)
    if isinstance(data, tuple):
        return tuple(normalised(item) for item in data)
    if is_dataclass(data) and not isinstance(data, type):
        changes = {f.name: normalised(getattr(data, f.name)) for f in fields(data)}
        return replace(data, **changes)
    return data


def form_digest(data: FormData) -> str:
    """SHA-256 (hex) of the form's canonical JSON, printed in the footer and audited.

    The moment of printing is left out: a reprint of the same content has the same digest.
    """
    document = to_jsonable(normalised(data))
    document["meta"].pop("generated_at", None)
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def qr_payload(data: FormData) -> str:
    """Text of the QR code: prefix, form id, document number and content hash."""
    meta = data.meta
    return f"{QR_PREFIX}|{meta.form_id}|{meta.document_number}|{form_digest(data)}"
