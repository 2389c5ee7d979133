"""Words for corrected values: the history and the correction dialog show labels, never codes.

A value kept in a correction is read back with ``intake_fields.from_text`` and written here as
the case page writes it (enum labels, dd/mm/yyyy, names of gates, groups, languages and
countries; countries in the desk's language from CLDR through Babel).
"""

from __future__ import annotations

from typing import Any

from i18n.formatting import locale_for
from repatriation.domain.corrections import Correction
from repatriation.domain.errors import DomainError, NotFoundError
from repatriation.reference import ReferenceData
from repatriation.services import intake_fields
from repatriation.services.intake_fields import IntakeField
from ui.labels import Labels

# Countries offered for a nationality or an issuing country: the corridors' and "not known".
COUNTRIES = ("VN", "CN", "LA", "KH", "TH", "XX")


def country_name(code: str, labels: Labels) -> str:
    """A country in the desk's language ("XX": not known or stateless)."""
    if code == "XX":
        return labels.gt("Not known or stateless")
    territories = locale_for(labels.translator.language).territories
    return str(territories.get(code, code))


def ethnic_name(code: str, reference: ReferenceData | None) -> str:
    """An ethnic group's name (its code only when the reference data does not know it)."""
    try:
        return str(reference.ethnic(code).name_vi) if reference is not None else code
    except NotFoundError:
        return code


def documents_text(documents: Any, labels: Labels) -> str:
    """'Passport B1234567 (China); Citizen ID ...'."""
    parts = []
    for doc in documents:
        country = f" ({country_name(doc.issuer, labels)})" if doc.issuer else ""
        parts.append(f"{labels.enum(doc.kind)} {doc.number}{country}")
    return "; ".join(parts)


def family_text(members: Any, labels: Labels) -> str:
    """'Mother: Giàng Thị Mai (1985), guardian; Father: ...'."""
    parts = []
    for member in members:
        text = f"{labels.relation(member.relation)}: {member.full_name}"
        if member.birth_year:
            text += f" ({member.birth_year})"
        if member.is_guardian or member.is_legal_representative:
            text += ", " + labels.gt("guardian")
        parts.append(text)
    return "; ".join(parts)


def value_text(spec: IntakeField, value: Any, labels: Labels,  # noqa: C901 - one line per kind
               reference: ReferenceData | None) -> str:
    """A field's value as the case page shows it; an empty value says so."""
    gt = labels.gt
    if value is None or value == "" or value == ():
        return gt("(none)") if spec.kind in ("documents", "family") else gt("(empty)")
    if spec.kind == "enum":
        return labels.enum(value)
    if spec.kind == "date":
        return labels.date(value)
    if spec.kind == "bool":
        return gt("Yes") if value else gt("No")
    if spec.kind == "names":
        return ", ".join(value)
    if spec.kind == "ethnic":
        return ethnic_name(value, reference)
    if spec.kind == "gate":
        return labels.gate(value)
    if spec.kind == "country":
        return country_name(value, labels)
    if spec.kind == "language":
        return labels.spoken_language(value)
    if spec.kind == "documents":
        return documents_text(value, labels)
    if spec.kind == "family":
        return family_text(value, labels)
    return str(value)


def kept_text(item: Correction, which: str, labels: Labels, reference: ReferenceData | None) -> str:
    """The old (``before``) or new (``after``) value of a correction, in words."""
    spec = intake_fields.lookup(item.field)
    text = getattr(item, which)
    if spec is None:
        return str(text)
    try:
        return value_text(spec, intake_fields.from_text(spec, text), labels, reference)
    except (DomainError, ValueError):
        return str(text)
