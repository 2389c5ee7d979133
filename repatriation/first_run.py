"""First run of a data directory: language, post profile, supervisor, vault, post keys (no GUI here).

The wizard (``ui/wizards/first_run_wizard.py``) and ``main.py self-test`` both drive
:class:`FirstRun`; each page validates its own answers with the ``validate_*`` functions, then
:meth:`FirstRun.complete` runs the real services in an order that a retry can resume: vault,
first supervisor, key pair, and the settings file last (its presence marks the post as set up).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from repatriation.config import SETTINGS_FILE, SQLITE_FILE_NAME, Settings, save_settings
from repatriation.crypto.keys import PublicKeys, generate_passphrase, parse_card
from repatriation.crypto.keyslots import DEFAULT_KDF, KdfParams
from repatriation.domain.account_policy import PasswordRules, normalise_username
from repatriation.domain.actors import Actor, Role
from repatriation.domain.enums import Corridor
from repatriation.domain.errors import ValidationError
from repatriation.storage.database import Engine
from repatriation.storage.upgrade import BACKUP_DIR_NAME
from repatriation.vault import PasswordCredentials, Vault

SUPPORTED_LANGUAGES: tuple[str, ...] = ("vi", "en", "zh_CN", "km", "lo")
KEY_PASSPHRASE_MIN_LENGTH = 12
_POST_CODE = re.compile(r"^[A-Z]{2,6}$")
DESK_KINDS = ("border_post", "reception_centre")  # what a desk of this application serves
_URL_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")  # never show a server password on screen


class ServicesBuilder(Protocol):
    """The composition root's ``build_services``, handed over by the caller (a fake in tests)."""

    def __call__(self, settings: Settings, *, engine: Engine | None = ...) -> Any:
        """The services on ``engine`` (migrated)."""
        ...


KeysFor = Callable[[Any], Any]  # services -> KeyService (generate, has_identity, card)


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


def needs_first_run(settings: Settings) -> bool:
    """Whether this data directory still has to be set up.

    The settings file is written last by :meth:`FirstRun.complete`, so its absence means "not
    set up", except where a database already exists without a vault: that is an install
    from before the wizard existed, which must start as before (and be upgraded), not be
    asked to set up again. A vault without settings is an interrupted set-up: resume it.
    """
    data_dir = settings.data_dir
    if (data_dir / SETTINGS_FILE).exists():
        return False
    return Vault(data_dir).is_set_up or not (data_dir / SQLITE_FILE_NAME).exists()


def _nfc(text: str) -> str:
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
    name = _nfc(profile.post_name)
    if not name:
        raise ValidationError("missing", field="post_name")
    code = _nfc(profile.post_code).upper()
    if not _POST_CODE.match(code):
        raise ValidationError("bad_post_code", field="post_code", value=code)
    try:
        corridor = Corridor(profile.corridor)
    except ValueError:
        raise ValidationError("bad_corridor", field="corridor", value=profile.corridor) from None
    gate = _nfc(profile.gate_code or "") or None
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


def suggested_key_passphrase() -> str:
    """A random 12-word passphrase (132 bits) the wizard offers for the key store."""
    return generate_passphrase(12)


def data_locations(settings: Settings) -> DataLocations:
    """Where this data directory keeps each kind of data."""
    data_dir = settings.data_dir
    if settings.database_url:
        database = _URL_PASSWORD.sub(r"\1***@", settings.database_url)
    else:
        database = str(data_dir / SQLITE_FILE_NAME)
    return DataLocations(
        data_dir=data_dir,
        database=database,
        keys_dir=data_dir / "keys",
        backups_dir=data_dir / BACKUP_DIR_NAME,
        attachments_dir=settings.attachments_dir,
    )


def _default_keys_for(services: Any) -> Any:
    return services.exchange.keys


def first_supervisor_step(
    settings: Settings,
    username: str,
    password: str,
    display_name: str = "",
    *,
    build: ServicesBuilder,
) -> Callable[[Engine], None]:
    """What ``Vault.setup`` runs on the staged database: migrations and the first supervisor.

    A directory that already has accounts (a plain desk in use) is set up only by one of its
    active supervisors, proved by their password; a refusal there leaves everything as it was.
    """

    def prepare(engine: Engine) -> None:
        services = build(settings, engine=engine)
        try:
            accounts = services.accounts
            if not accounts.has_accounts():
                accounts.create_first_supervisor(username, password, _nfc(display_name))
                return
            actor: Actor = accounts.authenticate(username, password)
            if actor.role is not Role.SUPERVISOR:
                raise ValidationError("setup_needs_supervisor", username=actor.username)
        finally:
            services.close()

    return prepare


class FirstRun:
    """Sets up one data directory with the real services."""

    def __init__(
        self,
        settings: Settings,
        *,
        build: ServicesBuilder,
        keys_for: KeysFor | None = None,
        vault_kdf: KdfParams = DEFAULT_KDF,
    ) -> None:
        self.settings = settings
        self._build = build
        self._keys_for = keys_for or _default_keys_for
        self._vault_kdf = vault_kdf

    def gate_codes(self, services: Any) -> Callable[[Corridor], set[str]]:
        """The gate check for :func:`validate_profile`, from the services' reference data."""
        return lambda corridor: {g.code for g in services.reference.gates_for(corridor)}

    def _open_vault(self, answers: FirstRunAnswers) -> tuple[Engine | None, str | None, bool]:
        if self.settings.database_url:
            return None, None, False  # PostgreSQL: the server and TLS protect the data
        vault = Vault(self.settings.data_dir)
        if vault.is_set_up:
            # A retry after an interruption: the same password opens it, and a new recovery
            # key is issued because nobody can say whether the first one was written down.
            unlocked = vault.unlock(PasswordCredentials(answers.username, answers.password))
            return unlocked.engine(), unlocked.replace_recovery_key(), True
        prepare = first_supervisor_step(
            self.settings, answers.username, answers.password, answers.display_name, build=self._build
        )
        result = vault.setup(answers.username, answers.password, kdf=self._vault_kdf, prepare=prepare)
        unlocked = vault.unlock(PasswordCredentials(answers.username, answers.password))
        return unlocked.engine(), result.recovery_key, False

    def complete(self, answers: FirstRunAnswers) -> FirstRunResult:
        """Run every step; returns what the last page shows (recovery key shown only there).

        Args:
            answers: validated answers (this re-checks them all before changing anything).

        Returns:
            The new settings, the signed-in supervisor, the recovery key and key fingerprint.

        Raises:
            DomainError: a validation code, or the refusal of a service (vault, accounts, keys).
        """
        language = validate_language(answers.language)
        username = validate_supervisor(answers.username, answers.password, answers.password)
        passphrase = validate_key_passphrase(answers.key_passphrase, answers.key_passphrase)
        profile = validate_profile(answers.profile)
        answers = replace(answers, username=username, profile=profile)
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        settings = replace(
            self.settings,
            language=language,
            post_name=profile.post_name,
            post_code=profile.post_code,
            corridor=profile.corridor,
            gate_code=profile.gate_code,
            agency_kind=profile.kind,
        )
        engine, recovery_key, replaced = self._open_vault(answers)
        services = self._build(settings, engine=engine)
        try:
            validate_profile(profile, self.gate_codes(services))
            actor = self._supervisor(services, answers)
            public = self._post_keys(services, actor, profile.post_name, passphrase)
        finally:
            services.close()
        save_settings(settings)  # last: from now on the desk starts normally
        return FirstRunResult(
            settings=settings,
            actor=actor,
            recovery_key=recovery_key,
            key_passphrase=passphrase,
            key_id=public.key_id,
            fingerprint=public.fingerprint(),
            fingerprint_words=public.words(),
            locations=data_locations(settings),
            recovery_key_replaced=replaced,
        )

    @staticmethod
    def _supervisor(services: Any, answers: FirstRunAnswers) -> Actor:
        accounts = services.accounts
        if not accounts.has_accounts():
            accounts.create_first_supervisor(answers.username, answers.password, _nfc(answers.display_name))
        # A retry finds the account made before the interruption: the same password signs in.
        actor: Actor = accounts.authenticate(answers.username, answers.password)
        return actor

    def _post_keys(self, services: Any, actor: Actor, agency: str, passphrase: str) -> PublicKeys:
        keys = self._keys_for(services)
        if keys.has_identity():
            keys.unlock(passphrase)  # a retry: prove the passphrase before showing the card
            return parse_card(keys.card()).keys
        public: PublicKeys = keys.generate(actor, agency, passphrase)
        return public
