"""Who may send us bundles: sender checks against the key directory, and the forwarding check.

Order matters for honest error messages: an unknown key cannot be checked at all; a signature
that does not verify proves nothing about the claimed sender, so it is reported before the
sender's revocation or validity; verification out of band comes last.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from repatriation.crypto.bundle_format import signing_message
from repatriation.crypto.keys import entry_keys
from repatriation.domain.bundle_errors import (
    BadSignatureError,
    NotForUsError,
    RevokedSenderError,
    SchemaError,
    UnknownSenderError,
    UnverifiedSenderError,
)
from repatriation.domain.bundle_manifest import SIGNATURE_NAME, Manifest
from repatriation.domain.key_directory import DirectoryEntry

# A sender's clock may run ahead of ours; beyond a day, a "future" bundle is refused.
CLOCK_SKEW = timedelta(days=1)


def check_sender(entry: DirectoryEntry | None, manifest: Manifest, manifest_bytes: bytes,
                 signature: bytes, now: datetime) -> None:
    """Refuse unless a known, verified, unrevoked key valid at ``created_at`` signed this.

    Raises:
        UnknownSenderError: no directory entry for the sender.
        BadSignatureError: the signature does not verify under the sender's key.
        RevokedSenderError: the key was revoked, or rotated out before ``created_at``.
        UnverifiedSenderError: nobody recorded an out-of-band fingerprint check.
        SchemaError: ``created_at`` lies in the future.
    """
    sender = manifest.sender[:16]
    if entry is None or entry.key_id != manifest.sender:
        raise UnknownSenderError(SIGNATURE_NAME, "sender", sender=sender)
    if not entry_keys(entry).verify(signing_message(manifest_bytes), signature):
        raise BadSignatureError(SIGNATURE_NAME, "signature", sender=sender)
    if entry.revoked_at is not None:
        # Revocation means the key may be in other hands: a backdated created_at proves nothing.
        raise RevokedSenderError(SIGNATURE_NAME, "sender", sender=sender,
                                 revoked_at=entry.revoked_at.isoformat())
    # No check against ``valid_from`` (when WE added the key): a card and the first bundle
    # usually travel on one USB stick, so the bundle was signed before the key was added here.
    if entry.valid_until is not None and manifest.created_at > entry.valid_until:
        raise RevokedSenderError(SIGNATURE_NAME, "created_at", sender=sender,
                                 reason="rotated_out", valid_until=entry.valid_until.isoformat())
    if manifest.created_at > now + CLOCK_SKEW:
        raise SchemaError("manifest.json", "$.created_at", reason="in_future")
    if not entry.verified_out_of_band:
        raise UnverifiedSenderError(SIGNATURE_NAME, "sender", sender=sender)


def check_recipient(manifest: Manifest, opened_with: str | None) -> None:
    """Refuse a bundle whose signed recipient list does not name the key that opened it.

    ``opened_with`` is our key id, or ``None`` when a passphrase opened the file.
    """
    if opened_with is None:
        if not manifest.passphrase:
            raise NotForUsError("manifest.json", "$.passphrase", reason="not_a_passphrase_bundle")
        return
    if opened_with not in manifest.recipients:
        raise NotForUsError("manifest.json", "$.recipients", key=opened_with[:16])
