"""Where passwords come from on the command line: the signing-in user's, and a new account's.

The signing-in user's password: ``$REPATRIATION_PASSWORD``, else the first line of standard
input with ``--password-stdin``, else a prompt; it is read once per run and opens both the vault
and the account. A new or reset password never comes from that variable: it is read from
standard input with ``--new-password-stdin`` (the next line) or asked for twice at a terminal.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping

from cli.prompts import ask_secret
from i18n import Translator
from repatriation.domain.errors import ValidationError

ENV_PASSWORD = "REPATRIATION_PASSWORD"
Prompt = Callable[[str], str]


def stdin_line() -> str:
    """One secret from standard input (its line ending removed); refused when stdin is empty."""
    line = sys.stdin.readline()
    if not line:
        raise ValidationError("password_missing")
    return line.rstrip("\r\n")


def sign_in_password(
    args: argparse.Namespace,
    tr: Translator,
    environ: Mapping[str, str] = os.environ,
    prompt: Prompt = ask_secret,
) -> str:
    """The signing-in user's password, read once per run and shared by the vault and the account.

    From ``$REPATRIATION_PASSWORD``, else the first line of stdin with ``--password-stdin``
    (never a terminal prompt then), else a prompt. Never used for a new account's password.
    """
    cached: str | None = getattr(args, "_sign_in_password", None)
    if cached is not None:
        return cached
    if environ.get(ENV_PASSWORD):
        password = environ[ENV_PASSWORD]
    elif getattr(args, "password_stdin", False):
        password = stdin_line()
    else:
        password = prompt(tr.gettext("Password for {user}: ").format(user=args.user))
    args._sign_in_password = password
    return password
