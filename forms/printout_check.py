"""Check a printed form with nothing but the post's key card: ``forms verify FILE.pdf``.

The QR text (from the PDF's metadata, a scan given with ``--qr``, or both) must parse, carry a
signature by the Ed25519 key on the card, and, for a PDF, name the hash of exactly the content
printed on its pages (``forms/pdf_content.py``). Any visible change, or a QR taken from another
document, fails the last check. ``docs/printout-qr.md`` describes the QR text.
"""

from __future__ import annotations

from dataclasses import dataclass

from forms.pdf_content import content_hash, embedded_qr_text
from repatriation.domain.errors import DomainError
from repatriation.domain.printout_seal import PrintoutSeal, SealError, parse, short
from repatriation.services.key_ports import KeyCardView, KeyCrypto


@dataclass(frozen=True)
class PrintoutCheck:
    """A printout that verified: what it says and who signed it."""

    seal: PrintoutSeal
    card: KeyCardView
    content_checked: bool  # False when only a QR text was given


def read_card(text: str, crypto: KeyCrypto) -> KeyCardView:
    """The key card in ``text`` (its first line that is a card), read by the key adapter.

    Raises:
        SealError: ``reason="bad_card"``.
    """
    for line in text.splitlines():
        try:
            return crypto.read_card(line.strip())
        except DomainError:
            continue
    raise SealError(reason="bad_card")


def check_printout(card: KeyCardView, crypto: KeyCrypto, *, pdf: bytes | None = None,
                   qr_text: str | None = None) -> PrintoutCheck:
    """Verify a printout against the post's key card.

    Raises:
        SealError: ``reason`` is ``no_qr``, ``not_a_seal``, ``unsigned``, ``wrong_key`` or
            ``content_changed``.
        PdfUnreadable: the PDF is not one the desk printed (or was rewritten).
    """
    text = qr_text.strip() if qr_text else (embedded_qr_text(pdf) if pdf is not None else None)
    if not text:
        raise SealError(reason="no_qr")
    found = parse(text)
    if not found.signed:
        raise SealError(reason="unsigned")
    if not found.signed_by(card.keys.ed25519, crypto.verify):
        raise SealError(reason="wrong_key", agency=card.agency)
    if pdf is not None and short(content_hash(pdf, text)) != found.pages:
        raise SealError(reason="content_changed")
    return PrintoutCheck(found, card, pdf is not None)
