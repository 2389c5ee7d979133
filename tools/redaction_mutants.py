"""Remove each redaction call in turn on a scratch copy and check that the canary tests fail.

A redaction call is any call of ``access.redact``, ``redact_summary``, ``redact_batch``,
``redact_audit_entry``, ``minimise`` or ``can`` outside ``repatriation/services/access.py``;
``--gates`` adds every ``require`` (also imported bare), the checks that refuse a whole action.
Each mutant replaces one call by what it would have received unredacted (its first argument;
``True`` for ``can``; ``None`` for ``require``), runs the canary tests with ``-x`` and records
whether they caught it.
The working tree is never touched: the scratch copy is a ``git worktree`` of ``HEAD``.

Usage::

    .venv/bin/python tools/redaction_mutants.py            # every redaction call
    .venv/bin/python tools/redaction_mutants.py --gates    # and every permission check
    .venv/bin/python tools/redaction_mutants.py --list     # the call sites only
"""

from __future__ import annotations

import argparse
import ast
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("repatriation", "ui", "cli", "forms")
CALLS = {"redact", "redact_summary", "redact_batch", "redact_audit_entry", "minimise", "can",
         "require"}
BARE = {"require"}  # ``from repatriation.services.access import require``
# The canary matrix, the access matrix and the correction dialog's offer (a field the role may
# not edit is not offered: ``ui/pages/case_corrections.py``, checked by the corrections test).
CANARY_TESTS = ("tests/security/test_canary_matrix.py", "tests/ui/test_canary_desk.py",
                "tests/security/test_access_matrix.py", "tests/ui/test_case_corrections.py")


@dataclass(frozen=True)
class Site:
    """One redaction call: where it is and what replaces it in the mutant."""

    path: str
    line: int
    start: int  # character offsets of the call in the file's text
    end: int
    replacement: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


def _offset(text: str, line: int, column: int) -> int:
    lines = text.splitlines(keepends=True)
    return sum(len(item) for item in lines[: line - 1]) + len(
        lines[line - 1].encode("utf-8")[:column].decode("utf-8"))


def sites(root: Path, gates: bool = False) -> list[Site]:
    """Every redaction call (and with ``gates`` every ``require``) in the sources, in file order."""
    found = []
    for directory in SOURCES:
        for path in sorted((root / directory).rglob("*.py")):
            relative = str(path.relative_to(root))
            if relative == "repatriation/services/access.py":
                continue
            text = path.read_text(encoding="utf-8")
            for node in ast.walk(ast.parse(text)):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                        and func.value.id == "access" and func.attr in CALLS \
                        and (gates or func.attr not in BARE):
                    name = func.attr
                elif gates and isinstance(func, ast.Name) and func.id in BARE \
                        and "from repatriation.services.access import" in text:
                    name = func.id
                else:
                    continue
                assert node.end_lineno is not None and node.end_col_offset is not None
                start = _offset(text, node.lineno, node.col_offset)
                end = _offset(text, node.end_lineno, node.end_col_offset)
                if name == "can":
                    replacement = "True"
                elif name == "require":
                    replacement = "None"
                else:
                    first = node.args[0]
                    assert first.end_lineno is not None and first.end_col_offset is not None
                    replacement = "(" + text[_offset(text, first.lineno, first.col_offset):
                                             _offset(text, first.end_lineno, first.end_col_offset)] + ")"
                found.append(Site(relative, node.lineno, start, end, replacement))
    return sorted(found, key=lambda s: (s.path, s.start))


def caught(scratch: Path, site: Site) -> bool:
    """Apply one mutant in ``scratch``, run the canary tests, restore the file."""
    path = scratch / site.path
    original = path.read_text(encoding="utf-8")
    path.write_text(original[: site.start] + site.replacement + original[site.end:], encoding="utf-8")
    try:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *CANARY_TESTS],
            cwd=scratch, env=env, capture_output=True, text=True)
        return result.returncode != 0
    finally:
        path.write_text(original, encoding="utf-8")


def main() -> int:
    """Run every mutant (or list the sites); exit 1 if any removal went unnoticed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="list the call sites and stop")
    parser.add_argument("--gates", action="store_true", help="also remove each permission check")
    args = parser.parse_args()
    found = sites(ROOT, args.gates)
    if args.list:
        for site in found:
            print(site)
        return 0
    with tempfile.TemporaryDirectory() as temp:
        scratch = Path(temp) / "scratch"
        subprocess.run(["git", "worktree", "add", "--detach", str(scratch), "HEAD"], cwd=ROOT,
                       check=True, capture_output=True)
        try:
            missed = []
            for number, site in enumerate(found, 1):
                hit = caught(scratch, site)
                print(f"{number:2}/{len(found)} {site}: {'caught' if hit else 'NOT CAUGHT'}", flush=True)
                if not hit:
                    missed.append(site)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(scratch)], cwd=ROOT, check=False)
    print(f"{len(found) - len(missed)} of {len(found)} redaction removals caught by the canary tests")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
