"""Audit helpers: turn domain events and views into audit entries inside the caller's unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from repatriation.domain.actors import Actor
from repatriation.domain.events import DomainEvent
from repatriation.services.ports import UnitOfWork


def record_event(uow: UnitOfWork, actor: Actor, at: datetime, event: DomainEvent) -> None:
    """Append one entry for ``event`` (codes and references only, never names or narratives)."""
    entity, reference = (
        ("case", event.case_reference) if event.case_reference else ("batch", event.batch_reference)
    )
    details: dict[str, Any] = {"role": str(actor.role), **event.details}
    if event.on is not None:
        details["on"] = event.on.isoformat()
    uow.audit.append(
        at=at,
        actor=actor.username,
        action=event.name,
        entity=entity,
        reference=reference or "",
        details=details,
    )


def record_action(
    uow: UnitOfWork,
    actor: Actor,
    at: datetime,
    action: str,
    entity: str,
    reference: str,
    **details: Any,
) -> None:
    """Append one entry for an action that has no domain event (views, exports, imports)."""
    uow.audit.append(
        at=at,
        actor=actor.username,
        action=action,
        entity=entity,
        reference=reference,
        details={"role": str(actor.role), **details},
    )


NOT_SIGNED_IN = "(not signed in)"


def record_sign_in_failure(uow: UnitOfWork, at: datetime, action: str, **details: Any) -> None:
    """Append a refused sign-in whose user name matched no account.

    The only entry without a signed-in account: the text typed may be a password, so it is not
    written, and no role is claimed.
    """
    uow.audit.append(
        at=at, actor=NOT_SIGNED_IN, action=action, entity="account", reference="", details=details
    )
