"""A case's history in words: audit actions and their details, never codes or raw JSON.

Audit entries keep codes on purpose (they are checked and compared); the desk shows each known
detail with a translated label and its value translated (statuses, scopes, roles, fields,
dates). Details the desk has no words for are left out rather than shown as codes.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from i18n import N_
from repatriation.domain.fields import extra_named
from ui.labels import ENUM_LABELS, FIELD_LABELS, Labels

ACTIONS: dict[str, str] = {
    "case_opened": N_("Case opened"),
    "case_viewed": N_("Case viewed"),
    "case_view_refused": N_("Opening refused"),
    "person_updated": N_("Particulars changed"),
    "notes_updated": N_("Notes changed"),
    "case_corrected": N_("Record corrected (see Corrections)"),
    "status_changed": N_("Status changed"),
    "screening_recorded": N_("Identification recorded"),
    "verification_requested": N_("Verification requested"),
    "verification_replied": N_("Verification reply recorded"),
    "reception_recorded": N_("Arrival at the centre recorded"),
    "consent_recorded": N_("Consent recorded"),
    "support_recorded": N_("Support recorded"),
    "follow_up_recorded": N_("Follow-up recorded"),
    "family_assessed": N_("Family assessed"),
    "referred": N_("Referred"),
    "batch_planned": N_("Put in a handover batch"),
    "batch_updated": N_("Handover batch changed"),
    "batch_cancelled": N_("Handover batch cancelled"),
    "batch_handed_over": N_("Batch handed over"),
    "cases_imported": N_("Imported"),
    "case_imported": N_("Received in a bundle"),
    "case_updated_by_bundle": N_("Updated from a bundle"),
    "bundle_exported": N_("Sent in a bundle"),
    "form_printed": N_("Form printed"),
    "case_closed": N_("Case closed"),
    "case_anonymised": N_("Anonymised"),
}

DETAIL_KEYS: dict[str, str] = {
    "role": N_("role"),
    "on": N_("on"),
    "source": N_("from"),
    "target": N_("to"),
    "status": N_("result"),
    "outcome": N_("outcome"),
    "kind": N_("kind"),
    "subject": N_("who"),
    "scope": N_("for"),
    "given": N_("consent given"),
    "safe": N_("safe to return"),
    "months": N_("month"),
    "fields": N_("fields"),
    "batch": N_("batch"),
    "batch_reference": N_("batch"),
    "request": N_("request"),
    "facility": N_("facility"),
    "channel": N_("channel"),
    "corridor": N_("corridor"),
    "count": N_("count"),
    "sender": N_("from"),
    "bundle": N_("bundle"),
}
_CODE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$|^[a-z]+$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def action_text(action: str, labels: Labels) -> str:
    message = ACTIONS.get(action)
    return labels.gt(message) if message else labels.gt("Other change")


def _code_text(code: str, labels: Labels) -> str | None:
    for words in ENUM_LABELS.values():
        if code in words:
            return labels.gt(words[code])
    if code in FIELD_LABELS or extra_named(code) is not None:  # a field added in the registry
        return labels.field(code)
    return None


def _value_text(value: Any, labels: Labels) -> str | None:
    if isinstance(value, bool):
        return labels.gt("yes") if value else labels.gt("no")
    if value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        parts = [_value_text(v, labels) for v in value]
        shown = [p for p in parts if p]
        return ", ".join(shown) if shown else None
    text = str(value)
    if _ISO_DATE.match(text):
        return labels.date(date.fromisoformat(text))
    translated = _code_text(text, labels)
    if translated is not None:
        return translated
    return None if _CODE.match(text) else text  # references (LC-2026-000001) are shown; codes are not


def details_text(details: str, labels: Labels) -> str:
    """'from: Received; to: In care; on: 02/03/2026' in the active language."""
    try:
        data = json.loads(details) if details else {}
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    parts = []
    for key, message in DETAIL_KEYS.items():
        if key not in data:
            continue
        value = _value_text(data[key], labels)
        if value:
            parts.append(f"{labels.gt(message)}: {value}")
    return "; ".join(parts)
