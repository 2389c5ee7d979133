"""Repatriation Desk composition root: the desk (GUI) by default, or a headless command."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from cli import COMMAND_MODULES
from cli.context import CliContext
from cli.errors import describe
from cli.vault_commands import credentials_from
from cli.vault_commands import describe_error as describe_vault_error
from i18n import Translator
from repatriation.config import load_settings
from repatriation.domain.errors import DomainError
from repatriation.vault import needs_credentials

# Commands that read their own credentials (set-up, unlock checks, key rotation, backups).
_UNLOCKS_ITSELF = frozenset({"setup", "unlock", "rekey", "backup"})

log = logging.getLogger("repatriation")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered command."""
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="Repatriation Desk: cases of children returned from abroad. "
        "Without a command, the desk (GUI) starts.",
    )
    parser.add_argument("--data-dir", type=Path, help="data directory (default: the user data dir)")
    parser.add_argument("--lang", help="language of messages: vi, en, zh_CN, km, lo")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log more (never personal data)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the GUI or one command; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = load_settings(args.data_dir)
    except DomainError as exc:
        print(describe(exc, Translator(args.lang or "vi")), file=sys.stderr)
        return 2
    translator = Translator(args.lang or settings.language)
    if args.command is None:
        from forms.renderer import ReportLabFormRenderer
        from ui.application import run_desk

        return run_desk(settings, translator, ReportLabFormRenderer())
    ctx = CliContext(settings=settings, tr=translator)
    try:
        if needs_credentials(settings) and args.command not in _UNLOCKS_ITSELF:
            ctx.credentials = credentials_from(args, translator)
        return int(args.handler(args, ctx))
    except DomainError as exc:
        print(describe_vault_error(exc, translator), file=sys.stderr)
        return 2
    except OSError as exc:
        print(
            translator.gettext("File error: {error}").format(error=exc.strerror or exc),
            file=sys.stderr,
        )
        return 2
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
