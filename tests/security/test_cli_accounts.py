"""``users``, ``cases show --user`` and ``retention`` through main.py on an encrypted data directory."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

import main as entry
from repatriation import bootstrap
from repatriation.crypto.passwords import Argon2Params, Argon2PasswordHasher


def run(monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    # Cheap Argon2 parameters: the production cost is tested in test_accounts.py.
    floor = Argon2Params(19 * 1024, 2, 1)
    monkeypatch.setattr(bootstrap, "password_hasher", lambda: Argon2PasswordHasher(floor))
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    code = entry.main(list(args))
    monkeypatch.undo()
    return code, out.getvalue(), err.getvalue()


def test_users_and_redacted_show(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = ["--data-dir", str(tmp_path / "desk"), "--lang", "en"]
    boss_pw, liaison_pw = "chief passphrase 1", "liaison passphrase 2"
    # A directory never set up holds no accounts (nor records): setup creates the first supervisor.
    code, _, err = run(monkeypatch, *data, "users", "add", "boss", "supervisor", "--new-password-stdin",
                       stdin=boss_pw + "\n")
    assert code == 2 and "run 'setup" in err
    code, _, err = run(monkeypatch, *data, "setup", "--user", "boss", "--password-stdin",
                       "--kdf-memory-mib", "19", "--kdf-iterations", "2", stdin=boss_pw + "\n")
    assert code == 0, err
    # Once an account exists, adding one needs a supervisor signed in.
    code, _, err = run(monkeypatch, *data, "users", "add", "an", "liaison", "--new-password-stdin",
                       stdin=liaison_pw + "\n")
    assert code == 2 and "--user" in err
    code, _, err = run(monkeypatch, *data, "users", "add", "an", "liaison", "--user", "boss",
                       "--password-stdin", "--new-password-stdin",
                       stdin="wrong password\n" + liaison_pw + "\n")
    assert code == 2 and "Wrong user name or password." in err
    code, _, err = run(monkeypatch, *data, "users", "add", "an", "liaison", "--user", "boss",
                       "--password-stdin", "--new-password-stdin", stdin=f"{boss_pw}\n{liaison_pw}\n")
    assert code == 0, err
    code, out, _ = run(monkeypatch, *data, "users", "list", "--format", "json", "--user", "boss",
                       "--password-stdin", stdin=boss_pw + "\n")
    assert code == 0 and [(u["username"], u["role"]) for u in json.loads(out)] == [
        ("an", "liaison"), ("boss", "supervisor")]
    assert "password" not in out  # no hash leaves the service
    code, _, err = run(monkeypatch, *data, "users", "list", "--user", "an", "--password-stdin",
                       stdin=liaison_pw + "\n")
    assert code == 2 and "may not do this" in err

    source = tmp_path / "case.csv"
    source.write_text("family_name,given_name,channel,corridor,received_on,notes\n"
                      "Thào,Mỷ,rescue,CN,2026-01-10,intake note (demo)\n", encoding="utf-8")
    assert run(monkeypatch, *data, "cases", "import", str(source), "--user", "boss",
               "--password-stdin", stdin=boss_pw + "\n")[0] == 0
    shown = {}
    for who, password in (("an", liaison_pw), ("boss", boss_pw)):
        code, out, err = run(monkeypatch, *data, "cases", "show", "LC-2026-000001", "--user", who,
                             "--password-stdin", stdin=password + "\n")
        assert code == 0, err
        shown[who] = json.loads(out)
    assert {case["person"]["given_name"] for case in shown.values()} == {"Mỷ"}
    assert shown["an"]["notes"] == ""
    assert shown["boss"]["notes"] == "intake note (demo)"
    code, _, err = run(monkeypatch, *data, "cases", "show", "LC-2026-000001")
    assert code == 2 and "--user" in err

    code, _, err = run(monkeypatch, *data, "users", "disable", "an", "--user", "boss", "--password-stdin",
                       stdin=boss_pw + "\n")
    assert code == 0 and "Account an disabled." in err
    code, _, err = run(monkeypatch, *data, "cases", "show", "LC-2026-000001", "--user", "an",
                       "--password-stdin", stdin=liaison_pw + "\n")
    assert code == 2 and ("disabled" in err or "Wrong user name or password." in err)  # slot revoked

    signed = ("--user", "boss", "--password-stdin")
    code, out, err = run(monkeypatch, *data, "retention", "show", *signed, stdin=boss_pw + "\n")
    assert code == 0 and json.loads(out)["closed_case"] == 60
    code, _, err = run(monkeypatch, *data, "retention", "run", *signed, stdin=boss_pw + "\n")
    assert code == 0 and "0 cases anonymised." in err
