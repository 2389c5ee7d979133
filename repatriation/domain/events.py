"""Domain events: frozen facts that services turn into audit entries and change summaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class DomainEvent:
    """Something that happened to an aggregate; ``details`` carries codes and ids, no PII."""

    name: str
    case_reference: str | None = None
    batch_reference: str | None = None
    on: date | None = None
    details: dict[str, Any] = field(default_factory=dict)


def case_event(name: str, reference: str, on: date | None = None, **details: Any) -> DomainEvent:
    """Shorthand for an event about a case."""
    return DomainEvent(name=name, case_reference=reference, on=on, details=dict(details))
