"""The QR text of a printed form: document, content hashes, audit checkpoint, the post's signature.

Layout (``docs/printout-qr.md``), fields separated by ``|``::

    RD2|<form id>|<document number>|<content>|<pages>|<n>.<sequence>.<head>.<time>|<signature>

- content: the form's digest (``form_checks.form_digest``, the ``SHA-256`` line of the footer),
  the same for every reprint of the same content;
- pages: the hash of the PDF's page content with the QR drawing left out
  (``forms/pdf_content.py``): any visible change to the file changes it;
- the audit checkpoint issued for this print (``docs/tamper-evidence.md``);
- the post's Ed25519 signature over ``CONTEXT`` and every byte before the last ``|``, or ``-``
  when the key store was locked.

Hashes are the first 16 bytes of SHA-256 in unpadded URL-safe base64 (22 characters): a second
preimage stays out of reach, and the code stays small enough to scan from paper.
The form renderer only prints this text; this module builds, reads and checks it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from repatriation.domain.audit_checkpoint import Checkpoint
from repatriation.domain.errors import DomainError
from repatriation.domain.key_directory import b64url, unb64url
from repatriation.services.checkpoints import CheckpointService
from repatriation.services.form_data import DocumentMeta
from repatriation.services.key_ports import Signer
from repatriation.services.ports import UnitOfWork

PREFIX = "RD2"
CONTEXT = b"vn-ctp-printout/v1\n"
UNSIGNED = "-"
HASH_BYTES = 16
PLACEHOLDER = "0" * 64  # the pages hash of the renderer's first (measuring) pass
_TIME = "%Y%m%dT%H%M%SZ"
_H = r"[A-Za-z0-9_-]{22}"
_TEXT = re.compile(
    rf"RD2\|(?P<form>[a-z_]{{1,40}})\|(?P<number>[^|]{{1,80}})\|(?P<content>{_H})\|(?P<pages>{_H})"
    rf"\|(?P<cp>[1-9][0-9]{{0,15}})\.(?P<seq>0|[1-9][0-9]{{0,15}})\.(?P<head>{_H})"
    r"\.(?P<at>[0-9]{8}T[0-9]{6}Z)\|(?P<sig>-|[A-Za-z0-9_-]{86})"
)


class SealError(DomainError):
    """A QR text that is not a printout seal, or one that does not verify."""

    code = "printout_refused"


def short(hex_digest: str) -> str:
    """A SHA-256 (hex) as the QR carries it."""
    return b64url(bytes.fromhex(hex_digest)[:HASH_BYTES])


@dataclass(frozen=True)
class PrintoutSeal:
    """The fields of a printout's QR text (hashes as the QR carries them)."""

    form_id: str
    document_number: str
    content: str
    pages: str
    checkpoint_number: int
    sequence: int
    head: str
    at: datetime
    signature: bytes = b""

    def body(self) -> str:
        """Everything the signature covers (after ``CONTEXT``)."""
        at = self.at.astimezone(UTC).strftime(_TIME)
        checkpoint = f"{self.checkpoint_number}.{self.sequence}.{self.head}.{at}"
        return "|".join((PREFIX, self.form_id, self.document_number, self.content, self.pages,
                         checkpoint))

    def text(self) -> str:
        """The QR text."""
        return f"{self.body()}|{b64url(self.signature) if self.signature else UNSIGNED}"

    @property
    def signed(self) -> bool:
        """Whether a signature is present."""
        return bool(self.signature)

    def signed_by(self, ed25519: bytes, verify: Callable[[bytes, bytes, bytes], bool]) -> bool:
        """Whether the key ``ed25519`` (from the post's key card) signed this text.

        ``verify(public, message, signature)`` is the Ed25519 check (``crypto.keys.verify_ed25519``).
        """
        return self.signed and verify(ed25519, CONTEXT + self.body().encode("utf-8"), self.signature)


def seal(form_id: str, document_number: str, form_digest: str, pages_hash: str,
         checkpoint: Checkpoint, identity: Signer | None) -> PrintoutSeal:
    """The seal of one printout, signed when the post's key is unlocked."""
    unsigned = PrintoutSeal(form_id, document_number, short(form_digest), short(pages_hash),
                            checkpoint.number, checkpoint.sequence, short(checkpoint.head_hash),
                            checkpoint.at)
    if identity is None:
        return unsigned
    return replace(unsigned, signature=identity.sign(CONTEXT + unsigned.body().encode("utf-8")))


def parse(text: str) -> PrintoutSeal:
    """Read a QR text.

    Raises:
        SealError: ``reason="not_a_seal"`` when it is not one.
    """
    text = text.strip()
    match = _TEXT.fullmatch(text)
    if match is None:
        raise SealError(reason="not_a_seal")
    try:
        found = PrintoutSeal(
            form_id=match["form"], document_number=match["number"], content=match["content"],
            pages=match["pages"], checkpoint_number=int(match["cp"]), sequence=int(match["seq"]),
            head=match["head"], at=datetime.strptime(match["at"], _TIME).replace(tzinfo=UTC),
            signature=b"" if match["sig"] == UNSIGNED else unb64url(match["sig"], "qr"),
        )
        for value in (found.content, found.pages, found.head):
            unb64url(value, "qr")
    except (DomainError, ValueError):
        raise SealError(reason="not_a_seal") from None
    if found.text() != text:
        raise SealError(reason="not_a_seal")
    return found


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
