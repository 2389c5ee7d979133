"""Repatriation Desk composition root: the desk (GUI) by default, or a headless command."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli import COMMAND_MODULES
from cli.errors import describe
from i18n import Translator
from repatriation.config import Settings, load_settings
from repatriation.domain.errors import DomainError, ValidationError

if TYPE_CHECKING:
    from repatriation.bootstrap import Services
    from repatriation.services.documents import FormRenderer
    from repatriation.services.first_run_ports import FirstRuns
    from repatriation.services.form_data import FormData
    from repatriation.services.key_ports import KeyCrypto
    from repatriation.services.vault_ports import VaultPort

log = logging.getLogger("repatriation")


def _add_common_options(parser: argparse.ArgumentParser) -> None:
    # A string, not a Path: Path("") is "." and would silently use the current folder.
    parser.add_argument("--data-dir", help="data directory (default: the user data dir)")
    parser.add_argument("--lang", help="language of messages: vi, en, zh_CN, km, lo")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more (never personal data)")


def _desk_arguments(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The options when no command is given (the desk starts), else None.

    Registering every command imports every CLI module (~100 ms): the desk skips that.
    """
    parser = argparse.ArgumentParser(prog="main.py", add_help=False)
    _add_common_options(parser)
    args, rest = parser.parse_known_args(argv)
    if rest:
        return None  # a command, --help or a mistake: the full parser answers
    args.command = None
    return args


def _data_dir(text: str | None) -> Path | None:
    if text is None:
        return None
    if not text.strip():
        raise ValidationError("data_dir_empty")
    return Path(text)


class LazyFormRenderer:
    """The ReportLab form renderer, imported when the first form is printed.

    ReportLab and the shaping stack cost ~180 ms: a desk start should not wait for them.
    """

    def __init__(self) -> None:
        self._renderer: FormRenderer | None = None

    def _loaded(self) -> FormRenderer:
        if self._renderer is None:
            from forms.renderer import ReportLabFormRenderer

            self._renderer = ReportLabFormRenderer()
        return self._renderer

    def render(self, form_id: str, data: FormData, counterpart_language: str,
               seal: Callable[[str], str] | None = None) -> bytes:
        """The PDF of ``data`` laid out as ``form_id`` (see ``FormRenderer``)."""
        if seal is None:
            return self._loaded().render(form_id, data, counterpart_language)
        return self._loaded().render(form_id, data, counterpart_language, seal=seal)

    def form_ids(self) -> tuple[str, ...]:
        """Ids of the forms the renderer knows."""
        return self._loaded().form_ids()


def build_services(settings: Settings, **options: Any) -> Services:
    """The composition root (``repatriation.bootstrap``), imported on first use.

    The desk and the CLI get this function and never import the composition root themselves;
    a command that is refused before it needs the database never loads SQLAlchemy.
    """
    from repatriation.bootstrap import build_services as build

    return build(settings, **options)


def desk_vaults() -> VaultPort:
    """The data directories' vaults (``repatriation.vault``), imported on first use like the services."""
    from repatriation.vault.front import FrontVaults

    return FrontVaults()


def key_crypto() -> KeyCrypto:
    """The key adapter (``repatriation.crypto``) for ``forms verify``, imported on first use."""
    from repatriation.crypto.key_adapter import PostKeyCrypto

    return PostKeyCrypto()


def desk_first_runs() -> FirstRuns:
    """The set-up of data directories (``repatriation.first_run``), imported on first use like the vault."""
    from repatriation.first_run import DeskFirstRuns

    return DeskFirstRuns(build_services)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered command."""
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="Repatriation Desk: cases of children returned from abroad. "
        "Without a command, the desk (GUI) starts.",
    )
    _add_common_options(parser)
    from cli.session import add_sign_in_everywhere, add_sign_in_options

    add_sign_in_options(parser, top_level=True)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    add_sign_in_everywhere(parser)  # --user NAME before or after any command name
    return parser


def _check_bundle_header(path: Path) -> None:
    """The crypto adapter's header check, imported only when the command is ``bundle import``."""
    from repatriation.crypto.bundle_inspect import inspect_header

    inspect_header(path)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the GUI or one command; returns the process exit code."""
    if os.name == "posix":
        os.umask(0o077)  # every file we create (database, exports, forms, temp files) is private
    from cli.bundle_precheck import refuse_bad_bundle

    refused = refuse_bad_bundle(sys.argv[1:] if argv is None else argv,  # before heavy imports
                                _check_bundle_header)
    if refused is not None:
        return refused
    args = _desk_arguments(argv) or build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = load_settings(_data_dir(args.data_dir))
    except DomainError as exc:
        print(describe(exc, Translator(args.lang or "vi")), file=sys.stderr)
        return 2
    translator = Translator(args.lang or settings.language)
    if args.command is None:
        # The core before Qt: once PySide6 is loaded, its import hook reads the source of every
        # module imported after it (~0.4 ms each, ~150 ms for SQLAlchemy and the services).
        import repatriation.bootstrap  # noqa: F401
        from ui.application import run_desk

        return run_desk(settings, translator, LazyFormRenderer(), build_services, desk_vaults(),
                        desk_first_runs())
    return _run_command(args, settings, translator)


def _run_command(args: argparse.Namespace, settings: Settings, translator: Translator) -> int:
    from cli.context import CliContext
    from cli.faults import EXIT_BROKEN_PIPE, fault_sentence, silence_stdout
    from cli.vault_commands import describe_error as describe_vault_error

    ctx = CliContext(settings=settings, build=build_services, open_vaults=desk_vaults,
                     open_first_runs=desk_first_runs, args=args, tr=translator, renderer=LazyFormRenderer(),
                     key_crypto=key_crypto)
    try:
        try:
            code = int(args.handler(args, ctx))
            sys.stdout.flush()  # a closed pipe shows here, not at exit
            return code
        finally:
            ctx.close()
    except BrokenPipeError:
        silence_stdout()  # `main.py cases list | head`: the reader had enough, nothing to say
        return EXIT_BROKEN_PIPE
    except DomainError as exc:
        print(describe_vault_error(_plainly(exc, settings), translator), file=sys.stderr)
        return 2
    except (OSError, RecursionError, KeyboardInterrupt) as exc:
        print(fault_sentence(exc, translator), file=sys.stderr)
        return 130 if isinstance(exc, KeyboardInterrupt) else 2
    except Exception as exc:
        # A database error that escaped a use case (start-up on a full, read-only or damaged
        # data directory): one sentence, never a traceback.
        from repatriation.storage.faults import storage_fault

        fault = storage_fault(exc, settings.data_dir)
        if fault is None:
            raise
        print(describe_vault_error(_plainly(fault, settings), translator), file=sys.stderr)
        return 2


def _plainly(error: DomainError, settings: Settings) -> DomainError:
    """On a desk without encryption a damaged file has nothing to do with a key: say so."""
    from repatriation.vault import needs_credentials

    if error.code != "database_damaged" or settings.database_url or needs_credentials(settings):
        return error
    from repatriation.config import SQLITE_FILE_NAME

    return ValidationError("database_unreadable", path=str(settings.data_dir / SQLITE_FILE_NAME))


if __name__ == "__main__":
    sys.exit(main())
