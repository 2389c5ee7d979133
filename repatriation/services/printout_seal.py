"""Issuing a printout's seal (``domain/printout_seal.py``): one signed audit checkpoint per printout."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from repatriation.domain.audit_checkpoint import Checkpoint
from repatriation.domain.printout_seal import CONTEXT, PrintoutSeal, short
from repatriation.services.checkpoints import CheckpointService
from repatriation.services.form_data import DocumentMeta
from repatriation.services.key_ports import Signer
from repatriation.services.ports import UnitOfWork


def seal(form_id: str, document_number: str, form_digest: str, pages_hash: str,
         checkpoint: Checkpoint, identity: Signer | None) -> PrintoutSeal:
    """The seal of one printout, signed when the post's key is unlocked."""
    unsigned = PrintoutSeal(form_id, document_number, short(form_digest), short(pages_hash),
                            checkpoint.number, checkpoint.sequence, short(checkpoint.head_hash),
                            checkpoint.at)
    if identity is None:
        return unsigned
    return replace(unsigned, signature=identity.sign(CONTEXT + unsigned.body().encode("utf-8")))


class Sealing:
    """One printout's seal: made while the renderer lays the pages out, kept once delivered.

    The renderer calls :meth:`renderer_options`' ``seal`` with the hash of the pages it laid out
    and prints the QR text it returns. One checkpoint per printout (in the caller's unit of
    work), however many passes the layout takes; it is signed at once but appended to the
    checkpoint file only by :meth:`keep`, after delivery. The last seal made is left in
    ``sealed`` for the audit entry. A document service built without checkpoints does not seal.
    """

    def __init__(self, checkpoints: CheckpointService | None, uow: UnitOfWork, meta: DocumentMeta,
                 form_digest: str) -> None:
        self._checkpoints, self._uow, self._meta, self._digest = checkpoints, uow, meta, form_digest
        self.sealed: list[PrintoutSeal] = []
        self._made: Checkpoint | None = None

    def renderer_options(self) -> dict[str, Callable[[str], str]]:
        """``seal=`` for the renderer, or nothing when the printout is not sealed."""
        return {} if self._checkpoints is None else {"seal": self._seal}

    def _seal(self, pages_hash: str) -> str:
        checkpoints = self._checkpoints
        assert checkpoints is not None  # offered only with checkpoints (renderer_options)
        if self._made is None:
            self._made = checkpoints.issue("form", uow=self._uow, keep=False)
        result = seal(self._meta.form_id, self._meta.document_number, self._digest, pages_hash,
                      self._made, checkpoints.identity)
        self.sealed[:] = [result]
        return result.text()

    def keep(self) -> None:
        """Append the printout's checkpoint to the file (after the PDF was delivered)."""
        if self._checkpoints is not None and self._made is not None:
            self._checkpoints.keep(self._made)


def audit_fields(sealed: list[PrintoutSeal]) -> dict[str, Any]:
    """What the ``form_printed`` entry records of the QR: pages hash, checkpoint, signed."""
    if not sealed:
        return {}
    return {"pages": sealed[0].pages, "checkpoint": sealed[0].checkpoint_number,
            "signed": sealed[0].signed}
