"""Typed domain errors: a stable code plus parameters, never user-facing text.

The UI and CLI turn ``code`` into words through the catalogs (``ui/labels.py``, ``cli``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class DomainError(Exception):
    """Base of every error the core raises on purpose."""

    code: str = "domain_error"

    def __init__(self, code: str | None = None, /, **params: Any) -> None:
        self.code = code or type(self).code
        self.params: Mapping[str, Any] = dict(params)
        detail = ", ".join(f"{k}={v!r}" for k, v in sorted(self.params.items()))
        super().__init__(f"{self.code}({detail})" if detail else self.code)


class ValidationError(DomainError):
    """Input that breaks an invariant (missing mandatory field, bad date, unknown code)."""

    code = "validation"


class TransitionError(DomainError):
    """A lifecycle transition that is not allowed or whose guard fails."""

    code = "transition_refused"


class NotFoundError(DomainError):
    """A referenced record does not exist."""

    code = "not_found"


class ConflictError(DomainError):
    """The record changed since it was read, or a unique key is already taken."""

    code = "conflict"


class ImportRowError(ValidationError):
    """A row of an import file is malformed; names the row and the column."""

    code = "import_row"

    def __init__(self, *, row: int, column: str, reason: str, value: str = "") -> None:
        super().__init__("import_row", row=row, column=column, reason=reason, value=value)
        self.row = row
        self.column = column
        self.reason = reason


class PermissionDenied(DomainError):
    """The acting user's role may not do this."""

    code = "permission_denied"
