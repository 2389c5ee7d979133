"""The vault commands through main.py: setup, unlock, wrong password, recovery key, backups, rekey."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

import main as entry
from cli import COMMAND_MODULES

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def vault_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    # Registered here until cli/__init__.py lists "cli.vault_commands" (dict keeps one copy).
    modules = tuple(dict.fromkeys((*COMMAND_MODULES, "cli.vault_commands")))
    monkeypatch.setattr(entry, "COMMAND_MODULES", modules)
    monkeypatch.setenv("REPATRIATION_PASSWORD", PASSWORD)


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = entry.main(["--lang", "en", *args])
    finally:
        sys.stdout, sys.stderr = old
    return code, out.getvalue(), err.getvalue()


def test_vault_commands_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = ["--data-dir", str(tmp_path / "desk")]
    code, out, err = run(*data, "setup", "--user", "chief", "--kdf-memory-mib", "19", "--kdf-iterations", "2")
    assert code == 0, err
    assert run(*data, "demo", "--cases", "20", "--user", "chief")[0] == 0
    recovery = out.strip()
    assert re.fullmatch(r"([A-Z2-7]{4}-){8}[A-Z2-7]{4}", recovery)
    assert "shown only this once" in err
    code, _, err = run(*data, "unlock", "--user", "chief")
    assert code == 0 and "integrity check (20 cases)" in err

    monkeypatch.setenv("REPATRIATION_PASSWORD", "not the password")
    code, _, err = run(*data, "unlock", "--user", "chief")
    assert code == 2 and "Wrong user name or password." in err
    assert "Traceback" not in err
    code, _, err = run(*data, "unlock")
    assert code == 2 and "--user NAME" in err
    monkeypatch.setenv("REPATRIATION_RECOVERY_KEY", recovery.lower())
    assert run(*data, "unlock", "--recovery-key")[0] == 0
    # The recovery key opens the data; the audit entries still name an account.
    code, out, err = run(*data, "cases", "list", "--recovery-key", "--user", "chief", "--limit", "1")
    assert code == 0 and out.count("reference") == 1, err
    code, _, err = run(*data, "cases", "list", "--recovery-key")
    assert code == 2 and "--user NAME" in err
    monkeypatch.setenv("REPATRIATION_RECOVERY_KEY", recovery[:-1] + ("A" if recovery[-1] != "A" else "B"))
    code, _, err = run(*data, "unlock", "--recovery-key")
    assert code == 2 and "typing mistake" in err
    monkeypatch.setenv("REPATRIATION_PASSWORD", PASSWORD)

    backup = tmp_path / "usb" / "desk.rdbak"
    assert run(*data, "backup", "status")[0] == 1  # never backed up: due
    code, _, err = run(*data, "backup", "create", str(backup), "--user", "chief")
    assert code == 2 and "USB" in err and not backup.parent.exists()  # unmounted: not created
    backup.parent.mkdir()
    code, _, err = run(*data, "backup", "create", str(backup), "--user", "chief")
    assert code == 0 and "verified" in err and backup.exists()
    assert run(*data, "backup", "status")[0] == 0
    code, _, err = run(*data, "rekey", "--user", "chief")
    assert code == 0 and "key generation 2" in err
    code, _, err = run(*data, "backup", "restore", str(backup), "--user", "chief")
    assert code == 0 and "20 cases" in err
    assert run(*data, "unlock", "--user", "chief")[0] == 0

    damaged = bytearray(backup.read_bytes())
    damaged[-100] ^= 1
    backup.write_bytes(bytes(damaged))
    code, _, err = run(*data, "backup", "restore", str(backup), "--user", "chief")
    assert code == 2 and "damaged" in err
    code, _, err = run(*data, "setup", "--user", "chief")
    assert code == 2 and "already set up" in err
