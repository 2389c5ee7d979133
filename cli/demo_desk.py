"""``demo`` on an empty data directory: a marked demo desk, one demo account per role, passwords printed."""

from __future__ import annotations

from dataclasses import replace

from cli.context import DEMO_DESK_LINE, CliContext
from repatriation.config import SQLITE_FILE_NAME, save_settings
from repatriation.services.demo_desk import create_demo_accounts, mark_demo_desk

DEMO_GATE = "CN-LAOCAI"


def is_empty_directory(ctx: CliContext) -> bool:
    """Whether the data directory holds no database yet (a demo desk may be created there)."""
    if ctx.settings.database_url:
        return False
    data_dir = ctx.settings.data_dir
    return not ctx.vaults.is_set_up(data_dir) and not (data_dir / SQLITE_FILE_NAME).exists()


def create_demo_desk(ctx: CliContext) -> None:
    """Mark the directory, create the demo accounts, print them, and sign in as the supervisor."""
    mark_demo_desk(ctx.settings.data_dir)
    if ctx.settings.gate_code is None and not ctx.settings.database_url:
        # The demo post is Lao Cai's: its forms name Lao Cai's command, whatever a batch's gate.
        ctx.settings = replace(ctx.settings, gate_code=DEMO_GATE)
        save_settings(ctx.settings)
    services = ctx.build(ctx.settings)
    actor, accounts = create_demo_accounts(services.accounts)
    ctx.adopt(services, actor)
    _ = ctx.tr.gettext
    ctx.say(_(DEMO_DESK_LINE))
    ctx.say(_("Demo accounts (user, role, password): sign in with --user USER."))
    for account in accounts:
        ctx.out.write(f"{account.username}\t{account.role.value}\t{account.password}\n")
    ctx.out.flush()
