"""Form registry: form id -> the module that lays it out (each names its legal basis)."""

from __future__ import annotations

from typing import Protocol

from reportlab.platypus.flowables import Flowable

from forms import (
    handover_minutes,
    intake_report,
    internal_handover,
    reception_record,
    referral_summary,
    verification_reply,
    verification_request,
)
from forms.vocabulary import Bilingual


class FormModule(Protocol):
    """What every form module provides."""

    FORM_ID: str
    DATA: type
    SHORT_TITLE: str  # msgid for the footer and running head
    LEGAL_BASIS: str  # the instrument the form implements (documentation, not printed)

    def story(self, data: object, tr: Bilingual) -> list[Flowable]:  # pragma: no cover
        """The flowables of the form."""
        ...


_MODULES = (
    handover_minutes, internal_handover, reception_record, verification_request,
    verification_reply, referral_summary, intake_report,
)
REGISTRY: dict[str, FormModule] = {m.FORM_ID: m for m in _MODULES}
