"""Strict, streaming ASCII armor for age files (C2SP age.md "ASCII armor", RFC 7468 strict PEM).

Armor is malleable unless parsed strictly, so the reader accepts exactly: optional whitespace,
the BEGIN line, full 64-column lines of canonical padded base64, one shorter (non-empty) last
line, the END line, optional whitespace. LF or CRLF line ends. Anything else is refused.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from typing import BinaryIO

from repatriation.domain.bundle_errors import NotABundleError, TamperedError, TruncatedError
from repatriation.domain.bundle_limits import Limits

BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
END = b"-----END AGE ENCRYPTED FILE-----"
COLUMNS = 64
BYTES_PER_LINE = 48
_WHITESPACE = b" \t\r\n\v\f"
_PADDED_B64 = re.compile(rb"[A-Za-z0-9+/]+={0,2}")


def looks_armored(head: bytes, limits: Limits) -> bool:
    """Whether ``head`` (the first bytes of a file) opens an armored age file."""
    stripped = head.lstrip(_WHITESPACE)
    return len(head) - len(stripped) <= limits.max_armor_whitespace and stripped.startswith(BEGIN)


def armor(data: bytes) -> bytes:
    """Armor a whole (small) age file: for tests, fixtures and e-mail bodies."""
    encoded = base64.b64encode(data)
    lines = [encoded[i:i + COLUMNS] for i in range(0, len(encoded), COLUMNS)]
    return b"\n".join([BEGIN, *lines, END]) + b"\n"


class ArmorReader(io.RawIOBase):
    """Decodes an armored age file from a buffered ``source`` (it must support ``readline``)."""

    def __init__(self, source: BinaryIO, limits: Limits) -> None:
        super().__init__()
        self._source = source
        self._limits = limits
        self._pending = b""
        self._started = False
        self._done = False
        self._line_no = 0

    def readable(self) -> bool:
        """Always readable."""
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        """Fill ``buffer`` with decoded bytes; 0 at the end of the armor."""
        while not self._pending and not self._done:
            self._advance()
        count = min(len(buffer), len(self._pending))
        memoryview(buffer)[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        return count

    def _line(self) -> bytes | None:
        """Next line without its LF / CRLF; ``None`` at end of file."""
        raw = self._source.readline(COLUMNS + 3)
        if not raw:
            return None
        self._line_no += 1
        if len(raw) == COLUMNS + 3 and not raw.endswith(b"\n"):
            raise TamperedError("armor", f"line {self._line_no}", reason="line_too_long")
        line = raw[:-1] if raw.endswith(b"\n") else raw
        return line[:-1] if line.endswith(b"\r") else line

    def _start(self) -> None:
        skipped = 0
        while True:
            raw = self._source.readline(self._limits.max_armor_whitespace + 1)
            if not raw:
                raise NotABundleError("armor", "begin", reason="no_begin_line")
            self._line_no += 1
            if not raw.strip(_WHITESPACE):
                skipped += len(raw)
                if skipped > self._limits.max_armor_whitespace:
                    raise TamperedError("armor", "begin", reason="too_much_whitespace")
                continue
            line = raw[:-1] if raw.endswith(b"\n") else raw
            line = line[:-1] if line.endswith(b"\r") else line
            if line != BEGIN:
                raise TamperedError("armor", f"line {self._line_no}", reason="bad_begin_line")
            self._started = True
            return

    def _advance(self) -> None:
        if not self._started:
            self._start()
        line = self._line()
        if line is None:
            raise TruncatedError("armor", f"line {self._line_no + 1}", reason="no_end_line")
        if line == END:
            self._finish()
            return
        self._pending = self._decode(line)
        if len(self._pending) < BYTES_PER_LINE:
            # A short line is the last one: the END line must follow at once.
            closing = self._line()
            if closing is None:
                raise TruncatedError("armor", f"line {self._line_no + 1}", reason="no_end_line")
            if closing != END:
                raise TamperedError("armor", f"line {self._line_no}", reason="bad_end_line")
            self._finish()

    def _decode(self, line: bytes) -> bytes:
        where = f"line {self._line_no}"
        if len(line) > COLUMNS:
            raise TamperedError("armor", where, reason="line_too_long")
        if not _PADDED_B64.fullmatch(line) or len(line) % 4:
            raise TamperedError("armor", where, reason="bad_base64")
        try:
            data = base64.b64decode(line, validate=True)
        except binascii.Error:
            raise TamperedError("armor", where, reason="bad_base64") from None
        if base64.b64encode(data) != line:
            raise TamperedError("armor", where, reason="non_canonical_base64")
        return data

    def _finish(self) -> None:
        self._done = True
        cap = self._limits.max_armor_whitespace
        tail = self._source.read(cap + 1)
        if tail.strip(_WHITESPACE):
            raise TamperedError("armor", "end", reason="data_after_end")
        if len(tail) > cap:
            raise TamperedError("armor", "end", reason="too_much_whitespace")
