"""The case bundle's manifest, its constants and the public part of its header, as plain data.

What a bundle says about itself (see ``docs/bundle-format.md``) is data the services reason
about; reading, signing and encrypting it is the crypto adapter's work (``repatriation.crypto``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from repatriation.domain.strict_json import canonical_json

FORMAT = "vn-ctp-bundle"
FORMAT_VERSION = 1
SCHEMA_VERSION = 1
SIGNATURE_CONTEXT = b"vn-ctp-bundle/v1\n"
STANZA_TYPE = "vn-ctp-bundle"  # grease stanza in the age header: version and plaintext size
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
CASES_NAME = "cases.json"
SIGNATURE_SIZE = 64
FILE_EXTENSION = ".vnbundle"


@dataclass(frozen=True)
class FileEntry:
    """One archive member listed in the manifest."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """What the sender signs: who, to whom, when, why, and every file's size and hash."""

    bundle_id: str
    sender: str  # key id
    sender_agency: str
    recipients: tuple[str, ...]  # key ids, sorted; empty for a passphrase bundle
    passphrase: bool
    created_at: datetime  # UTC
    sequence: int  # per sender, increasing
    purpose: str
    files: tuple[FileEntry, ...]
    schema_version: int = SCHEMA_VERSION
    audit_head: str = ""  # the sender's signed audit checkpoint when the bundle was made

    def to_json(self) -> dict[str, Any]:
        """The manifest as plain JSON values."""
        return {
            "format": FORMAT, "format_version": FORMAT_VERSION,
            "schema_version": self.schema_version, "bundle_id": self.bundle_id,
            "sender": self.sender, "sender_agency": self.sender_agency,
            "recipients": sorted(self.recipients), "passphrase": self.passphrase,
            "created_at": self.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "sequence": self.sequence, "purpose": self.purpose,
            "files": [{"name": f.name, "size": f.size, "sha256": f.sha256} for f in self.files],
            "audit_head": self.audit_head,
        }

    def encode(self) -> bytes:
        """Canonical bytes: exactly what is stored as ``manifest.json`` and signed."""
        return canonical_json(self.to_json())

    @property
    def payload_size(self) -> int:
        """Bytes of listed files (what the size caps are checked against)."""
        return sum(f.size for f in self.files)


@dataclass(frozen=True)
class HeaderInfo:
    """The public part of a bundle: size, armor, recipient stanza types, declared version/size."""

    size: int
    armored: bool
    stanza_types: tuple[str, ...]
    bundle_version: str | None
    declared_size: int | None
    scrypt_work_factor: int | None
