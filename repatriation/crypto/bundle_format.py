"""The case-bundle format, version 1: reading the manifest and what its signature covers.

A bundle is an age v1 file (see ``docs/bundle-format.md``). Its plaintext is a tar archive
whose first member is ``manifest.json`` (canonical JSON, ``domain/bundle_manifest.py``) and
second ``manifest.sig`` (the 64-byte Ed25519 signature of ``SIGNATURE_CONTEXT ||
manifest.json``), then the files the manifest lists, in its order. The manifest names the
recipients' key ids, so a recipient cannot forward the bundle to someone else as if it had been
sent to them (Davis, "Defective Sign & Encrypt").
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from typing import Any

from repatriation.domain import audit_checkpoint as checkpoint
from repatriation.domain.bundle_errors import (
    BadArchiveError,
    KeyFormatError,
    NotABundleError,
    SchemaError,
    TooLargeError,
    UnsupportedVersionError,
)
from repatriation.domain.bundle_limits import Limits
from repatriation.domain.bundle_manifest import (
    CASES_NAME,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST_NAME,
    SCHEMA_VERSION,
    SIGNATURE_CONTEXT,
    SIGNATURE_NAME,
    FileEntry,
    Manifest,
)
from repatriation.domain.strict_json import loads_strict

# Member names: ASCII, at most one folder level, no dot-dot, fits a ustar name field.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}(/[A-Za-z0-9][A-Za-z0-9._-]{0,79})?")
_HEX = re.compile(r"[0-9a-f]+")
_PURPOSE = re.compile(r"[a-z][a-z0-9_]{0,39}")
_FIELDS = {
    "format", "format_version", "schema_version", "bundle_id", "sender", "sender_agency",
    "recipients", "passphrase", "created_at", "sequence", "purpose", "files", "audit_head",
}


def new_bundle_id() -> str:
    """128 random bits, hex."""
    return secrets.token_hex(16)


def signing_message(manifest_bytes: bytes) -> bytes:
    """What the Ed25519 signature covers (domain-separated)."""
    return SIGNATURE_CONTEXT + manifest_bytes


def parse_manifest(data: bytes, limits: Limits) -> Manifest:
    """Parse and validate ``manifest.json``: magic and version first, then every field."""
    doc = loads_strict(data, what=MANIFEST_NAME, max_bytes=limits.max_manifest_bytes,
                       max_depth=4)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise NotABundleError(MANIFEST_NAME, "format", reason="bad_magic")
    if doc.get("format_version") != FORMAT_VERSION:
        raise UnsupportedVersionError(MANIFEST_NAME, "format_version",
                                      version=str(doc.get("format_version"))[:8],
                                      supported=str(FORMAT_VERSION))
    if doc.get("schema_version") != SCHEMA_VERSION:
        raise UnsupportedVersionError(MANIFEST_NAME, "schema_version",
                                      version=str(doc.get("schema_version"))[:8],
                                      supported=str(SCHEMA_VERSION))
    if set(doc) != _FIELDS:
        odd = sorted(set(doc) ^ _FIELDS)[0]
        raise SchemaError(MANIFEST_NAME, f"$.{odd[:40]}", reason="unknown_or_missing_field")
    manifest = Manifest(
        bundle_id=_hex(doc, "bundle_id", 32), sender=_hex(doc, "sender", 64),
        sender_agency=_text(doc, "sender_agency", 200),
        recipients=_recipients(doc), passphrase=_bool(doc, "passphrase"),
        created_at=_timestamp(doc), sequence=_int(doc, "sequence", 2**53),
        purpose=_match(doc, "purpose", _PURPOSE), files=_files(doc, limits),
        schema_version=SCHEMA_VERSION, audit_head=_audit_head(doc),
    )
    if manifest.encode() != data:
        raise SchemaError(MANIFEST_NAME, "$", reason="not_canonical")
    return manifest


def _text(doc: dict[str, Any], key: str, max_len: int) -> str:
    value = doc[key]
    if not isinstance(value, str) or len(value) > max_len:
        raise SchemaError(MANIFEST_NAME, f"$.{key}", reason="wrong_type")
    return value


def _match(doc: dict[str, Any], key: str, pattern: re.Pattern[str]) -> str:
    value = _text(doc, key, 200)
    if not pattern.fullmatch(value):
        raise SchemaError(MANIFEST_NAME, f"$.{key}", reason="bad_value")
    return value


def _hex(doc: dict[str, Any], key: str, length: int, where: str = "") -> str:
    value = doc[key]
    if not isinstance(value, str) or len(value) != length or not _HEX.fullmatch(value):
        raise SchemaError(MANIFEST_NAME, where or f"$.{key}", reason="bad_hex")
    return value


def _bool(doc: dict[str, Any], key: str) -> bool:
    value = doc[key]
    if not isinstance(value, bool):
        raise SchemaError(MANIFEST_NAME, f"$.{key}", reason="wrong_type")
    return value


def _int(doc: dict[str, Any], key: str, maximum: int, where: str = "") -> int:
    value = doc[key]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        raise SchemaError(MANIFEST_NAME, where or f"$.{key}", reason="bad_integer")
    return value


def _audit_head(doc: dict[str, Any]) -> str:
    """The sender's signed audit checkpoint (``domain/audit_checkpoint.py``), or ``""``."""
    value = _text(doc, "audit_head", checkpoint.MAX_TEXT)
    if value:
        try:
            checkpoint.parse(value)
        except KeyFormatError:
            raise SchemaError(MANIFEST_NAME, "$.audit_head", reason="bad_checkpoint") from None
    return value


def _timestamp(doc: dict[str, Any]) -> datetime:
    value = _text(doc, "created_at", 20)
    try:
        parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise SchemaError(MANIFEST_NAME, "$.created_at", reason="bad_timestamp") from None
    return parsed


def _recipients(doc: dict[str, Any]) -> tuple[str, ...]:
    value = doc["recipients"]
    if not isinstance(value, list) or len(value) > 64:
        raise SchemaError(MANIFEST_NAME, "$.recipients", reason="wrong_type")
    ids = tuple(_hex({"r": r}, "r", 64, f"$.recipients[{i}]") for i, r in enumerate(value))
    if list(ids) != sorted(set(ids)):
        raise SchemaError(MANIFEST_NAME, "$.recipients", reason="not_sorted_unique")
    passphrase = doc["passphrase"]
    if bool(ids) == (passphrase is True):
        # Either a key bundle with recipients, or a passphrase bundle without any.
        raise SchemaError(MANIFEST_NAME, "$.recipients", reason="recipients_vs_passphrase")
    return ids


def _files(doc: dict[str, Any], limits: Limits) -> tuple[FileEntry, ...]:
    value = doc["files"]
    if not isinstance(value, list):
        raise SchemaError(MANIFEST_NAME, "$.files", reason="wrong_type")
    if len(value) > limits.max_members:
        raise TooLargeError(MANIFEST_NAME, "$.files", count=len(value),
                            limit=limits.max_members)
    entries: list[FileEntry] = []
    seen: set[str] = set()
    total = 0
    for i, item in enumerate(value):
        entry = _file(item, f"$.files[{i}]", seen, limits)
        total += entry.size
        if total > limits.max_bundle_bytes:
            raise TooLargeError(MANIFEST_NAME, f"$.files[{i}]", size=total,
                                limit=limits.max_bundle_bytes)
        entries.append(entry)
    if CASES_NAME not in seen:
        raise SchemaError(MANIFEST_NAME, "$.files", reason="no_cases_json")
    return tuple(entries)


def _file(item: Any, where: str, seen: set[str], limits: Limits) -> FileEntry:
    if not isinstance(item, dict) or set(item) != {"name", "size", "sha256"}:
        raise SchemaError(MANIFEST_NAME, where, reason="wrong_fields")
    name = item["name"]
    if not isinstance(name, str) or not valid_member_name(name):
        raise BadArchiveError(MANIFEST_NAME, where, reason="bad_name")
    if name in seen or name in (MANIFEST_NAME, SIGNATURE_NAME):
        raise BadArchiveError(MANIFEST_NAME, where, reason="duplicate_name")
    seen.add(name)
    size = item["size"]
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise SchemaError(MANIFEST_NAME, where, reason="bad_size")
    if size > limits.max_member_bytes:
        raise TooLargeError(name, where, size=size, limit=limits.max_member_bytes)
    return FileEntry(name, size, _hex(item, "sha256", 64, where))


def valid_member_name(name: str) -> bool:
    """Safe archive names only: no absolute paths, ``..``, backslashes, drives, NUL, Unicode."""
    return bool(_NAME.fullmatch(name)) and ".." not in name and len(name) <= 100
