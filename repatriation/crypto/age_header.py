"""The age v1 text header: a strict, capped parser and the encoder (C2SP age.md, "Header").

The parser reads line by line from a buffered stream and refuses, before any key operation:
lines or headers over the caps, too many stanzas, non-canonical or padded base64, bad argument
characters, missing final body lines and malformed MAC lines. The MAC itself is checked by
``age_file`` once a recipient stanza yields the file key.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import BinaryIO

from repatriation.domain.bundle_errors import (
    NotABundleError,
    TamperedError,
    TooLargeError,
    TruncatedError,
    UnsupportedVersionError,
)
from repatriation.domain.bundle_limits import Limits

INTRO_PREFIX = b"age-encryption.org/"
INTRO = INTRO_PREFIX + b"v1\n"
MAC_MARK = b"---"
COLUMNS = 64
_B64_LINE = re.compile(rb"[A-Za-z0-9+/]*")
_VCHAR_ARG = re.compile(rb"[\x21-\x7e]+")


@dataclass(frozen=True)
class Stanza:
    """One recipient stanza: a type, its arguments and the decoded body."""

    type: str
    args: tuple[str, ...]
    body: bytes


@dataclass(frozen=True)
class Header:
    """A parsed header; ``mac_input`` is every byte up to and including ``---``."""

    stanzas: tuple[Stanza, ...]
    mac: bytes
    mac_input: bytes
    size: int  # bytes on the wire, MAC line included


def b64_decode_strict(text: bytes, what: str, where: str) -> bytes:
    """Decode unpadded, canonical standard base64 (the only form age allows in headers)."""
    if not _B64_LINE.fullmatch(text) or len(text) % 4 == 1:
        raise TamperedError(what, where, reason="bad_base64")
    try:
        raw = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except binascii.Error:
        raise TamperedError(what, where, reason="bad_base64") from None
    if b64_encode(raw) != text:
        raise TamperedError(what, where, reason="non_canonical_base64")
    return raw


def b64_encode(raw: bytes) -> bytes:
    """Unpadded standard base64."""
    return base64.b64encode(raw).rstrip(b"=")


class _Lines:
    """Reads LF-terminated lines with a per-line and a total cap."""

    def __init__(self, source: BinaryIO, limits: Limits) -> None:
        self._source = source
        self._limits = limits
        self.consumed = bytearray()

    def next(self, what: str) -> bytes:
        room = self._limits.max_header_bytes - len(self.consumed)
        line_cap = self._limits.max_header_line
        if room <= 0:
            raise TooLargeError(what, f"line {self.line_number}", reason="header_too_long",
                                limit=self._limits.max_header_bytes)
        cap = min(line_cap, room) + 1
        line = self._source.readline(cap)
        self.consumed += line
        if line.endswith(b"\n"):
            return line[:-1]
        if len(line) >= cap:
            too_long_header = room <= line_cap
            raise TooLargeError(
                what, f"line {self.line_number}",
                reason="header_too_long" if too_long_header else "line_too_long",
                limit=self._limits.max_header_bytes if too_long_header else line_cap,
            )
        raise TruncatedError(what, f"line {self.line_number}", reason="eof_in_header")

    @property
    def line_number(self) -> int:
        return self.consumed.count(b"\n") + 1


def parse_intro(line: bytes) -> None:
    """Check the version line (without its LF): age v1, or say which version it is."""
    if not line.startswith(INTRO_PREFIX):
        raise NotABundleError("age_header", "line 1", reason="bad_magic")
    version = line[len(INTRO_PREFIX):]
    if not _VCHAR_ARG.fullmatch(version):
        raise TamperedError("age_header", "line 1", reason="bad_version_line")
    if version != b"v1":
        raise UnsupportedVersionError(
            "age_header", "line 1", version=version[:32].decode("ascii"), supported="v1"
        )


def parse_header(source: BinaryIO, limits: Limits) -> Header:
    """Parse and validate the header from ``source``, leaving it at the first payload byte."""
    lines = _Lines(source, limits)
    first = source.readline(len(INTRO) + 64)
    lines.consumed += first
    if not first:
        raise NotABundleError("age_header", "line 1", reason="empty")
    if not first.endswith(b"\n"):
        parse_intro(first)  # says "not age" or "other version" before "truncated"
        raise TruncatedError("age_header", "line 1", reason="eof_in_header")
    parse_intro(first[:-1])
    stanzas: list[Stanza] = []
    line = lines.next("age_header")
    while line.startswith(b"-> "):
        if len(stanzas) >= limits.max_stanzas:
            raise TooLargeError("age_header", f"line {lines.line_number}",
                                reason="too_many_stanzas", limit=limits.max_stanzas)
        stanzas.append(_parse_stanza(line, lines))
        line = lines.next("age_header")
    where = f"line {lines.line_number - 1}"
    if not line.startswith(MAC_MARK):
        raise TamperedError("age_header", where, reason="bad_line")
    if not stanzas:
        raise TamperedError("age_header", where, reason="no_stanza")
    if not line.startswith(MAC_MARK + b" ") or len(line) != len(MAC_MARK) + 1 + 43:
        raise TamperedError("age_header", where, reason="bad_mac_line")
    mac = b64_decode_strict(line[len(MAC_MARK) + 1:], "age_header", where)
    consumed = bytes(lines.consumed)
    mac_input = consumed[: len(consumed) - len(line) - 1 + len(MAC_MARK)]
    return Header(tuple(stanzas), mac, mac_input, len(consumed))


def _parse_stanza(arg_line: bytes, lines: _Lines) -> Stanza:
    where = f"line {lines.line_number - 1}"
    parts = arg_line[3:].split(b" ")
    for part in parts:
        if not _VCHAR_ARG.fullmatch(part):
            raise TamperedError("age_header", where, reason="bad_stanza_argument")
    body = bytearray()
    while True:
        line = lines.next("age_header")
        if len(line) > COLUMNS:
            raise TamperedError("age_header", f"line {lines.line_number - 1}",
                                reason="body_line_too_long")
        if not _B64_LINE.fullmatch(line):
            raise TamperedError("age_header", f"line {lines.line_number - 1}",
                                reason="bad_stanza_body")
        body += line
        if len(line) < COLUMNS:
            break
    decoded = b64_decode_strict(bytes(body), "age_header", where)
    text = [p.decode("ascii") for p in parts]
    return Stanza(type=text[0], args=tuple(text[1:]), body=decoded)


def encode_stanza(stanza: Stanza) -> bytes:
    """Encode one stanza: argument line, then the body wrapped at 64 columns."""
    out = bytearray(b"-> " + " ".join((stanza.type, *stanza.args)).encode("ascii") + b"\n")
    body = b64_encode(stanza.body)
    for i in range(0, len(body), COLUMNS):
        out += body[i:i + COLUMNS] + b"\n"
    if len(body) % COLUMNS == 0:
        out += b"\n"  # the body always ends with a short (possibly empty) line
    return bytes(out)


def encode_header_for_mac(stanzas: tuple[Stanza, ...] | list[Stanza]) -> bytes:
    """Header bytes up to and including ``---`` (what the MAC covers)."""
    return INTRO + b"".join(encode_stanza(s) for s in stanzas) + MAC_MARK
