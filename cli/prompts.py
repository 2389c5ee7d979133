"""Ask for a password or passphrase on the terminal, or refuse with a sentence when there is none.

Without a terminal (a script, a cron job, input from a pipe) ``getpass`` would read the secret
from standard input with an echo warning, or fail with a traceback at its end: the command
says instead which environment variable or option gives the secret.
"""

from __future__ import annotations

import getpass
import sys

from repatriation.domain.errors import ValidationError


def ask_secret(prompt: str) -> str:
    """The secret typed at the terminal (not echoed).

    Raises:
        ValidationError: ``no_terminal`` when standard input is not a terminal or is closed.
    """
    stdin = sys.stdin
    if stdin is None or stdin.closed or not stdin.isatty():
        raise ValidationError("no_terminal")
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise ValidationError("no_terminal") from None
