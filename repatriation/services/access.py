"""Access enforcement for the use cases: refuse what the matrix denies, blank what a role may not see.

Every service that returns or changes case data goes through these helpers, so the UI, the CLI,
the forms and the bundles all get the same minimised view (deny by default, in the data layer).
The one decision is :func:`hidden_for` (role x action -> field classes blanked); whole cases,
list rows, handover persons and history entries are all blanked from it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from repatriation.domain.actors import Actor
from repatriation.domain.case import Case
from repatriation.domain.errors import PermissionDenied
from repatriation.domain.handover import BatchMember, HandoverBatch
from repatriation.domain.people import Person
from repatriation.domain.permissions import (
    Action,
    Capability,
    allowed,
    has_capability,
    hidden_classes,
)
from repatriation.domain.sensitivity import (
    BATCH_MEMBER_FIELD_CLASSES,
    EVENT_DETAIL_CLASSES,
    FieldClass,
    Redacted,
    blank_for,
    changed_fields,
    redact_case,
    restore_paths,
    type_hints,
)
from repatriation.services.audit import record_action
from repatriation.services.ports import Clock, UnitOfWorkFactory
from repatriation.services.results import AuditEntry, CaseSummary

# The case-list row carries a few case fields; each is classified like its source field.
SUMMARY_FIELD_CLASSES: Mapping[str, FieldClass] = MappingProxyType(
    {
        "reference": FieldClass.BASIC,
        "full_name": FieldClass.BASIC,
        "sex": FieldClass.BASIC,
        "age": FieldClass.BASIC,
        "corridor": FieldClass.BASIC,
        "channel": FieldClass.BASIC,
        "status": FieldClass.BASIC,
        "screening": FieldClass.BASIC,
        "received_on": FieldClass.BASIC,
        "gate_code": FieldClass.BASIC,
        "ethnic_code": FieldClass.SENSITIVE,
        "next_due": FieldClass.BASIC,
        "overdue": FieldClass.BASIC,
        "batch_reference": FieldClass.BASIC,
    }
)


def hidden_for(actor: Actor, action: Action) -> frozenset[FieldClass]:
    """The field classes blanked before ``actor`` uses data for ``action`` (the one decision)."""
    return hidden_classes(actor.role, action)


def can(actor: Actor, action: Action, field_class: FieldClass) -> bool:
    """Whether the actor's role may do ``action`` on ``field_class`` fields."""
    return allowed(actor.role, action, field_class)


def require(actor: Actor, action: Action, field_class: FieldClass, **where: str) -> None:
    """Refuse unless the matrix grants the cell.

    Args:
        actor: who acts.
        action: what they do.
        field_class: the class of the fields concerned.
        **where: extra codes for the error (e.g. ``field="health_notes"``), never values.

    Raises:
        PermissionDenied: with ``role``, ``action`` and ``field_class`` parameters.
    """
    if not can(actor, action, field_class):
        raise PermissionDenied(
            "permission_denied",
            role=str(actor.role),
            action=str(action),
            field_class=str(field_class),
            **where,
        )


def require_capability(actor: Actor, capability: Capability) -> None:
    """Refuse unless the actor's role has ``capability``.

    Raises:
        PermissionDenied: with ``role`` and ``capability`` parameters.
    """
    if not has_capability(actor.role, capability):
        raise PermissionDenied(
            "capability_denied", role=str(actor.role), capability=str(capability)
        )


def require_capability_audited(
    actor: Actor, capability: Capability, uow_factory: UnitOfWorkFactory, clock: Clock,
    entity: str, reference: str, **details: Any,
) -> None:
    """:func:`require_capability`, with the use (``<capability>_used``) or refusal audited."""
    allowed = has_capability(actor.role, capability)
    with uow_factory() as uow:
        action = f"{capability}_{'used' if allowed else 'refused'}"
        record_action(uow, actor, clock.now(), action, entity, reference, **details)
        uow.commit()
    require_capability(actor, capability)


def minimise(case: Case, actor: Actor, action: Action = Action.VIEW) -> Redacted:
    """The case as ``actor`` may use it for ``action``: refused without basic access, else blanked.

    Args:
        case: the full stored case.
        actor: who views, prints, exports or shares it.
        action: what they do with it; each action has its own column in the matrix.

    Returns:
        The redacted case and the paths blanked.

    Raises:
        PermissionDenied: the role may not do ``action`` on basic fields (e.g. statisticians).
    """
    require(actor, action, FieldClass.BASIC)
    return redact_case(case, hidden_for(actor, action))


def redact(case: Case, actor: Actor, action: Action = Action.VIEW) -> Case:
    """The case as ``actor`` may use it for ``action`` (see :func:`minimise`)."""
    return minimise(case, actor, action).case


def _blank_record(record: Any, classes: Mapping[str, FieldClass], hidden: frozenset[FieldClass]) -> Any:
    hints = type_hints(type(record))
    changes = {
        name: blank_for(hints[name]) for name, field_class in classes.items() if field_class in hidden
    }
    return dataclasses.replace(record, **changes) if changes else record


def redact_summary(row: CaseSummary, actor: Actor, action: Action = Action.VIEW) -> CaseSummary:
    """A case-list row with the fields the actor may not use for ``action`` blanked."""
    require(actor, action, FieldClass.BASIC)
    redacted: CaseSummary = _blank_record(row, SUMMARY_FIELD_CLASSES, hidden_for(actor, action))
    return redacted


def redact_batch(batch: HandoverBatch, actor: Actor, action: Action = Action.VIEW) -> HandoverBatch:
    """A handover batch with each person's classified fields blanked for ``actor``."""
    require(actor, action, FieldClass.BASIC)
    hidden = hidden_for(actor, action)
    members = tuple(_blank_record(m, BATCH_MEMBER_FIELD_CLASSES, hidden) for m in batch.members)
    return dataclasses.replace(batch, members=members)


def guard_batch(actor: Actor, stored: HandoverBatch | None, changed: HandoverBatch) -> HandoverBatch:
    """Check a batch change like :func:`guard_change`: hidden fields echoed blank are kept."""
    require(actor, Action.EDIT, FieldClass.BASIC)
    hidden = hidden_for(actor, Action.VIEW)
    before = {m.case_reference: m for m in (stored.members if stored else ())}
    members = []
    for member in changed.members:
        old = before.get(member.case_reference, BatchMember(member.case_reference))
        for name, field_class in BATCH_MEMBER_FIELD_CLASSES.items():
            value, kept = getattr(member, name), getattr(old, name)
            if value == kept:
                continue
            if field_class in hidden and value == blank_for(type_hints(BatchMember)[name]):
                member = dataclasses.replace(member, **{name: kept})
                continue
            require(actor, Action.EDIT, field_class, field=f"members[].{name}")
        members.append(member)
    return dataclasses.replace(changed, members=tuple(members))


def redact_audit_entry(entry: AuditEntry, actor: Actor) -> AuditEntry:
    """A history entry whose details describe a field class the actor may not view, emptied."""
    field_class = EVENT_DETAIL_CLASSES.get(entry.action, FieldClass.BASIC)
    if field_class in hidden_for(actor, Action.VIEW):
        return dataclasses.replace(entry, details="{}")
    return entry


def guard_change(actor: Actor, stored: Case, changed: Case) -> Case:
    """Check a change against the matrix and protect the fields the actor cannot see.

    A hidden field that comes back blank is the echo of a redacted view: the stored value is
    put back instead of being erased. Any other change needs the edit right on its class.

    Args:
        actor: who makes the change.
        stored: the case as stored.
        changed: the case the use case wants to save.

    Returns:
        The case to save.

    Raises:
        PermissionDenied: a changed field's class may not be edited (or seen) by the role.
    """
    hidden = hidden_for(actor, Action.VIEW)
    restore: list[str] = []
    for change in changed_fields(stored, changed):
        if change.field_class in hidden and change.visible_blank:
            restore.append(change.path)
            continue
        require(actor, Action.EDIT, change.field_class, field=change.class_path)
    return restore_paths(changed, stored, restore)


def guard_new(actor: Actor, case: Case) -> Case:
    """Check a new case against the matrix (see :func:`guard_change`).

    Every field set away from its default needs the edit right on its class.

    Raises:
        PermissionDenied: a field is set that the role may not edit.
    """
    person = Person(family_name=case.person.family_name, given_name=case.person.given_name)
    baseline = Case(
        reference=case.reference,
        person=person,
        channel=case.channel,
        corridor=case.corridor,
        received_on=case.received_on,
        place_kind=case.place_kind,
        place_detail=case.place_detail,
        global_id=case.global_id,
    )
    require(actor, Action.EDIT, FieldClass.BASIC)
    return guard_change(actor, baseline, case)
