"""Who acts: the signed-in account and its role, carried into every use case for audit and access."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """Roles of the people who use the desk."""

    BORDER_GUARD = "border_guard"
    RECEPTION = "reception"
    LIAISON = "liaison"
    SUPERVISOR = "supervisor"
    STATISTICIAN = "statistician"


@dataclass(frozen=True)
class Actor:
    """The signed-in account a use case runs for.

    Only ``AccountService.authenticate`` makes one in production (the desk's sign-in and the
    CLI's ``--user``); there is no anonymous or built-in maintenance actor.
    """

    username: str
    role: Role
