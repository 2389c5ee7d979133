"""Verification requests: who asked whom what, when, the reply, and the deadline rule applied."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from repatriation.domain.enums import VerificationKind, VerificationOutcome
from repatriation.domain.errors import ValidationError


@dataclass(frozen=True)
class VerificationRequest:
    """One request for verification (identity, nationality, victim status, family, DNA...)."""

    request_id: str  # stable within the case, e.g. "V1"
    kind: VerificationKind
    requested_by: str  # agency code or name
    requested_to: str
    subject: str = ""
    sent_on: date | None = None
    due_on: date | None = None
    rule_code: str | None = None  # the DeadlineRule applied, so the legal basis is traceable
    legal_reference: str = ""
    received_on: date | None = None
    reply: str = ""
    outcome: VerificationOutcome = VerificationOutcome.PENDING

    @property
    def is_open(self) -> bool:
        """Still waiting for a reply."""
        return self.outcome is VerificationOutcome.PENDING

    def is_overdue(self, today: date) -> bool:
        """Open and past its due date."""
        return self.is_open and self.due_on is not None and today > self.due_on

    def with_reply(
        self, received_on: date, outcome: VerificationOutcome, reply: str
    ) -> VerificationRequest:
        """Record the reply; a reply cannot predate the request nor be 'pending'."""
        if outcome is VerificationOutcome.PENDING:
            raise ValidationError("reply_needs_outcome", request=self.request_id)
        if self.sent_on is not None and received_on < self.sent_on:
            raise ValidationError("reply_before_request", request=self.request_id)
        return replace(self, received_on=received_on, outcome=outcome, reply=reply)
