"""``bundle import FILE``: refuse a file whose age header is malformed before anything heavy runs.

Building the full command parser imports every command module, and with them the vault,
SQLAlchemy and the services (most of a second on a post's laptop). A hostile file on a USB
stick (a header built to exhaust the reader, or not a bundle at all) needs none of that: its
header is read under the caps here, from the command line alone, so the refusal costs Python's
start-up and a few kilobytes of reading. Nothing is unlocked, opened or written; the sentence
and the exit code are those of the full path (which checks the header again).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from cli.errors import describe
from i18n import Translator
from repatriation.config import load_settings
from repatriation.domain.bundle_errors import BundleError
from repatriation.domain.errors import DomainError

# Options that take a value, wherever they stand (top level or after the command name).
_VALUED = frozenset({"--data-dir", "--lang", "--user"})
EXIT_REFUSED = 2


def bundle_to_import(argv: Sequence[str]) -> tuple[Path, str | None, str | None] | None:
    """``(file, --data-dir, --lang)`` when ``argv`` is ``bundle import FILE``, else ``None``.

    Anything unusual (help, ``--``, a missing or extra word) returns ``None``: the full
    parser then answers as it always did.
    """
    words: list[str] = []
    values: dict[str, str] = {}
    tokens = iter(argv)
    for token in tokens:
        if token in ("-h", "--help", "--"):
            return None
        name, equals, value = token.partition("=")
        if name in _VALUED:
            given = value if equals else next(tokens, None)
            if given is None:
                return None
            values[name] = given
        elif not token.startswith("-"):
            words.append(token)
    if len(words) != 3 or words[:2] != ["bundle", "import"]:
        return None
    return Path(words[2]), values.get("--data-dir"), values.get("--lang")


def refuse_bad_bundle(argv: Sequence[str], check_header: Callable[[Path], object],
                      err: TextIO | None = None) -> int | None:
    """The exit code if ``argv`` imports a file whose header is refused; ``None`` to go on.

    Args:
        argv: the command line without the program name.
        check_header: reads a bundle's header under the caps, raising ``BundleError``
            (``main.py`` hands in the crypto adapter's, imported only for this command).
        err: where the sentence goes (standard error by default).
    """
    found = bundle_to_import(argv)
    if found is None:
        return None
    path, data_dir, lang = found
    if data_dir is not None and not data_dir.strip():
        return None  # the full path refuses an empty --data-dir first
    try:
        if not path.is_file():
            return None  # the full path says what is wrong with the name
        check_header(path)
        return None
    except OSError:
        return None
    except BundleError as refusal:
        error: BundleError = refusal
    try:
        language = lang or load_settings(Path(data_dir) if data_dir else None).language
    except DomainError:
        return None  # unreadable settings: the full path reports that first, as before
    print(describe(error, Translator(language)), file=err or sys.stderr)
    return EXIT_REFUSED
