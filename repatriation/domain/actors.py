"""Who acts: the signed-in user and their role, carried into every use case for audit and access."""

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
    SYSTEM = "system"  # the CLI's maintenance commands and the demo seeder


@dataclass(frozen=True)
class Actor:
    """The user a use case runs for."""

    username: str
    role: Role

    @classmethod
    def system(cls) -> Actor:
        """The actor for headless maintenance commands."""
        return cls(username="system", role=Role.SYSTEM)
