"""Read back a printed form: its page content without the QR, and the QR text in its metadata.

The printout seal (``repatriation/services/printout_seal.py``) signs a SHA-256 of every page's
content stream with the QR drawing taken out, so the hash is the same for every reprint of the
same content and changes with any visible edit. This reader understands the PDFs the renderer
writes (uncompressed objects, Flate streams); the last definition of an object wins, as in an
incremental update. A PDF it cannot read (rewritten by another program) is refused, never
guessed at.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import zlib

from forms.page import qr_drawing
from repatriation.domain.errors import DomainError

_OBJECT = re.compile(rb"(?<![0-9])([0-9]+) 0 obj\b(.*?)\bendobj", re.S)
_STREAM = re.compile(rb"^\s*<<(.*?)>>\s*stream\r?\n", re.S)
_REF = rb"([0-9]+) 0 R"
MAX_PDF_BYTES = 64 * 1024 * 1024


class PdfUnreadable(DomainError):
    """The file is not a PDF as the desk prints it."""

    code = "printout_unreadable"


def _objects(pdf: bytes) -> dict[int, bytes]:
    if len(pdf) > MAX_PDF_BYTES or not pdf.startswith(b"%PDF-"):
        raise PdfUnreadable(reason="not_a_pdf")
    return {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(pdf)}


def _stream(body: bytes) -> bytes:
    match = _STREAM.match(body)
    if match is None:
        raise PdfUnreadable(reason="no_stream")
    header, start = match.group(1), match.end()
    length = re.search(rb"/Length ([0-9]+)\b", header)
    if length is None:
        raise PdfUnreadable(reason="stream_length")
    data = body[start:start + int(length.group(1))]
    filters = re.findall(rb"/(FlateDecode|ASCII85Decode|[A-Za-z0-9]+Decode)", header)
    for name in filters:
        try:
            if name == b"FlateDecode":
                data = zlib.decompress(data)
            else:
                raise PdfUnreadable(reason="filter")
        except zlib.error:
            raise PdfUnreadable(reason="stream") from None
    return data


def _pages(objects: dict[int, bytes]) -> list[bytes]:
    catalogs = [body for body in objects.values() if re.search(rb"/Type\s*/Catalog\b", body)]
    if len(catalogs) != 1:
        raise PdfUnreadable(reason="catalog")
    root = re.search(rb"/Pages " + _REF, catalogs[0])
    if root is None:
        raise PdfUnreadable(reason="pages")
    pages: list[bytes] = []
    pending: list[int] = [int(root.group(1))]
    seen: set[int] = set()
    while pending:
        number = pending.pop(0)
        if number in seen or number not in objects or len(seen) > 10_000:
            raise PdfUnreadable(reason="page_tree")
        seen.add(number)
        body = objects[number]
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
        if kids is not None:
            pending[0:0] = [int(n) for n in re.findall(_REF, kids.group(1))]
        else:
            pages.append(body)
    return pages


def page_contents(pdf: bytes) -> list[bytes]:
    """The decoded content stream of each page, in page order."""
    objects = _objects(pdf)
    contents = []
    for page in _pages(objects):
        refs = re.search(rb"/Contents\s*(\[[^\]]*\]|" + _REF + rb")", page)
        if refs is None:
            raise PdfUnreadable(reason="contents")
        numbers = [int(n) for n in re.findall(_REF, refs.group(1))]
        if not numbers or any(n not in objects for n in numbers):
            raise PdfUnreadable(reason="contents")
        contents.append(b"".join(_stream(objects[n]) for n in numbers))
    return contents


def content_hash(pdf: bytes, qr_text: str) -> str:
    """SHA-256 (hex) of the pages' content with the drawing of the QR for ``qr_text`` taken out."""
    qr = qr_drawing(qr_text)[0].encode("latin-1")
    digest = hashlib.sha256()
    for page in page_contents(pdf):
        shown = page.replace(qr, b"")
        digest.update(len(shown).to_bytes(8, "big") + shown)
    return digest.hexdigest()


def embedded_qr_text(pdf: bytes) -> str | None:
    """The QR text the renderer also wrote as the PDF's subject, if it is still there."""
    objects = _objects(pdf)
    for body in reversed(list(objects.values())):
        match = re.search(rb"/Subject\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", body, re.S)
        if match is None:
            continue
        raw = match.group(1)
        if raw.startswith(b"<"):
            data = bytes.fromhex(re.sub(rb"\s", b"", raw[1:-1]).decode("ascii"))
            return data[2:].decode("utf-16-be") if data[:2] == codecs.BOM_UTF16_BE else data.decode("latin-1")
        text = re.sub(rb"\\(.)", rb"\1", raw[1:-1])
        if text.startswith(codecs.BOM_UTF16_BE):
            return text[2:].decode("utf-16-be")
        return text.decode("latin-1") or None
    return None
