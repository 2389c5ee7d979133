"""Work around shiboken6 6.12.0 on Python 3.11: every call of a void Qt method loses a None ref.

Measured here: 1,000 calls of ``QWidget.update()`` lower ``sys.getrefcount(None)`` by 1,000
with PySide6 6.12.0 and by 0 with 6.11.3. After a few seconds of painting None is freed and the
interpreter aborts ("none_dealloc: deallocating None"). Python 3.12 made None immortal; on 3.11
we do the same, once, and only when a probe shows the leak. Pinning PySide6 6.11.3 or moving to
Python 3.12 makes this a no-op.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

_PROBE_CALLS = 64
# Far beyond any number of calls a desk makes, far below overflow of a 64-bit refcount.
_IMMORTAL_MARGIN = 1 << 60
_state = {"checked": False, "applied": False}


def none_leaks() -> bool:
    """Whether void Qt calls drop references to None in this interpreter and PySide6 build."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= _PROBE_CALLS // 2


def guard_none_refcount() -> bool:
    """Make None effectively immortal if (and only if) the leak is present; True when applied."""
    if _state["checked"]:
        return _state["applied"]
    _state["checked"] = True
    if sys.version_info >= (3, 12) or not none_leaks():
        return False
    # ob_refcnt is the first field of every object in release builds of CPython 3.11.
    ctypes.c_ssize_t.from_address(id(None)).value += _IMMORTAL_MARGIN
    _state["applied"] = True
    log.warning("PySide6 build drops references to None; applied the 3.11 work-around")
    return True
