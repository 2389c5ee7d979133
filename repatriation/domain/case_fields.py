"""The field registry: every field of a Case with one class, declared once, plus the added ones.

The class table (``sensitivity.CASE_FIELD_CLASSES``), the import columns (``services/importing``),
the bundle policies (``services/bundle_policy``), the anonymisation of added fields and the forms'
particulars read these declarations. Parts of the case whose items carry several classes
(screening, verifications, consents, closure, corrections) are declared in ``sensitivity`` itself.
A new field is one :func:`~repatriation.domain.fields.extra_field` registered with
:func:`register`, and the translations of its label.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from repatriation.domain import fields
from repatriation.domain.fields import N_, Anonymise, CaseField, Share
from repatriation.domain.fields import FieldClass as K
from repatriation.domain.fields import FormSlot as Slot

_B, _S, _C = K.BASIC, K.SENSITIVE, K.CHILD_PRIVATE
_ALL, _VN, _HEALTH, _STORY = Share.EVERYONE, Share.DOMESTIC, Share.HEALTH, Share.NARRATIVE
_KEEP, _BLANK = Anonymise.KEEP, Anonymise.BLANK
_P = (Slot.PARTICULARS,)


def _f(name: str, path: str, field_class: K, label: str, share: Share, anonymise: Anonymise,
       columns: tuple[str, ...] = (), slots: tuple[Slot, ...] = ()) -> CaseField:
    return CaseField(name, path, field_class, label, share, anonymise, columns, form_slots=slots)


# In import-column order first, then the fields no import fills. The forms lay out their
# declared fields themselves (``form_slots`` says where each prints); anonymisation of these
# fields is written out in ``domain/anonymise.py`` (a test holds it to ``anonymise`` here).
DECLARED: tuple[CaseField, ...] = (
    _f("family_name", "person.family_name", _B, N_("family name"), _ALL, _BLANK, ("family_name",), _P),
    _f("middle_name", "person.middle_name", _B, N_("middle name"), _ALL, _BLANK, ("middle_name",), _P),
    _f("given_name", "person.given_name", _B, N_("given name"), _ALL, _BLANK, ("given_name",), _P),
    _f("aliases", "person.aliases", _B, N_("other names"), _ALL, _BLANK, ("aliases",), _P),
    _f("sex", "person.sex", _B, N_("sex"), _ALL, _KEEP, ("sex",), _P),
    # Minority decides the procedure, so every role needs the age; anonymised to the ages only.
    _f("birth", "person.birth", _B, N_("date of birth"), _ALL, _KEEP,
       ("date_of_birth", "estimated_age", "estimated_on", "age_confidence"), _P),
    # Ethnicity is sensitive data (Decree 13/2023).
    _f("ethnic_code", "person.ethnic_code", _S, N_("ethnic group"), _VN, _KEEP, ("ethnic_code",), _P),
    _f("nationality", "person.nationality", _B, N_("nationality"), _ALL, _KEEP, ("nationality",), _P),
    _f("preferred_language", "person.preferred_language", _B, N_("language"), _ALL, _KEEP,
       ("preferred_language",), _P),
    _f("channel", "channel", _B, N_("how the person came back"), _ALL, _KEEP, ("channel",)),
    _f("corridor", "corridor", _B, N_("corridor"), _ALL, _KEEP, ("corridor",)),
    _f("received_on", "received_on", _B, N_("day received"), _ALL, _KEEP, ("received_on",)),
    _f("place_kind", "place_kind", _B, N_("kind of place"), _ALL, _KEEP, ("place_kind",)),
    _f("gate_code", "gate_code", _B, N_("border gate"), _ALL, _KEEP, ("gate_code",)),
    _f("place_detail", "place_detail", _B, N_("place"), _ALL, _KEEP, ("place_detail",)),
    # Residence: Decree 62/2012 protective measures; anonymised down to the provinces.
    _f("address", "person.address", _S, N_("Address"), _VN, _KEEP,
       ("address", "province_old", "province_new"), _P),
    _f("notes", "notes", _S, N_("notes"), _VN, _BLANK, ("notes",)),  # free text: anything
    # Part of the exploitation history, kept for the age at trafficking.
    _f("trafficked_on", "trafficked_on", _S, N_("day trafficked"), _VN, _KEEP, ("trafficked_on",)),
    _f("age_at_trafficking", "age_at_trafficking", _S, N_("age when trafficked"), _VN, _KEEP,
       ("age_at_trafficking",)),
    _f("route", "route", _S, N_("Route"), _VN, _KEEP, ("route",)),
    _f("reference", "reference", _B, N_("reference"), _ALL, _KEEP),
    _f("post_code", "post_code", _B, N_("border post"), _ALL, _KEEP),
    _f("status", "status", _B, N_("Status"), _ALL, _KEEP),
    _f("batch_reference", "batch_reference", _B, N_("Handover batch"), _ALL, _KEEP),
    _f("handed_over_on", "handed_over_on", _B, N_("Handed over"), _ALL, _KEEP),
    _f("revision", "revision", _B, N_("revision"), _ALL, _KEEP),
    # The identity across desks; bundles always carry it (matching needs it), posts or not.
    _f("global_id", "global_id", _B, N_("global case identity"), _VN, _KEEP),
    _f("literacy", "person.literacy", _B, N_("reading"), _ALL, _KEEP, (), _P),
    _f("interpreter_needed", "person.interpreter_needed", _B, N_("interpreter needed"), _ALL, _KEEP),
    _f("interpreter_language", "person.interpreter_language", _B, N_("interpreter language"), _ALL,
       _KEEP),
    # Identity verification with the counterpart, and identification at the handover.
    _f("documents", "person.documents", _B, N_("identity documents"), _ALL, _BLANK, (), _P),
    _f("no_documents", "person.no_documents", _B, N_("no papers"), _VN, _BLANK),
    _f("photos", "person.photos", _B, N_("Photos"), _ALL, _BLANK),
    _f("place_of_birth", "person.place_of_birth", _S, N_("place of birth"), _VN, _BLANK, (), _P),
    # Family members and caregivers (Decree 56/2017 art. 33).
    _f("family", "person.family", _S, N_("family members"), _VN, _BLANK),
    _f("reception", "reception", _S, N_("Reception"), _VN, _KEEP),  # where the child is sheltered
    _f("support", "support", _S, N_("Support"), _VN, _KEEP),  # services given (art. 33)
    _f("family_assessment", "family_assessment", _S, N_("Family assessment"), _VN, _KEEP),
    _f("referrals", "referrals", _S, N_("Referrals"), _VN, _KEEP),
    _f("follow_ups", "follow_ups", _S, N_("Follow-ups"), _VN, _KEEP),
    _f("health_notes", "health_notes", _S, N_("health notes"), _HEALTH, _BLANK),
    # The child's private secret (Decree 56/2017 art. 33).
    _f("exploitation_narrative", "exploitation_narrative", _C, N_("account of exploitation"), _STORY,
       _BLANK),
)


def _declared_names() -> frozenset[str]:
    return frozenset(f.name for f in DECLARED) | {c for f in DECLARED for c in f.columns}


_TAKEN = _declared_names()


def register(spec: CaseField) -> None:
    """Add a field kept in ``Case.extra_fields`` (see :func:`fields.extra_field`).

    Raises:
        ValueError: its name or an import column is already a declared field's.
    """
    fields.register(spec, taken=_TAKEN.__contains__)


@contextmanager
def registered(spec: CaseField) -> Iterator[CaseField]:
    """:func:`register` for a ``with`` block (tests)."""
    with fields.registered(spec, taken=_TAKEN.__contains__):
        yield spec


def all_fields() -> tuple[CaseField, ...]:
    """Declared fields, then the added ones."""
    return DECLARED + fields.extra_fields()


def field_at(path: str) -> CaseField | None:
    """The field declared at ``path`` (a class path), if one is."""
    for spec in all_fields():
        if spec.path == path:
            return spec
    return None


def import_columns() -> tuple[str, ...]:
    """Every column an import file may have, in declaration order."""
    return tuple(c for spec in all_fields() for c in spec.columns)


def in_slot(slot: fields.FormSlot) -> tuple[CaseField, ...]:
    """The fields that print in ``slot``."""
    return tuple(spec for spec in all_fields() if slot in spec.form_slots)


# Fields added after the Case dataclasses were written: ``extra_field(...)`` declarations whose
# values live in ``Case.extra_fields``. Adding one here (and translating its label) is all a new
# field needs; never remove one while values of it are stored (docs/field-registry.md).
ADDED: tuple[CaseField, ...] = ()
for _spec in ADDED:
    register(_spec)
