"""Headless command-line interface over the same services as the desk.

Each command module has ``register(subparsers) -> None``; it adds its parsers and sets
``handler=<function(args, ctx) -> int>`` with ``parser.set_defaults``. To add commands, write a
module and append its name to ``COMMAND_MODULES``.
"""

from __future__ import annotations

COMMAND_MODULES: tuple[str, ...] = (
    "cli.case_commands", "cli.stats_commands", "cli.account_commands",
    "cli.audit_commands", "cli.forms_commands",
    "cli.bundle_commands", "cli.inbox_commands", "cli.keys_commands", "cli.vault_commands",
    "cli.selftest_commands", "cli.batch_commands",
)
