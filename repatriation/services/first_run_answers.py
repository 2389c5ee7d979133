"""The first run's answers, their checks page by page, and what the last page shows (no vault here)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from repatriation.domain.account_policy import PasswordRules, normalise_username
from repatriation.domain.actors import Actor
from repatriation.domain.enums import Corridor
from repatriation.domain.errors import ValidationError

if TYPE_CHECKING:  # the result carries the settings the set-up wrote; how they are read is not ours
    from repatriation.config import Settings

SUPPORTED_LANGUAGES: tuple[str, ...] = ("vi", "en", "zh_CN", "km", "lo")
KEY_PASSPHRASE_MIN_LENGTH = 12
_POST_CODE = re.compile(r"^[A-Z]{2,6}$")
DESK_KINDS = ("border_post", "reception_centre")  # what a desk of this application serves


@dataclass(frozen=True)
class PostProfile:
    """Who this desk is: the post's name, its case-reference prefix, corridor and gate."""

    post_name: str
    post_code: str
    corridor: str
    gate_code: str | None = None
    kind: str = "border_post"  # or "reception_centre": written on the post's key card


@dataclass(frozen=True)
class FirstRunAnswers:
    """Everything the officer answered, already validated page by page."""

    language: str
    profile: PostProfile
    username: str
    password: str = field(repr=False)
    display_name: str = ""
    key_passphrase: str = field(default="", repr=False)


@dataclass(frozen=True)
class DataLocations:
    """Where this post's data lives (shown on the last page; back these up)."""

    data_dir: Path
    database: str  # the SQLite file, or the server URL without its password
    keys_dir: Path
    backups_dir: Path
    attachments_dir: Path


@dataclass(frozen=True)
class FirstRunResult:
    """What the officer must see once: the recovery key, the key fingerprint, the locations."""

    settings: Settings
    actor: Actor
    recovery_key: str | None = field(repr=False)  # None: PostgreSQL mode (no local vault)
    key_passphrase: str = field(repr=False)
    key_id: str
    fingerprint: str
    fingerprint_words: tuple[str, ...]
    locations: DataLocations
    # The vault was set up before (the CLI's ``setup``, or a set-up interrupted after it): the
    # key shown then no longer opens the data, and the last page says so.
    recovery_key_replaced: bool = False


def nfc(text: str) -> str:
    """``text`` NFC-normalised and stripped, as every answer is stored."""
    return unicodedata.normalize("NFC", text).strip()


def validate_language(language: str) -> str:
    """The language code if the desk has catalogs for it.

    Raises:
        ValidationError: ``unsupported_language``.
    """
    if language not in SUPPORTED_LANGUAGES:
        raise ValidationError("unsupported_language", field="language", value=language)
    return language


def validate_profile(
    profile: PostProfile, gate_codes: Callable[[Corridor], set[str]] | None = None
) -> PostProfile:
    """The profile trimmed and NFC-normalised, or the first problem found.

    Args:
        profile: the answers.
        gate_codes: border gate codes known for a corridor (reference data); ``None`` skips
            the gate check.

    Returns:
        The cleaned profile (post code upper-case, empty gate as ``None``).

    Raises:
        ValidationError: ``missing`` (post_name), ``bad_post_code``, ``bad_corridor``,
            ``unknown_gate``.
    """
    name = nfc(profile.post_name)
    if not name:
        raise ValidationError("missing", field="post_name")
    code = nfc(profile.post_code).upper()
    if not _POST_CODE.match(code):
        raise ValidationError("bad_post_code", field="post_code", value=code)
    try:
        corridor = Corridor(profile.corridor)
    except ValueError:
        raise ValidationError("bad_corridor", field="corridor", value=profile.corridor) from None
    gate = nfc(profile.gate_code or "") or None
    if gate is not None and gate_codes is not None and gate not in gate_codes(corridor):
        raise ValidationError("unknown_gate", field="gate_code", value=gate)
    if profile.kind not in DESK_KINDS:
        raise ValidationError("bad_desk_kind", field="kind", value=profile.kind[:32])
    return PostProfile(name, code, corridor.value, gate, profile.kind)


def validate_supervisor(
    username: str, password: str, repeat: str, rules: PasswordRules | None = None
) -> str:
    """The normalised user name if the account can be created with this password.

    Raises:
        ValidationError: ``bad_username``, ``password_mismatch``, ``password_too_short``,
            ``password_too_long``, ``password_contains_username``.
    """
    name = normalise_username(username)
    if password != repeat:
        raise ValidationError("password_mismatch", field="password")
    (rules or PasswordRules()).check(name, password)
    return name


def validate_key_passphrase(passphrase: str, repeat: str) -> str:
    """The passphrase that will protect the post's private keys.

    Raises:
        ValidationError: ``passphrase_mismatch`` or ``passphrase_too_short``.
    """
    if passphrase != repeat:
        raise ValidationError("passphrase_mismatch", field="key_passphrase")
    if len(passphrase) < KEY_PASSPHRASE_MIN_LENGTH:
        raise ValidationError("passphrase_too_short", min_length=KEY_PASSPHRASE_MIN_LENGTH)
    return passphrase
