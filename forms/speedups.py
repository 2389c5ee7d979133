"""Three speed-ups to ReportLab (pinned 5.1.0), neither of which changes what a page shows.

1. ``fp_str``: every number ReportLab writes into a PDF goes through it, and without the C
   accelerator (not installed here) the Python fallback strips zeros one character at a time:
   11% of a form's render. This one gives the same string for every input
   (``tests/forms/test_speedups.py`` compares them) and remembers the values a form repeats.
2. Stream compression at zlib level 1 instead of 6: half the time (3 ms a form) for PDFs about
   8% larger; the streams decompress to the same bytes.
3. Font subsets are remembered by (font file, code list): the labels of a form in Chinese give
   the same subset of the 4 MB face form after form, and cutting it costs 3 ms each time.
"""

from __future__ import annotations

import sys
import threading
import zlib
from typing import Any

from reportlab.lib import rl_accel
from reportlab.pdfbase import pdfdoc, ttfonts

_ORIGINAL: Any = rl_accel.fp_str
_FORMATS = ("%.0f", "%.1f", "%.2f", "%.3f", "%.4f", "%.5f", "%.6f")
_LOG_10: Any = getattr(rl_accel, "_log_10", None)
_MODULES = (
    "reportlab.pdfgen.canvas", "reportlab.pdfgen.textobject", "reportlab.pdfgen.pathobject",
    "reportlab.pdfbase.pdfdoc", "reportlab.pdfbase.ttfonts", "reportlab.platypus.flowables",
    "reportlab.platypus.tables", "reportlab.lib.colors",
)
_known: dict[float, str] = {}
_ORIGINAL_SUBSET: Any = ttfonts.TTFontFile.makeSubset
_SUBSETS_KEPT = 48
_subsets: dict[tuple[Any, ...], bytes] = {}
_subset_lock = threading.Lock()


def _number(value: float) -> str:
    text = _known.get(value)
    if text is not None:
        return text
    size = abs(value)
    if size <= 1e-7:
        text = "0"
    else:
        # The same decimals rule and the same log as ReportLab (log(x)/log(10), not log10:
        # they differ at exact powers of ten).
        places = 6 if size <= 1 else min(max(0, 6 - int(_LOG_10(size))), 6)
        text = _FORMATS[places] % value
        if places:
            text = text.rstrip("0")
            if text.endswith("."):
                text = text[:-1]
        if text[0] == "0" and len(text) > 1:
            text = text[1:]  # "0.5" -> ".5", as ReportLab writes it
    if len(_known) < 65536:  # dict writes are atomic under the GIL; a lost race only recomputes
        _known[value] = text
    return text


def fp_str(*args: Any) -> str:
    """Space-separated PDF numbers, exactly as ReportLab's ``fp_str`` writes them."""
    values: Any = args[0] if len(args) == 1 and isinstance(args[0], (tuple, list)) else args
    known = _known.get
    # Remembered values straight from the dict: two thirds of the numbers of a form repeat.
    return " ".join([known(a) or _number(a) for a in values])


def _compress(text: str | bytes) -> bytes:
    """``PDFStreamFilterZCompress.encode`` at level 1."""
    return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, 1)


def _make_subset(self: Any, subset: list[int]) -> bytes:
    """``TTFontFile.makeSubset``, remembered for the last few (face, code list) pairs."""
    key = (self.filename, getattr(self, "subfontNameX", b""), tuple(subset))
    with _subset_lock:
        data = _subsets.get(key)
    if data is None:
        data = _ORIGINAL_SUBSET(self, subset)
        with _subset_lock:
            if len(_subsets) >= _SUBSETS_KEPT:
                del _subsets[next(iter(_subsets))]  # oldest first
            _subsets[key] = data
    return data


def apply() -> None:
    """Fast stream compression, and the fast ``fp_str`` when the C accelerator is absent."""
    pdfdoc.PDFZCompress.encode = _compress  # the one shared filter instance
    ttfonts.TTFontFile.makeSubset = _make_subset
    if _LOG_10 is None or rl_accel._c_funcs.get("fp_str") is not None:
        return
    for name in _MODULES:
        module = sys.modules.get(name) or __import__(name, fromlist=["fp_str"])
        if getattr(module, "fp_str", None) is _ORIGINAL:
            setattr(module, "fp_str", fp_str)  # noqa: B010  (a module global, not typed)


def revert() -> None:
    """Put ReportLab's own ``fp_str`` and compression back (tests)."""
    pdfdoc.PDFZCompress.__dict__.pop("encode", None)
    ttfonts.TTFontFile.makeSubset = _ORIGINAL_SUBSET
    for name in _MODULES:
        module = sys.modules.get(name)
        if module is not None and getattr(module, "fp_str", None) is fp_str:
            setattr(module, "fp_str", _ORIGINAL)  # noqa: B010
