"""Counterparts' keys as this post records them, and the text forms key material travels in.

Pure data: a ``DirectoryEntry`` holds a counterpart's public keys as text (checked when the
crypto adapter turns them back into keys); the key card line is found in pasted text here and
parsed by ``repatriation.crypto.keys.parse_card``.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from repatriation.domain.bundle_errors import KeyFormatError

# A rotated-out identity of ours still opens bundles sent to it for this long.
DEFAULT_GRACE = timedelta(days=30)


class AgencyKind(StrEnum):
    """What kind of body holds a key: decides what a bundle to it may contain."""

    FOREIGN_COUNTERPART = "foreign_counterpart"  # Chinese, Cambodian, Lao police / welfare
    RECEPTION_CENTRE = "reception_centre"  # social protection centre, shelter
    BORDER_POST = "border_post"  # another Vietnamese post or the provincial command


def b64url(raw: bytes) -> str:
    """Unpadded URL-safe base64."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def unb64url(text: str, what: str) -> bytes:
    """Decode unpadded URL-safe base64, refusing non-canonical input."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise KeyFormatError(what, reason="base64") from None
    if b64url(raw) != text:
        raise KeyFormatError(what, reason="base64")
    return raw


def card_from_text(text: str) -> str:
    """The card line in what a person pasted or a file holds.

    Accepts the bare line, the JSON that ``keys card --json`` prints, and files with comment
    lines or several lines around the card (as saved or printed by either the desk or the CLI).
    """
    stripped = text.strip()
    if stripped.startswith("{"):
        try:  # raw_decode: ``keys card --json --qr`` prints the terminal QR code after the JSON
            found = json.JSONDecoder().raw_decode(stripped)[0].get("card", "")
        except (ValueError, AttributeError):
            raise KeyFormatError("key_card", reason="prefix") from None
        return str(found).strip()
    for line in stripped.splitlines():
        line = line.strip().lstrip("#").strip()
        if line.startswith("vn-ctp-key:"):
            return line
    return stripped


@dataclass(frozen=True)
class DirectoryEntry:
    """A counterpart's public keys as recorded at this post."""

    agency: str
    kind: AgencyKind
    key_id: str
    x25519_recipient: str
    ed25519_public: str  # unpadded URL-safe base64
    valid_from: datetime
    valid_until: datetime | None = None  # rotated: bundles created after this are refused
    revoked_at: datetime | None = None  # compromised or withdrawn: all its bundles are refused
    verified_out_of_band: bool = False
    verified_by: str = ""
    verified_at: datetime | None = None
    country: str = ""  # ISO 3166-1 alpha-2 of a foreign counterpart, set by our officer

    def usable_for_sending(self, now: datetime) -> bool:
        """Whether new bundles may be encrypted to this key (verified, not revoked, current)."""
        if not self.verified_out_of_band or self.revoked_at is not None or now < self.valid_from:
            return False
        return self.valid_until is None or now <= self.valid_until
