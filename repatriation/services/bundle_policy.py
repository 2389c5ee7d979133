"""What a bundle may carry: minimisation per recipient type, the sender's rights, and consent.

Built on the field registry (``domain/case_fields.py``: each field's ``share`` rule) and the
classes of ``domain.sensitivity``: a policy is the set of case field paths included; every
other leaf is blanked before export, and on import only the included paths
overwrite a stored case (the others keep the stored values).

* a foreign counterpart gets identity and handover data (no residence, family, ethnicity,
  screening, care, health or exploitation story);
* a reception centre gets care data (everything basic and sensitive, health included);
* another Vietnamese post gets basic and sensitive data without health notes;
* health notes and the exploitation story only when asked for, and the story never abroad.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from repatriation.domain.actors import Actor
from repatriation.domain.case import Case
from repatriation.domain.case_fields import all_fields
from repatriation.domain.enums import ConsentScope
from repatriation.domain.errors import PermissionDenied, ValidationError
from repatriation.domain.fields import ExtraFields, Share
from repatriation.domain.key_directory import AgencyKind
from repatriation.domain.permissions import Action
from repatriation.domain.sensitivity import CASE_FIELD_CLASSES, FieldClass
from repatriation.services.access import require


def share_rules() -> dict[str, Share]:
    """Which recipients get each classified path: the registry's rule for a declared field.

    The parts declared in ``sensitivity`` follow their class: a verification's basic data goes
    abroad (identity checks with the counterpart), child-private data only on request, the
    rest to Vietnamese agencies.
    """
    rules: dict[str, Share] = {spec.path: spec.share for spec in all_fields()}
    for path, field_class in CASE_FIELD_CLASSES.items():
        if path in rules:
            continue
        if path.startswith("verifications[]") and field_class is FieldClass.BASIC:
            rules[path] = Share.EVERYONE
        elif field_class is FieldClass.CHILD_PRIVATE:
            rules[path] = Share.NARRATIVE
        else:
            rules[path] = Share.DOMESTIC
    return rules


CONSENT_SCOPE = {
    AgencyKind.FOREIGN_COUNTERPART: ConsentScope.SHARE_ABROAD,
    AgencyKind.RECEPTION_CENTRE: ConsentScope.SHARE_WITH_AGENCIES,
    AgencyKind.BORDER_POST: ConsentScope.SHARE_WITH_AGENCIES,
}


@dataclass(frozen=True)
class SharePolicy:
    """The field paths a bundle for one kind of recipient carries."""

    kind: AgencyKind
    paths: frozenset[str]

    @property
    def excluded(self) -> frozenset[str]:
        """Classified paths left out."""
        return frozenset(CASE_FIELD_CLASSES) - self.paths

    @property
    def classes(self) -> frozenset[FieldClass]:
        """Field classes the bundle touches (the sender needs the share right on each)."""
        return frozenset(CASE_FIELD_CLASSES[p] for p in self.paths)

    @property
    def carries_photos(self) -> bool:
        """Whether photo files travel with the bundle."""
        return "person.photos" in self.paths

    def to_json(self) -> dict[str, Any]:
        """How the policy is written into ``cases.json``."""
        return {"kind": self.kind.value, "paths": sorted(self.paths)}


def policy_for(kind: AgencyKind, *, include_health: bool | None = None,
               include_narrative: bool = False) -> SharePolicy:
    """The policy for a recipient type; health defaults to on for reception centres only.

    Raises:
        ValidationError: the exploitation story requested for a foreign counterpart.
    """
    rules = share_rules()
    if kind is AgencyKind.FOREIGN_COUNTERPART:
        if include_narrative or include_health:
            raise ValidationError("not_shared_abroad", kind=kind.value)
        return SharePolicy(kind, frozenset(p for p, r in rules.items() if r is Share.EVERYONE))
    wanted = {Share.EVERYONE, Share.DOMESTIC}
    health = kind is AgencyKind.RECEPTION_CENTRE if include_health is None else include_health
    if health:
        wanted.add(Share.HEALTH)
    if include_narrative:
        wanted.add(Share.NARRATIVE)
    return SharePolicy(kind, frozenset(p for p, r in rules.items() if r in wanted))


def policy_from_json(data: Any) -> SharePolicy:
    """Read the policy a sender declared in ``cases.json`` (paths must be known ones)."""
    if not isinstance(data, dict) or set(data) != {"kind", "paths"}:
        raise ValidationError("bad_policy")
    try:
        kind = AgencyKind(data["kind"])
    except ValueError:
        raise ValidationError("bad_policy", field="kind") from None
    paths = data["paths"]
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths) or (
            set(paths) - set(CASE_FIELD_CLASSES)):
        raise ValidationError("bad_policy", field="paths")
    return SharePolicy(kind, frozenset(paths))


def _default(field: dataclasses.Field[Any]) -> Any:
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    raise ValidationError("field_cannot_be_left_out", field=field.name)


def _sub_paths(path: str) -> list[str]:
    return [p for p in CASE_FIELD_CLASSES if p.startswith(path + ".") or p.startswith(path + "[].")]


def _walk(value: Any, stored: Any, prefix: str, keep: frozenset[str]) -> Any:
    """Rebuild ``value`` with every classified path outside ``keep`` taken from ``stored``.

    ``stored`` is ``None`` when exporting: excluded fields then take their declared default
    (a whole group such as ``screening`` or ``consents`` when none of its paths is kept).
    """
    if isinstance(value, ExtraFields):
        return _extras(value, stored, prefix, keep)
    changes: dict[str, Any] = {}
    for field in dataclasses.fields(value):
        path = prefix + field.name
        current = getattr(value, field.name)
        old = getattr(stored, field.name) if stored is not None else None
        subs = _sub_paths(path)
        if isinstance(current, ExtraFields):
            extras = _extras(current, old, path + ".", keep)
            if extras != current:
                changes[field.name] = extras
        elif path in CASE_FIELD_CLASSES or (subs and not set(subs) & keep):
            if path not in keep:
                changes[field.name] = old if stored is not None else _default(field)
        elif subs and dataclasses.is_dataclass(current):
            changes[field.name] = _walk(current, old, path + ".", keep)
        elif subs and isinstance(current, tuple):
            olds = old if isinstance(old, tuple) else ()
            changes[field.name] = tuple(
                _walk(item, olds[i] if i < len(olds) and stored is not None else None,
                      path + "[].", keep)
                for i, item in enumerate(current))
    return dataclasses.replace(value, **changes) if changes else value


def _extras(value: ExtraFields, stored: ExtraFields | None, prefix: str,
            keep: frozenset[str]) -> ExtraFields:
    """Added fields' values: carried ones from ``value``, the others from ``stored`` (or none)."""
    kept = {name: v for name, v in value.items() if prefix + name in keep}
    if stored is not None:
        kept |= {name: v for name, v in stored.items() if prefix + name not in keep}
    return ExtraFields(kept)


def minimise_for_share(case: Case, policy: SharePolicy) -> Case:
    """The case with everything outside ``policy`` reset (reference, revision, global id go)."""
    result: Case = _walk(case, None, "", policy.paths | {"reference", "revision", "global_id"})
    return result


def merge_received(stored: Case, incoming: Case, policy: SharePolicy) -> Case:
    """``incoming`` with every path the sender's policy did not carry taken from ``stored``.

    The stored reference and global id always stay: the reference is this desk's name for the
    child, and the two cases were matched on the global id.
    """
    keep = policy.paths - {"reference", "global_id", "revision"}
    merged: Case = _walk(incoming, stored, "", keep)
    return dataclasses.replace(merged, revision=stored.revision)


def fill_uncarried(value: Any, stored: Any, prefix: str, keep: frozenset[str]) -> Any:
    """``value`` (a part of a received case at ``prefix``) with uncarried paths from ``stored``."""
    return _walk(value, stored, prefix, keep)


def accepted_paths(declared: SharePolicy, sender_kind: AgencyKind) -> frozenset[str]:
    """What a sender may change here: what it carried AND what its kind may send us.

    ``sender_kind`` is the kind OUR directory records for the sender, never the one the
    bundle declares: a foreign counterpart changes identity and handover data only, whatever
    it claims to be.
    """
    if sender_kind is AgencyKind.FOREIGN_COUNTERPART:
        allowed = policy_for(sender_kind).paths
    else:
        allowed = policy_for(sender_kind, include_health=True, include_narrative=True).paths
    return declared.paths & allowed


def check_sender_rights(actor: Actor, policy: SharePolicy) -> None:
    """The sender must hold the share right on every class the policy includes."""
    for field_class in sorted(policy.classes):
        require(actor, Action.SHARE, field_class, purpose=policy.kind.value)


def check_consent(cases: Collection[Case], policy: SharePolicy, on: date) -> None:
    """Refuse when a case lacks the consent (or legal exemption) for this kind of sharing."""
    scope = CONSENT_SCOPE[policy.kind]
    for case in cases:
        if not case.has_consent(scope, on):
            raise PermissionDenied("consent_missing", case=case.reference, scope=scope.value)
