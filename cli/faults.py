"""Faults outside the domain (files, pipes, terminals) as one translated sentence naming where.

``main.py`` routes every exception a command lets escape through :func:`fault_sentence`, so an
officer never sees a traceback: a full disk, a read-only USB stick or a missing folder each get
a sentence with the path, and the exit code says it failed.
"""

from __future__ import annotations

import errno
import os
import sys

from i18n import N_, Translator

OS_MESSAGES: dict[int, str] = {
    errno.ENOSPC: N_("The disk holding {path} is full: nothing was written. Free some space and try again."),
    errno.EDQUOT: N_("The disk holding {path} is full: nothing was written. Free some space and try again."),
    errno.EROFS: N_("{path} is on a read-only disk: nothing was written."),
    errno.EACCES: N_("No permission to read or write {path}."),
    errno.EPERM: N_("No permission to read or write {path}."),
    errno.ENOENT: N_("{path} does not exist."),
    errno.EISDIR: N_("{path} is a folder, not a file."),
    errno.ENOTDIR: N_("A part of {path} is not a folder."),
    errno.EIO: N_("The disk holding {path} failed to read or write (input/output error)."),
}
GENERIC_OS = N_("Could not read or write {path}: {reason}.")
UNKNOWN_PATH = N_("the file")
TOO_DEEP = N_("The input is nested too deeply to be read safely. Nothing was changed.")
INTERRUPTED = N_("Interrupted: nothing was changed.")
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as any Unix tool killed by a closed pipe


def os_sentence(error: OSError, tr: Translator) -> str:
    """A sentence for a failed file operation, naming the file."""
    _ = tr.gettext
    path = error.filename if error.filename not in (None, "") else _(UNKNOWN_PATH)
    template = OS_MESSAGES.get(error.errno or 0)
    if template is None:
        return _(GENERIC_OS).format(path=path, reason=error.strerror or type(error).__name__)
    return _(template).format(path=path)


def fault_sentence(error: BaseException, tr: Translator) -> str | None:
    """The sentence for a fault a command did not handle itself; ``None`` if it is unknown."""
    if isinstance(error, OSError):
        return os_sentence(error, tr)
    if isinstance(error, RecursionError):
        return tr.gettext(TOO_DEEP)
    if isinstance(error, KeyboardInterrupt):
        return tr.gettext(INTERRUPTED)
    return None


def silence_stdout() -> None:
    """After a closed pipe (``main.py cases list | head``): drop whatever output is left.

    Python flushes stdout again at exit; pointing it at /dev/null keeps that from printing a
    second error (the reader has gone, which is what the user wanted).
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
