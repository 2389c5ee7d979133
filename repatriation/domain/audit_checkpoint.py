"""Audit checkpoints as data: "entry S of this post's log had hash H", signed with the post's key.

A checkpoint is one ASCII line, the same in the checkpoint file beside the database, in a bundle
manifest and in a receiving desk's export (``docs/tamper-evidence.md``)::

    cp1.<number>.<sequence>.<head hash, hex>.<YYYYMMDDTHHMMSSZ>.<reason>.<ed25519 key>.<signature>

``number`` counts the post's checkpoints (1, 2, ...); the signature (unpadded URL-safe base64)
covers ``CONTEXT`` followed by everything before the last dot. A checkpoint issued while the
post's key was locked carries ``-`` for the key and the signature: it still anchors the desk's
own check (a restore of an older backup is caught), but proves nothing to anybody else. Signing
and checking signatures is the crypto adapter's (``services/checkpoints.py`` gets it as a port).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from repatriation.domain.bundle_errors import KeyFormatError
from repatriation.domain.key_directory import b64url, unb64url

PREFIX = "cp1"
CONTEXT = b"vn-ctp-checkpoint/v1\n"
UNSIGNED = "-"
REASONS = ("bundle", "form", "backup", "daily", "restore", "manual")
MAX_TEXT = 300
_TIME = "%Y%m%dT%H%M%SZ"
_LINE = re.compile(
    r"cp1\.(?P<number>[1-9][0-9]{0,15})\.(?P<sequence>0|[1-9][0-9]{0,15})\.(?P<hash>[0-9a-f]{64})"
    r"\.(?P<at>[0-9]{8}T[0-9]{6}Z)\.(?P<reason>[a-z]{1,16})"
    r"\.(?P<key>-|[A-Za-z0-9_-]{43})\.(?P<sig>-|[A-Za-z0-9_-]{86})"
)


@dataclass(frozen=True)
class Checkpoint:
    """One checkpoint; ``ed25519``/``signature`` are empty for an unsigned (local-only) one."""

    number: int
    sequence: int
    head_hash: str
    at: datetime  # UTC, whole seconds
    reason: str
    ed25519: bytes = b""
    signature: bytes = b""

    @property
    def signed(self) -> bool:
        """Whether the checkpoint carries a key and a signature."""
        return bool(self.ed25519 and self.signature)

    def body(self) -> str:
        """The text the signature covers (after ``CONTEXT``)."""
        key = b64url(self.ed25519) if self.ed25519 else UNSIGNED
        at = self.at.astimezone(UTC).strftime(_TIME)
        return f"{PREFIX}.{self.number}.{self.sequence}.{self.head_hash}.{at}.{self.reason}.{key}"

    def text(self) -> str:
        """The one-line form (file, manifest, export)."""
        return f"{self.body()}.{b64url(self.signature) if self.signature else UNSIGNED}"

    def signing_input(self) -> bytes:
        """What the post's Ed25519 signature covers: ``CONTEXT`` and the body."""
        return CONTEXT + self.body().encode("ascii")


def parse(text: str) -> Checkpoint:
    """Read one checkpoint line (the signature is not checked here).

    Raises:
        KeyFormatError: ``what="checkpoint"`` and the ``reason``.
    """
    text = text.strip()
    if len(text) > MAX_TEXT or not text.isascii():
        raise KeyFormatError("checkpoint", reason="length")
    match = _LINE.fullmatch(text)
    if match is None:
        raise KeyFormatError("checkpoint", reason="format")
    try:
        at = datetime.strptime(match["at"], _TIME).replace(tzinfo=UTC)
    except ValueError:
        raise KeyFormatError("checkpoint", reason="time") from None
    key, sig = match["key"], match["sig"]
    if (key == UNSIGNED) != (sig == UNSIGNED):
        raise KeyFormatError("checkpoint", reason="signature")
    checkpoint = Checkpoint(
        number=int(match["number"]), sequence=int(match["sequence"]), head_hash=match["hash"],
        at=at, reason=match["reason"],
        ed25519=b"" if key == UNSIGNED else unb64url(key, "checkpoint"),
        signature=b"" if sig == UNSIGNED else unb64url(sig, "checkpoint"),
    )
    if checkpoint.text() != text:
        raise KeyFormatError("checkpoint", reason="not_canonical")
    return checkpoint
