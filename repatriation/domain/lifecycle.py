"""The case lifecycle: which status may follow which, as one explicit table."""

from __future__ import annotations

from types import MappingProxyType

from repatriation.domain.enums import CaseStatus as S

# Every transition not listed here is refused. Guards (conditions on the case itself) live in
# ``case.Case.transition``; this table only says which moves exist at all.
ALLOWED_TRANSITIONS: MappingProxyType[S, frozenset[S]] = MappingProxyType(
    {
        S.RECEIVED: frozenset({S.VERIFICATION, S.AWAITING_HANDOVER, S.IN_CARE, S.CLOSED}),
        S.VERIFICATION: frozenset({S.AWAITING_HANDOVER, S.IN_CARE, S.CLOSED}),
        S.AWAITING_HANDOVER: frozenset({S.VERIFICATION, S.HANDED_OVER, S.CLOSED}),
        S.HANDED_OVER: frozenset({S.IN_CARE, S.CLOSED}),
        S.IN_CARE: frozenset({S.REINTEGRATION, S.CLOSED}),
        S.REINTEGRATION: frozenset({S.IN_CARE, S.CLOSED}),
        # A closed case is reopened into care only (a child who comes back to the centre).
        S.CLOSED: frozenset({S.IN_CARE}),
    }
)


def is_allowed(source: S, target: S) -> bool:
    """Whether the table has the move ``source`` -> ``target``."""
    return target in ALLOWED_TRANSITIONS[source]
