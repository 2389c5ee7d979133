"""Stream (row, record) pairs out of an import file in bounded memory, hashing it on the way.

CSV and JSON obey the same rules: every value is text (JSON may also give ``estimated_age`` as a
whole number), no control characters, at most :data:`MAX_FIELD_CHARS` characters per field,
known and unique column names. A JSON file is an array of flat objects (or ``{"cases": [...]}``)
and is read one object at a time, so a 100,000-row file never sits in memory whole.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from repatriation.domain.errors import ImportRowError, ValidationError

MAX_ROWS = 200_000
MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_FIELD_CHARS = 128 * 1024
# A record may be up to every column at the cap, plus JSON escapes and keys.
MAX_RECORD_CHARS = 32 * MAX_FIELD_CHARS
# The csv module's own cap sits above ours so that our check (which names the column) runs first.
_CSV_LIMIT = 16 * 1024 * 1024
_CHUNK = 256 * 1024
# C0 controls except tab, newline and carriage return, plus DEL: a NUL in a name breaks printing,
# searching and other programs reading an export.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WHITESPACE = " \t\r\n"
Record = dict[str, Any]


class HashingReader:
    """Text from a binary file, decoded as UTF-8 (BOM skipped) while its SHA-256 is computed."""

    def __init__(self, handle: BinaryIO, path: Path) -> None:
        self._handle, self._path = handle, path
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.sha256 = hashlib.sha256()
        self.eof = False

    def read(self, size: int = _CHUNK) -> str:
        """Up to about ``size`` characters ('' at the end of the file)."""
        if self.eof:
            return ""
        data = self._handle.read(size)
        self.sha256.update(data)
        self.eof = not data
        try:
            return self._decoder.decode(data, final=self.eof)
        except UnicodeDecodeError:
            raise ValidationError("not_utf8", path=str(self._path)) from None

    def lines(self) -> Iterator[str]:
        """The file as lines ending in a line feed (a CR before it is kept for the csv module)."""
        # Split on "\n" only: str.splitlines also splits at U+2028 and other separators that
        # may sit inside a name, and the csv module would then see two records.
        pending = ""
        while chunk := self.read():
            pending += chunk
            *complete, pending = pending.split("\n")
            for line in complete:
                yield line + "\n"
        if pending:
            yield pending


def check_value(value: Any, column: str, row: int, *, number_allowed: bool = False) -> str:
    """The text of one field, held to the rules every import format shares."""
    if value is None:
        return ""
    if number_allowed and type(value) is int:
        value = str(value)
    if not isinstance(value, str):
        raise ImportRowError(row=row, column=column, reason="not_text")
    if len(value) > MAX_FIELD_CHARS:
        raise ImportRowError(row=row, column=column, reason="too_long")
    if _CONTROL.search(value):
        raise ImportRowError(row=row, column=column, reason="control_character")
    return value


def check_header(names: list[str], known: tuple[str, ...], row: int = 1) -> None:
    """Refuse unknown, empty and repeated column names (a repeat would keep only its last value)."""
    seen: set[str] = set()
    for name in names:
        if name not in known:
            raise ImportRowError(row=row, column=name, reason="unknown_column")
        if name in seen:
            raise ImportRowError(row=row, column=name, reason="duplicate_column")
        seen.add(name)


def csv_records(source: HashingReader, known: tuple[str, ...]) -> Iterator[tuple[int, Record]]:
    """(line of the record's start, record) for each CSV data row."""
    csv.field_size_limit(_CSV_LIMIT)
    reader = csv.reader(source.lines(), strict=True)
    start = 1
    try:
        header = next(reader, None)
        if header is None:
            raise ValidationError("empty_file")
        check_header(header, known)
        count = 0
        start = reader.line_num + 1
        for values in reader:
            if len(values) != len(header):
                if not any(values):
                    start = reader.line_num + 1
                    continue  # a blank line, as csv.DictReader skipped them
                raise ImportRowError(row=start, column="*", reason="wrong_column_count")
            count += 1
            if count > MAX_ROWS:
                raise ValidationError("too_many_rows", limit=MAX_ROWS)
            yield start, dict(zip(header, values, strict=True))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportRowError(row=start, column="*", reason="csv_syntax", value=str(exc)[:60]) from None


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> Record:
    record = dict(pairs)
    if len(record) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return record


class _JsonStream:
    """A window on the text: enough to decode the next value, never the whole file."""

    def __init__(self, source: HashingReader) -> None:
        self.source, self.buffer, self.pos, self.line, self.dropped = source, "", 0, 1, 0
        self._decoder = json.JSONDecoder(object_pairs_hook=_no_duplicates)

    def _fill(self, wanted: int) -> bool:
        if self.pos:
            newline = self.buffer.rfind("\n", 0, self.pos)
            self.line += self.buffer.count("\n", 0, self.pos)
            # Characters of the current line already dropped (for the column of an error).
            self.dropped = self.pos - newline - 1 if newline >= 0 else self.dropped + self.pos
            self.buffer, self.pos = self.buffer[self.pos :], 0
        chunk = self.source.read(max(wanted, _CHUNK))
        self.buffer += chunk
        return bool(chunk)

    def peek(self) -> str:
        """The next non-blank character ('' at the end)."""
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._fill(_CHUNK):
                return ""

    def expect(self, char: str) -> None:
        if self.peek() != char:
            self.syntax_error()
        self.pos += 1

    def syntax_error(self, offset: int = 0) -> None:
        where = self.pos + offset
        line = self.line + self.buffer.count("\n", 0, where)
        newline = self.buffer.rfind("\n", 0, where)
        column = where - newline if newline >= 0 else self.dropped + where + 1
        raise ValidationError("json_syntax", line=line, column=column)

    def _too_long(self, row: int) -> ImportRowError:
        # Name the column whose value crossed the cap, as the CSV check does.
        column = _last_key(self.buffer[self.pos : self.pos + MAX_RECORD_CHARS])
        reason = "too_long" if column else "record_too_long"
        return ImportRowError(row=row, column=column or "*", reason=reason)

    def value(self, row: int) -> Any:
        """Decode the next value; its text may not exceed :data:`MAX_RECORD_CHARS`."""
        self.peek()
        while True:
            try:
                value, end = self._decoder.raw_decode(self.buffer, self.pos)
            except RecursionError:
                raise ValidationError("json_too_deep") from None
            except _DuplicateKey as exc:
                raise ImportRowError(row=row, column=exc.key, reason="duplicate_column") from None
            except json.JSONDecodeError as exc:
                if self.source.eof:
                    self.syntax_error(exc.pos - self.pos)
                if len(self.buffer) - self.pos > MAX_RECORD_CHARS:
                    raise self._too_long(row) from None
                # Probably cut at the window's end: read more (doubling keeps retries few).
                self._fill(len(self.buffer) - self.pos)
                continue
            if end - self.pos > MAX_RECORD_CHARS:
                raise self._too_long(row)
            self.pos = end
            return value


# JSON tokens, enough to find which key an over-long value belongs to (possessive: linear time).
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*+"|[{}\[\],:]')


def _last_key(window: str) -> str:
    """The last key of the outer object in a record cut at the size cap ('' if none)."""
    depth, last, pending = 0, "", ""
    for match in _TOKEN.finditer(window):
        token = match.group()
        if token in "{[":
            depth += 1
        elif token in "}]":
            depth -= 1
        elif token == ":" and depth == 1 and pending:
            last = pending
        pending = token if token.startswith('"') else ""
    try:
        key = json.loads(last) if last else ""
    except ValueError:
        return ""
    return key[:64] if isinstance(key, str) else ""


def json_records(source: HashingReader) -> Iterator[tuple[int, Record]]:
    """(position in the array, object) for each element of the array of cases."""
    stream = _JsonStream(source)
    first = stream.peek()
    if first == "{":
        stream.expect("{")
        found = False
        while stream.peek() != "}":
            key = stream.value(0)
            stream.expect(":")
            if key == "cases" and stream.peek() == "[":
                yield from _array(stream)
                found = True
            else:
                stream.value(0)  # other keys (a title, a note) are skipped, within the size cap
            if stream.peek() == ",":
                stream.expect(",")
        stream.expect("}")
        if not found:
            raise ValidationError("json_not_a_list")
    elif first == "[":
        yield from _array(stream)
    elif first == "":
        raise ValidationError("empty_file")
    else:
        raise ValidationError("json_not_a_list")
    if stream.peek() != "":
        stream.syntax_error()


def _array(stream: _JsonStream) -> Iterator[tuple[int, Record]]:
    stream.expect("[")
    row = 0
    while stream.peek() != "]":
        row += 1
        if row > MAX_ROWS:
            raise ValidationError("too_many_rows", limit=MAX_ROWS)
        item = stream.value(row)
        if not isinstance(item, dict):
            raise ImportRowError(row=row, column="*", reason="not_an_object")
        yield row, item
        if stream.peek() == ",":
            stream.expect(",")
            if stream.peek() == "]":
                stream.syntax_error()
        elif stream.peek() != "]":
            stream.syntax_error()
    stream.expect("]")
