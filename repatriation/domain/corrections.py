"""Corrections of a recorded case: per field, the old and new value, who, when and why.

The history is kept inside the case, one list per field class (basic, sensitive,
child-private): a correction of a field belongs to that field's class, so the one redaction
that blanks a field for a role also blanks its old values, and bundles carry the history of
exactly the fields they carry. It is never written to the audit log, whose entries hold codes
only (names in an append-only log could never be anonymised).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from repatriation.domain.errors import ValidationError


@dataclass(frozen=True)
class Correction:
    """One field changed after intake.

    ``before`` and ``after`` are the values as canonical JSON text (``services.intake_fields``
    reads and shows them); ``field`` is an editable field's name, e.g. ``family_name``.
    """

    field: str
    before: str
    after: str
    by: str  # the account's user name
    at: datetime
    reason: str

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValidationError("missing_field", field="reason")


@dataclass(frozen=True)
class CorrectionLog:
    """The corrections of a case, by the class of the field corrected (oldest first)."""

    basic: tuple[Correction, ...] = ()
    sensitive: tuple[Correction, ...] = ()
    child_private: tuple[Correction, ...] = ()

    def all(self) -> tuple[Correction, ...]:
        """Every correction kept (blanked classes are empty), oldest first."""
        return tuple(sorted((*self.basic, *self.sensitive, *self.child_private),
                            key=lambda c: (c.at, c.field)))
