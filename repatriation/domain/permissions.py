"""The permission matrix: role x field class x action, plus the few capabilities that are not fields.

Deny by default: a cell not granted below is refused. The table is the single source the
services, the CLI, the forms and the tests read.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from repatriation.domain.actors import Role
from repatriation.domain.sensitivity import FieldClass


class Action(StrEnum):
    """What a user does with a field."""

    VIEW = "view"
    EDIT = "edit"
    PRINT = "print"  # PDF forms
    EXPORT = "export"  # files written for the post's own use (lists, reports, backups of cases)
    SHARE = "share"  # bundles or copies sent to another agency (consent-gated as well)


class Capability(StrEnum):
    """Operations that are not about a case field."""

    MANAGE_USERS = "manage_users"
    VERIFY_AUDIT = "verify_audit"
    RUN_RETENTION = "run_retention"
    VIEW_STATISTICS = "view_statistics"  # suppressed tables (small counts withheld)
    VIEW_EXACT_STATISTICS = "view_exact_statistics"  # exact counts, inside the post only


_LETTERS: Mapping[str, Action] = MappingProxyType(
    {"V": Action.VIEW, "E": Action.EDIT, "P": Action.PRINT, "X": Action.EXPORT, "S": Action.SHARE}
)

# One row per role, one column per field class. Letters: V view, E edit, P print, X export,
# S share; "-" marks a denied action and keeps the columns aligned for review.
#   border guard: receives the person, takes statements, hands over to police: all but exporting
#     the exploitation story to files;
#   reception (social protection centre): care needs health and family, not the exploitation story;
#   liaison: exchanges identity and verification data with counterparts, nothing more;
#   supervisor: everything; statistician: aggregates only (no case field at all).
# There is no maintenance role: headless commands run as a signed-in account too.
MATRIX_TABLE: Mapping[Role, tuple[str, str, str]] = MappingProxyType(
    {
        #                    basic     sensitive  child_private
        Role.BORDER_GUARD: ("VEPXS", "VEPXS", "VEP-S"),
        Role.RECEPTION: ("VEPXS", "VEPXS", "-----"),
        Role.LIAISON: ("VEPXS", "-----", "-----"),
        Role.SUPERVISOR: ("VEPXS", "VEPXS", "VEPXS"),
        Role.STATISTICIAN: ("-----", "-----", "-----"),
    }
)

CLASS_ORDER: tuple[FieldClass, ...] = (
    FieldClass.BASIC,
    FieldClass.SENSITIVE,
    FieldClass.CHILD_PRIVATE,
)

CAPABILITIES: Mapping[Capability, frozenset[Role]] = MappingProxyType(
    {
        Capability.MANAGE_USERS: frozenset({Role.SUPERVISOR}),
        Capability.VERIFY_AUDIT: frozenset({Role.SUPERVISOR}),
        Capability.RUN_RETENTION: frozenset({Role.SUPERVISOR}),
        Capability.VIEW_STATISTICS: frozenset(
            {
                Role.STATISTICIAN,
                Role.SUPERVISOR,
                Role.BORDER_GUARD,
                Role.RECEPTION,
                Role.LIAISON,
            }
        ),
        Capability.VIEW_EXACT_STATISTICS: frozenset({Role.STATISTICIAN, Role.SUPERVISOR}),
    }
)


def _parse(cell: str) -> frozenset[Action]:
    return frozenset(_LETTERS[c] for c in cell if c != "-")


MATRIX: Mapping[Role, Mapping[FieldClass, frozenset[Action]]] = MappingProxyType(
    {
        role: MappingProxyType(dict(zip(CLASS_ORDER, map(_parse, row), strict=True)))
        for role, row in MATRIX_TABLE.items()
    }
)

# Roles people sign in with: every role is an account role.
ACCOUNT_ROLES: tuple[Role, ...] = tuple(Role)


def allowed(role: Role, action: Action, field_class: FieldClass) -> bool:
    """Whether ``role`` may do ``action`` on fields of ``field_class``.

    Args:
        role: the acting role.
        action: what is done.
        field_class: the class of the fields concerned.

    Returns:
        True when the matrix grants the cell.
    """
    return action in MATRIX.get(role, {}).get(field_class, frozenset())


def hidden_classes(role: Role, action: Action = Action.VIEW) -> frozenset[FieldClass]:
    """The classes ``role`` may not use for ``action`` (they are blanked before it happens)."""
    return frozenset(k for k in CLASS_ORDER if not allowed(role, action, k))


def has_capability(role: Role, capability: Capability) -> bool:
    """Whether ``role`` has a non-field capability (user management, audit check, ...)."""
    return role in CAPABILITIES.get(capability, frozenset())
