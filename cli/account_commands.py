"""``users add|list|disable|enable|reset-password``, ``retention show|run`` (``audit``: ``audit_commands``).

User management needs a supervisor signed in with ``--user`` (see ``cli/session.py``); only the
very first account of a PostgreSQL desk, a supervisor, is created without one. ``audit verify``
and ``retention run`` need a supervisor too: there is no maintenance actor.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from cli.context import CliContext
from cli.passwords import stdin_line
from cli.prompts import ask_secret
from i18n import N_
from repatriation.domain.account_policy import UserInfo
from repatriation.domain.actors import Actor, Role
from repatriation.domain.codec import to_jsonable
from repatriation.domain.errors import DomainError, ValidationError
from repatriation.domain.permissions import ACCOUNT_ROLES
from repatriation.services.accounts import AccountService

MESSAGES: dict[str, str] = {
    "bad_credentials": N_("Wrong user name or password."),
    "account_locked": N_("Too many failed sign-ins: try again in {retry_after} seconds."),
    "account_disabled": N_("This account is disabled; ask a supervisor."),
    "permission_denied": N_("Your role ({role}) may not {action} {field_class} data."),
    "capability_denied": N_("Your role ({role}) may not do this ({capability})."),
    "consent_missing": N_("Case {reference} may not be shared for {scope}: consent missing."),
    "bad_username": N_("User names use 2 to 64 letters a-z, digits, '.', '_' or '-'."),
    "password_too_short": N_("The password needs at least {min_length} characters."),
    "password_too_long": N_("The password may have at most {max_length} characters."),
    "password_contains_username": N_("The password may not contain the user name."),
    "password_mismatch": N_("The two passwords differ."),
    "password_missing": N_("No password was given on standard input."),
    "new_password_needed": N_(
        "Give the new password with --new-password-stdin (one line on standard input) "
        "or type it at the prompt."
    ),
    "username_taken": N_("The user name {username} is taken."),
    "user_not_found": N_("No user named {username}."),
    "accounts_exist": N_("Accounts exist already: sign in as a supervisor with --user."),
    "first_account_supervisor": N_("The first account must be a supervisor."),
    "last_supervisor": N_("{username} is the last active supervisor."),
    "recovery_key_needed": N_(
        "On this encrypted desk a password reset needs the recovery key: sign in with "
        "--recovery-key (the key from $REPATRIATION_RECOVERY_KEY, standard input or a prompt)."
    ),
}



def _service(ctx: CliContext, key: str) -> Any:
    """A security service the composition root built (``Services.accounts``, ``.audit``, ``.retention``)."""
    return getattr(ctx.services, key)


def accounts(ctx: CliContext) -> AccountService:
    """The account service of this run."""
    service: AccountService = _service(ctx, "accounts")
    return service


def add_new_password_option(parser: argparse.ArgumentParser) -> None:
    """``--new-password-stdin``: how a new or reset password is given without a terminal."""
    parser.add_argument(
        "--new-password-stdin",
        action="store_true",
        help="read the new password from standard input (the line after the sign-in password "
        "when --password-stdin is also given); otherwise it is asked for twice",
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``users`` and ``retention``."""
    users = subparsers.add_parser("users", help="user accounts and roles")
    sub = users.add_subparsers(dest="users_command", required=True)
    add = sub.add_parser("add", help="create an account (the first one must be a supervisor)")
    add.add_argument("username")
    add.add_argument("role", choices=[r.value for r in ACCOUNT_ROLES], help="the account's role")
    add.add_argument("--name", default="", help="display name")
    add_new_password_option(add)
    add.set_defaults(handler=run_add)
    lst = sub.add_parser("list", help="list accounts")
    lst.add_argument("--format", choices=("json", "text"), default="text")
    lst.set_defaults(handler=run_list)
    reset = sub.add_parser(
        "reset-password",
        help="give an account a new password (supervisor; on an encrypted desk with the recovery "
        "key: sign in with --recovery-key, or $REPATRIATION_RECOVERY_KEY)",
    )
    reset.add_argument("username")
    add_new_password_option(reset)
    reset.set_defaults(handler=run_reset_password)
    for name, handler, text in (
        ("disable", run_disable, "disable an account"),
        ("enable", run_enable, "re-enable an account and clear its failed sign-ins"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("username")
        cmd.set_defaults(handler=handler)

    retention = subparsers.add_parser("retention", help="retention periods and anonymisation")
    rsub = retention.add_subparsers(dest="retention_command", required=True)
    rsub.add_parser("show", help="print the retention periods").set_defaults(handler=run_show)
    rsub.add_parser("run", help="anonymise records past their period").set_defaults(
        handler=run_retention
    )


def _fail(ctx: CliContext, exc: DomainError) -> int:
    from cli.vault_commands import describe_error  # one wording for account, vault and case codes

    ctx.say(describe_error(exc, ctx.tr))
    return 2


def _supervisor(args: argparse.Namespace, ctx: CliContext) -> Actor:
    del args  # the account signed in with --user; the service checks it may manage users
    return ctx.actor


def _new_password(args: argparse.Namespace, ctx: CliContext) -> str:
    """The new account's own password: never ``$REPATRIATION_PASSWORD`` (the signing-in user's)."""
    if args.new_password_stdin:
        return stdin_line()
    if not sys.stdin.isatty():
        raise ValidationError("new_password_needed")
    first = ask_secret(ctx.tr.gettext("New password: "))
    if ask_secret(ctx.tr.gettext("Repeat: ")) != first:
        raise ValidationError("password_mismatch")
    return first


def run_add(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        if not getattr(args, "user", None):
            service: AccountService = ctx.services_before_sign_in().accounts
        else:
            service = accounts(ctx)
        if not getattr(args, "user", None) and not service.has_accounts():
            if args.role != Role.SUPERVISOR.value:
                raise ValidationError("first_account_supervisor")
            info = service.create_first_supervisor(args.username, _new_password(args, ctx), args.name)
        else:
            actor = _supervisor(args, ctx)
            info = service.create_user(
                actor, args.username, Role(args.role), _new_password(args, ctx), args.name
            )
    except DomainError as exc:
        return _fail(ctx, exc)
    ctx.say(ctx.tr.gettext("Account {username} created.").format(username=info.username))
    return 0


def _row(info: UserInfo) -> dict[str, Any]:
    row: dict[str, Any] = to_jsonable(info)
    return row


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        rows = accounts(ctx).list_users(_supervisor(args, ctx))
    except DomainError as exc:
        return _fail(ctx, exc)
    if args.format == "json":
        json.dump([_row(r) for r in rows], ctx.out, ensure_ascii=False, indent=1)
        ctx.out.write("\n")
        return 0
    for info in rows:
        state = ctx.tr.gettext("disabled") if info.disabled else ctx.tr.gettext("active")
        ctx.out.write(f"{info.username}\t{info.role}\t{state}\t{info.display_name}\n")
    return 0


def _toggle(args: argparse.Namespace, ctx: CliContext, enable: bool) -> int:
    try:
        actor = _supervisor(args, ctx)
        service = accounts(ctx)
        info = (service.enable_user if enable else service.disable_user)(actor, args.username)
    except DomainError as exc:
        return _fail(ctx, exc)
    message = N_("Account {username} enabled.") if enable else N_("Account {username} disabled.")
    ctx.say(ctx.tr.gettext(message).format(username=info.username))
    if service.reset_needs_recovery_key:  # an encrypted desk: disabling revoked the key slot
        ctx.say(ctx.tr.gettext(
            "On this encrypted desk {username} signs in again only after a supervisor gives a new "
            "password with the recovery key (users reset-password {username} --recovery-key, or "
            "Settings, User accounts)."
        ).format(username=info.username))
    return 0


def run_reset_password(args: argparse.Namespace, ctx: CliContext) -> int:
    """A new password for an account; on an encrypted desk the recovery key vouches for it.

    Standard input, in order: the sign-in secret (``--password-stdin``; with ``--recovery-key``
    the key), the recovery key when signed in with a password on an encrypted desk and
    ``$REPATRIATION_RECOVERY_KEY`` is not set, then the new password (``--new-password-stdin``).
    """
    try:
        actor, service = _supervisor(args, ctx), accounts(ctx)
        assert ctx.secrets is not None
        # Read once: the key that opened the database when signed in with --recovery-key.
        key = ctx.secrets.recovery_key() if service.reset_needs_recovery_key else None
        info = service.reset_password(actor, args.username, _new_password(args, ctx), key)
    except DomainError as exc:
        return _fail(ctx, exc)
    ctx.say(ctx.tr.gettext("New password set for {username}: it can sign in with it now.").format(
        username=info.username))
    return 0


def run_disable(args: argparse.Namespace, ctx: CliContext) -> int:
    return _toggle(args, ctx, enable=False)


def run_enable(args: argparse.Namespace, ctx: CliContext) -> int:
    return _toggle(args, ctx, enable=True)


def run_show(args: argparse.Namespace, ctx: CliContext) -> int:
    policy = _service(ctx, "retention").policy()
    json.dump({str(k): v for k, v in policy.keep_months.items()}, ctx.out, indent=1)
    ctx.out.write("\n")
    return 0


def run_retention(args: argparse.Namespace, ctx: CliContext) -> int:
    report = _service(ctx, "retention").run(ctx.actor)
    cases, batches = len(report.cases), len(report.batches)
    ctx.say(
        ctx.tr.ngettext("{count} case anonymised.", "{count} cases anonymised.", cases).format(
            count=cases
        )
    )
    ctx.say(
        ctx.tr.ngettext(
            "{count} handover batch anonymised.", "{count} handover batches anonymised.", batches
        ).format(count=batches)
    )
    return 0
