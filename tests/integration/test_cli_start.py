"""The command line stays light until a command needs the database: no vault, SQLAlchemy or composition root.

``main.py`` builds the whole parser for every command (and for ``--help``); the vault and the
first run come through ports and are imported when a command first uses them, so a refusal
that needs no database does not wait for them (about half a second each time).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "repatriation.vault", "repatriation.first_run", "repatriation.bootstrap")
PROBE = f"""
import sys
import main
code = main.main(sys.argv[1:]) if sys.argv[1:] else main.build_parser() and 0
print(code, ",".join(m for m in {HEAVY!r} if m in sys.modules) or "-")
"""


def _probe(*args: str) -> tuple[str, str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)
    return done.stdout.strip(), done.stderr


def test_the_parser_of_every_command_loads_no_vault_and_no_database() -> None:
    out, err = _probe()
    assert out == "0 -", err


def test_setup_without_a_user_is_refused_before_the_vault_loads(tmp_path: Path) -> None:
    data = tmp_path / "desk"
    out, err = _probe("--data-dir", str(data), "--lang", "en", "setup")
    assert out == "2 -", err
    assert "user" in err.lower()
    assert not data.exists()
