"""Commands that protect the data directory: encryption set-up, unlock check, key rotation, backups.

Credentials: ``--user NAME`` with its password, or ``--recovery-key`` (see ``cli/session.py``).
The audit entry of a key or backup operation names the account signed in with ``--user``.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from cli.account_commands import MESSAGES as ACCOUNT_MESSAGES
from cli.context import CliContext
from cli.errors import describe
from cli.passwords import ENV_PASSWORD
from cli.prompts import ask_secret
from cli.session import signed_in
from i18n import N_, Translator
from i18n.vault_errors import VAULT_MESSAGES
from repatriation.domain.actors import Actor
from repatriation.domain.clock import SystemClock
from repatriation.domain.credentials import Credentials, user_key
from repatriation.domain.errors import DomainError
from repatriation.services.audit import record_action
from repatriation.services.backups import BackupService
from repatriation.services.demo_desk import is_demo_desk
from repatriation.services.vault_ports import OpenVault

MESSAGES: dict[str, str] = {
    **ACCOUNT_MESSAGES,
    **VAULT_MESSAGES,
    "demo_desk": N_("This is a demo desk: set up a real desk in an empty data directory."),
}


def describe_error(error: DomainError, tr: Translator) -> str:
    """A sentence for vault, backup and storage errors (other codes: ``cli.errors``)."""
    template = MESSAGES.get(error.code) or ACCOUNT_MESSAGES.get(error.code)
    if template is None:
        return describe(error, tr)
    params = {k: str(v) for k, v in error.params.items()}
    try:
        return tr.gettext(template).format(**params)
    except (KeyError, IndexError):
        return describe(error, tr)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``setup``, ``unlock``, ``rekey`` and ``backup`` commands."""
    setup = subparsers.add_parser("setup", help="encrypt this data directory; prints the recovery key once")
    setup.add_argument("--kdf-memory-mib", type=int, default=64, help=argparse.SUPPRESS)
    setup.add_argument("--kdf-iterations", type=int, default=3, help=argparse.SUPPRESS)
    setup.set_defaults(handler=run_setup)

    unlock = subparsers.add_parser("unlock", help="check the credentials and the database integrity")
    unlock.set_defaults(handler=run_unlock)

    rekey = subparsers.add_parser("rekey", help="rotate the database key (database and attachments)")
    rekey.set_defaults(handler=run_rekey)

    backup = subparsers.add_parser("backup", help="encrypted, verified backups")
    sub = backup.add_subparsers(dest="backup_command", required=True)
    for name, handler, helptext in (
        ("create", run_backup_create, "write a verified, encrypted backup to FILE"),
        ("restore", run_backup_restore, "replace the database with the backup in FILE"),
    ):
        cmd = sub.add_parser(name, help=helptext)
        cmd.add_argument("file", type=Path)
        cmd.set_defaults(handler=handler)
    status = sub.add_parser("status", help="when the last backup was made; whether one is due")
    status.set_defaults(handler=run_backup_status)


def credentials_from(ctx: CliContext) -> Credentials | None:
    """The credentials named on the command line (``None`` without ``--user``/``--recovery-key``)."""
    assert ctx.secrets is not None
    return ctx.secrets.credentials()


def args_of(ctx: CliContext) -> argparse.Namespace:
    """The parsed command line of this run."""
    return ctx.args


def _fail(ctx: CliContext, error: DomainError) -> int:
    ctx.say(describe_error(error, ctx.tr))
    return 2


def _unlock(args: argparse.Namespace, ctx: CliContext) -> OpenVault:
    if not ctx.vaults.is_set_up(ctx.settings.data_dir):
        raise DomainError("not_set_up")
    credentials = credentials_from(ctx)
    if credentials is None:
        raise DomainError("locked")
    return ctx.vaults.unlock(ctx.settings.data_dir, credentials)


def _signed_in(ctx: CliContext, unlocked: OpenVault) -> Actor:
    """The account of ``--user`` on the unlocked database: checked before the operation runs."""
    services = ctx.build(ctx.settings, vault=unlocked)
    try:
        return signed_in(services.accounts, args_of(ctx), credentials_from(ctx))
    finally:
        services.close()


def _audit(ctx: CliContext, unlocked: OpenVault, actor: Actor, action: str, **details: Any) -> None:
    # Key and backup operations are changes to the records' protection: they go in the audit log.
    services = ctx.build(ctx.settings, vault=unlocked, migrate=False)
    try:
        with services.uow_factory() as uow:
            now = services.clock.now()
            record_action(uow, actor, now, action, "database", unlocked.database_id, **details)
            uow.commit()
    finally:
        services.close()


def run_setup(args: argparse.Namespace, ctx: CliContext) -> int:
    if ctx.settings.database_url:
        return _fail(ctx, DomainError("postgres_mode"))
    user = getattr(args, "user", None)
    if not user:
        return _fail(ctx, DomainError("missing_user"))
    if is_demo_desk(ctx.settings.data_dir):
        return _fail(ctx, DomainError("demo_desk"))  # fictitious data never becomes a real desk
    assert ctx.secrets is not None
    if ctx.secrets.from_stdin or os.environ.get(ENV_PASSWORD):
        password = ctx.secrets.password(user)
    else:
        password = ask_secret(ctx.tr.gettext("New password for {user}: ").format(user=user))
        if ask_secret(ctx.tr.gettext("Repeat the password: ")) != password:
            return _fail(ctx, DomainError("passwords_differ"))

    def show(recovery_key: str) -> None:
        ctx.say(ctx.tr.gettext("The data directory is now encrypted. Recovery key (shown only this once):"))
        ctx.out.write(recovery_key + "\n")
        ctx.out.flush()
        ctx.say(
            ctx.tr.gettext(
                "Write the recovery key on paper and keep it locked away from this computer. "
                "It opens the data if every password is lost."
            )
        )

    # Every check runs before the directory is touched; the account is created inside the
    # staged database, so a refusal or a kill never leaves a directory nobody can open.
    try:
        ctx.first_runs.encrypt(ctx.settings, user, password, kdf_memory_mib=args.kdf_memory_mib,
                               kdf_iterations=args.kdf_iterations, show=show)
    except DomainError as exc:
        return _fail(ctx, exc)
    return 0


def run_unlock(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        unlocked = _unlock(args, ctx)
        counts = unlocked.check_database()
    except DomainError as exc:
        return _fail(ctx, exc)
    ctx.say(
        ctx.tr.gettext("Unlocked: the database opens and passes the integrity check ({count} cases).").format(
            count=counts.get("cases", 0)
        )
    )
    return 0


def run_rekey(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        unlocked = _unlock(args, ctx)
        actor = _signed_in(ctx, unlocked)
        # The new key is never sealed to a disabled account's slot.
        services = ctx.build(ctx.settings, vault=unlocked)
        try:
            disabled = services.accounts.disabled_usernames()
        finally:
            services.close()
        drop = [u for u in disabled if u in {user_key(n) for n in unlocked.slot_users()}]
        epoch = unlocked.rotate_key(drop=drop)
        _audit(ctx, unlocked, actor, "database_key_rotated", epoch=epoch, slots_removed=len(drop))
    except DomainError as exc:
        return _fail(ctx, exc)
    ctx.say(ctx.tr.gettext("The database key was replaced (key generation {epoch}).").format(epoch=epoch))
    return 0


def _backups(ctx: CliContext, unlocked: OpenVault | None, credentials: Credentials | None,
             *, checkpointed: bool = False) -> BackupService:
    data_dir = ctx.settings.data_dir
    if unlocked is None:
        backend = ctx.vaults.backup_backend(data_dir, credentials)
    else:
        backend = unlocked.backup_backend(credentials)
    checkpoint = None
    if checkpointed and unlocked is not None:
        def checkpoint() -> None:  # the head the copy will hold, remembered beside the database
            services = ctx.build(ctx.settings, vault=unlocked)
            try:
                services.checkpoints.issue("backup")
            finally:
                services.close()
    return BackupService(backend, SystemClock(), data_dir, checkpoint=checkpoint)


def run_backup_create(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        unlocked = _unlock(args, ctx)
        actor = _signed_in(ctx, unlocked)
        report = _backups(ctx, unlocked, None, checkpointed=True).create(args.file)
        _audit(ctx, unlocked, actor, "backup_created", cases=report.counts.get("cases", 0))
    except DomainError as exc:
        return _fail(ctx, exc)
    ctx.say(
        ctx.tr.gettext("Backup written and verified: {path} ({count} cases, {size} bytes).").format(
            path=report.path, count=report.counts.get("cases", 0), size=report.size
        )
    )
    return 0


def run_backup_restore(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        credentials = credentials_from(ctx)
        if ctx.vaults.is_set_up(ctx.settings.data_dir):
            unlocked: OpenVault | None = _unlock(args, ctx)
        elif credentials is None:
            raise DomainError("locked")
        else:
            unlocked = None
        report = _backups(ctx, unlocked, credentials).restore(args.file)
        if credentials is not None:
            unlocked = unlocked or ctx.vaults.unlock(ctx.settings.data_dir, credentials)
            # The restored database's accounts sign the entry: the one named must exist there.
            actor = _signed_in(ctx, unlocked)
            _audit(ctx, unlocked, actor, "database_restored",
                   backup_created_at=report.created_at.isoformat())
    except DomainError as exc:
        return _fail(ctx, exc)
    ctx.say(
        ctx.tr.gettext("Restored the backup of {created} ({count} cases).").format(
            created=report.created_at.strftime("%Y-%m-%d %H:%M"), count=report.counts.get("cases", 0)
        )
    )
    return 0


def run_backup_status(args: argparse.Namespace, ctx: CliContext) -> int:
    service = _backups(ctx, None, None)
    last = service.last_backup_at()
    if last is None:
        ctx.say(ctx.tr.gettext("No backup has been made yet."))
    else:
        ctx.say(ctx.tr.gettext("Last verified backup: {when}.").format(when=last.strftime("%Y-%m-%d %H:%M")))
    if service.is_due():
        ctx.say(ctx.tr.gettext("A backup is due: run 'backup create FILE'."))
        return 1
    return 0
