"""Build the services from settings: engine, schema migration, reference data, use cases."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

from repatriation.config import Settings
from repatriation.crypto.key_adapter import PostKeyCrypto
from repatriation.crypto.leftovers import remove_leftovers
from repatriation.crypto.passwords import Argon2PasswordHasher
from repatriation.domain.clock import SystemClock
from repatriation.domain.errors import DomainError
from repatriation.files import make_private
from repatriation.reference import ReferenceData, load_reference_data
from repatriation.services.account_ports import PasswordHasher
from repatriation.services.accounts import AccountService
from repatriation.services.attachments import AttachmentService
from repatriation.services.audit_verify import AuditVerifier
from repatriation.services.backups import BackupService
from repatriation.services.cases import CaseService
from repatriation.services.checkpoints import CheckpointService, issued_anchors
from repatriation.services.demo import DemoService
from repatriation.services.documents import DocumentService, FormRenderer
from repatriation.services.form_context import IssuingPost
from repatriation.services.handovers import HandoverService
from repatriation.services.importing import ImportService
from repatriation.services.ports import Clock
from repatriation.services.retention import RetentionService
from repatriation.services.statistics import StatisticsService
from repatriation.services.statistics_noisy_releases import NoisyReleaseService
from repatriation.services.statistics_releases import ReleaseService
from repatriation.services.vault_ports import OpenVault
from repatriation.services.verifications import VerificationService
from repatriation.storage.database import Engine, make_engine, sqlite_url, upgrade
from repatriation.storage.faults import check_data_dir
from repatriation.storage.statistics_ledger import SqlReleaseLedger
from repatriation.storage.statistics_queries import SqlStatisticsSource
from repatriation.storage.unit_of_work import SqlAlchemyUnitOfWorkFactory
from repatriation.storage.upgrade import upgrade_with_backup
from repatriation.vault import Credentials, UnlockedVault, Vault, VaultError, unlock_for
from repatriation.vault.backup_backend import VaultBackupBackend
from repatriation.vault.front import engine_of

if TYPE_CHECKING:  # built on first use: the bundle and crypto modules load only then
    from repatriation.wiring import Exchange

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Every use case the UI and the CLI call, built once by the composition root.

    The statistics and exchange services are built on first use (``cached_property``): their
    modules are slow to import and most commands never need them.
    """

    settings: Settings
    clock: Clock
    reference: ReferenceData
    uow_factory: SqlAlchemyUnitOfWorkFactory
    cases: CaseService
    verifications: VerificationService
    handovers: HandoverService
    imports: ImportService
    demo: DemoService
    accounts: AccountService
    audit: AuditVerifier
    retention: RetentionService
    checkpoints: CheckpointService
    attachments: AttachmentService
    backups: BackupService
    documents: DocumentService | None = None  # present when a form renderer was plugged in

    @property
    def engine(self) -> Engine:
        """The database engine (for storage-level maintenance only)."""
        return self.uow_factory.engine

    @cached_property
    def exchange(self) -> Exchange:
        """Bundles, the key directory and the import inbox (their modules load here, ~80 ms)."""
        from repatriation.wiring import build_exchange

        return build_exchange(self)

    @cached_property
    def statistics(self) -> StatisticsService:
        """Cross-tables over the statistics tables."""
        return StatisticsService(SqlStatisticsSource(self.engine), self.uow_factory, self.clock)

    @cached_property
    def releases(self) -> ReleaseService:
        """Published tables: the release ledger and its disclosure audit."""
        return ReleaseService(self.statistics, SqlStatisticsSource(self.engine), SqlReleaseLedger(),
                              self.uow_factory, self.clock)

    @cached_property
    def noisy_releases(self) -> NoisyReleaseService:
        """Releases with OpenDP noise under the yearly privacy budget."""
        return NoisyReleaseService(self.statistics, SqlReleaseLedger(), self.uow_factory, self.clock)

    def close(self) -> None:
        """Release database connections."""
        self.uow_factory.engine.dispose()


def _slot_keeper(unlocked: UnlockedVault | None) -> Callable[[str, str], None] | None:
    """Keep each account's key slot in step with its password (encryption at rest)."""
    if unlocked is None:
        return None

    def keep(username: str, password: str) -> None:
        if username in unlocked.vault.users():
            unlocked.set_password(username, password)
        else:
            unlocked.add_user(username, password)

    return keep


def settle_vault(services: Services, unlocked: UnlockedVault) -> None:
    """Bring the database and the key slots into line once the database is open.

    Wrong passwords the vault counted while the database was closed go into the accounts and
    the audit log; a disabled account that still has a key slot (a disable interrupted before
    its rotation, an older desk) loses it, and the database key is rotated.
    """
    throttle = unlocked.vault.throttle()
    pending = throttle.unreported()
    if pending:
        services.accounts.record_failed_unlocks(pending)
        throttle.reported(pending)
    for username in services.accounts.disabled_usernames():
        try:
            unlocked.revoke(username)
        except VaultError as exc:
            if exc.code != "last_user":
                raise
            # Never lock the desk out at start-up: the last slot stays until another exists.
            log.warning("a disabled account holds the only password slot; kept")


class ServicesBuilder(Protocol):
    """:func:`build_services`, as ``main.py`` hands it to the desk and the CLI (they never import it)."""

    def __call__(self, settings: Settings, *, clock: Clock | None = ..., vault: OpenVault | None = ...,
                 reference: ReferenceData | None = ..., migrate: bool = ...,
                 renderer: FormRenderer | None = ..., credentials: Credentials | None = ...) -> Services:
        """The services for ``settings`` (see :func:`build_services`)."""
        ...


def password_hasher() -> PasswordHasher:
    """The accounts' Argon2id hasher at the desk's cost (tests lower it by replacing this)."""
    return Argon2PasswordHasher()


def post_profile(settings: Settings) -> IssuingPost:
    """This desk's post as the forms name their issuer (from the post profile in settings)."""
    return IssuingPost(settings.post_name, settings.gate_code)


def open_engine(settings: Settings) -> Engine:
    """The engine for the configured database (the embedded SQLite file by default)."""
    if settings.database_url:
        return make_engine(settings.database_url)
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    make_private(settings.data_dir)
    return make_engine(sqlite_url(settings.data_dir))


def build_services(
    settings: Settings,
    *,
    clock: Clock | None = None,
    engine: Engine | None = None,
    reference: ReferenceData | None = None,
    migrate: bool = True,
    renderer: FormRenderer | None = None,
    credentials: Credentials | None = None,
    vault: OpenVault | None = None,
) -> Services:
    """Wire storage, reference data and use cases together (``main.py`` and tests call this).

    ``vault`` is one the desk or the CLI opened through the vault port: its database is used as a
    given ``engine`` would be (the front ends never hold an engine).
    """
    clock = clock or SystemClock()
    if vault is not None:
        engine = engine_of(vault)
    # An encrypted data directory opens only with a password or the recovery key (vault).
    given_engine = engine is not None
    if not given_engine and not settings.database_url:
        check_data_dir(settings.data_dir)  # full or read-only disk: say so before touching files
    unlocked = None if given_engine else unlock_for(settings, credentials)
    engine = engine or (unlocked.engine() if unlocked else open_engine(settings))
    if migrate and given_engine:
        upgrade(engine)  # the caller owns this engine (maintenance commands, tests)
    elif migrate:
        # Upgrade keeps data: a verified copy of the database is taken before any migration.
        key = unlocked.database_key() if unlocked else None
        upgrade_with_backup(engine, settings.data_dir, clock.now(), database_key=key)
    # A killed import or export left staging or temp files: remove them now.
    remove_leftovers(settings.data_dir)
    reference = reference or load_reference_data(
        settings.reference_override_dir if settings.reference_override_dir.exists() else None
    )
    uow_factory = SqlAlchemyUnitOfWorkFactory(engine, clock.now)
    post = settings.post_code
    checkpoints = CheckpointService(uow_factory, clock, settings.data_dir, PostKeyCrypto())
    services = Services(
        settings=settings,
        clock=clock,
        reference=reference,
        uow_factory=uow_factory,
        cases=CaseService(uow_factory, reference, clock, post),
        verifications=VerificationService(uow_factory, reference, clock),
        handovers=HandoverService(uow_factory, clock, post),
        imports=ImportService(uow_factory, reference, clock, post),
        demo=DemoService(uow_factory, reference, clock, post),
        accounts=AccountService(
            uow_factory,
            clock,
            password_hasher(),
            on_password_set=_slot_keeper(unlocked),
            on_access_removed=unlocked.revoke if unlocked else None,
            recovery_check=unlocked.check_recovery_key if unlocked else None,
            password_proven=unlocked.opened_by if unlocked else None,
        ),
        audit=AuditVerifier(uow_factory, lambda: issued_anchors(checkpoints)),
        retention=RetentionService(uow_factory, clock),
        checkpoints=checkpoints,
        documents=DocumentService(uow_factory, reference, renderer, clock, checkpoints,
                                  post_profile(settings))
        if renderer else None,
        attachments=AttachmentService(settings.attachments_dir,
                                      unlocked.attachment_store_cipher() if unlocked else None),
        backups=BackupService(
            VaultBackupBackend(Vault(settings.data_dir), unlocked, credentials), clock, settings.data_dir,
            checkpoint=lambda: checkpoints.issue("backup"),
        ),
    )
    if unlocked is not None:
        settle_vault(services, unlocked)
    _daily_checkpoint(checkpoints)
    return services


def _daily_checkpoint(checkpoints: CheckpointService) -> None:
    """Remember the log's head outside the database on the first use of each day."""
    try:
        checkpoints.daily()
    except (OSError, DomainError) as exc:  # a read-only or full disk must not stop the desk
        log.warning("daily audit checkpoint not written: %s", type(exc).__name__)
