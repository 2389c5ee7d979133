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
The form renderer only prints this text; this module reads and checks it, and
``services/printout_seal.py`` issues it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from repatriation.domain.errors import DomainError
from repatriation.domain.key_directory import b64url, unb64url

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
