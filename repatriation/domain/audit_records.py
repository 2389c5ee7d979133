"""What the audit log stores: its rows and head as read back, and the hash of each case it wrote."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

# The details key under which an entry lists the cases it wrote: reference -> document hash.
DOCS_KEY = "docs"


def document_digest(document: str) -> str:
    """SHA-256 (hex) of a case's stored JSON document, as the audit entry that wrote it records."""
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AuditRecord:
    """One stored audit row with both hashes, as read for verification."""

    sequence: int
    at: datetime
    actor: str
    action: str
    entity: str
    reference: str
    details: str
    prev_hash: str
    entry_hash: str


@dataclass(frozen=True)
class AuditHead:
    """The newest link: what a printout, a bundle or a checkpoint remembers."""

    sequence: int
    entry_hash: str
