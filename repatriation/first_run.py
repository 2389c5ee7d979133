"""First run of a data directory: language, post profile, supervisor, vault, post keys (no GUI here).

The wizard (``ui/wizards/first_run_wizard.py``) and ``main.py self-test`` both drive
:class:`FirstRun`, through the ports of ``repatriation.services.first_run_ports`` that ``main.py``
hands them (:class:`DeskFirstRuns`); each page validates its own answers with the ``validate_*``
functions of ``repatriation.services.first_run_answers``, then :meth:`FirstRun.complete` runs the
real services in an order that a retry can resume: vault, first supervisor, key pair, and the
settings file last (its presence marks the post as set up).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from repatriation.config import SETTINGS_FILE, SQLITE_FILE_NAME, Settings, save_settings
from repatriation.crypto.keys import PublicKeys, generate_passphrase, parse_card
from repatriation.crypto.keyslots import DEFAULT_KDF, KdfParams
from repatriation.domain.actors import Actor, Role
from repatriation.domain.enums import Corridor
from repatriation.domain.errors import ValidationError
from repatriation.services.first_run_answers import (
    DataLocations,
    FirstRunAnswers,
    FirstRunResult,
    nfc,
    validate_key_passphrase,
    validate_language,
    validate_profile,
    validate_supervisor,
)
from repatriation.storage.database import Engine
from repatriation.storage.upgrade import BACKUP_DIR_NAME
from repatriation.vault import PasswordCredentials, Vault

_URL_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")  # never show a server password on screen


class ServicesBuilder(Protocol):
    """The composition root's ``build_services``, handed over by the caller (a fake in tests)."""

    def __call__(self, settings: Settings, *, engine: Engine | None = ...) -> Any:
        """The services on ``engine`` (migrated)."""
        ...


KeysFor = Callable[[Any], Any]  # services -> KeyService (generate, has_identity, card)


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
                accounts.create_first_supervisor(username, password, nfc(display_name))
                return
            actor: Actor = accounts.authenticate(username, password)
            if actor.role is not Role.SUPERVISOR:
                raise ValidationError("setup_needs_supervisor", username=actor.username)
        finally:
            services.close()

    return prepare


class FirstRun:
    """Sets up one data directory with the real services (implements ``FirstRunPort``)."""

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

    def locations(self) -> DataLocations:
        """Where this data directory will keep each kind of data."""
        return data_locations(self.settings)

    def suggested_key_passphrase(self) -> str:
        """A random 12-word passphrase (see :func:`suggested_key_passphrase`)."""
        return suggested_key_passphrase()

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
            accounts.create_first_supervisor(answers.username, answers.password, nfc(answers.display_name))
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


class DeskFirstRuns:
    """Implements ``FirstRuns`` over the composition root's ``build_services`` (``main.py`` builds it)."""

    def __init__(self, build: ServicesBuilder) -> None:
        self._build = build

    def needs_first_run(self, settings: Settings) -> bool:
        """See :func:`needs_first_run`."""
        return needs_first_run(settings)

    def first_run(self, settings: Settings) -> FirstRun:
        """The set-up of the data directory of ``settings``."""
        return FirstRun(settings, build=self._build)

    def encrypt(
        self,
        settings: Settings,
        user: str,
        password: str,
        *,
        kdf_memory_mib: int,
        kdf_iterations: int,
        show: Callable[[str], None],
    ) -> None:
        """Encrypt the data directory (see ``Vault.setup``); ``user`` becomes or proves a supervisor.

        The account is created inside the staged database, so a refusal or a kill never
        leaves a directory nobody can open.
        """
        prepare = first_supervisor_step(settings, user, password, build=self._build)
        kdf = KdfParams(memory_kib=kdf_memory_mib * 1024, iterations=kdf_iterations)
        Vault(settings.data_dir).setup(user, password, kdf=kdf, prepare=prepare, show=show)
