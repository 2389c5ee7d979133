"""``users``, ``cases show --user`` and ``retention`` through main.py on a real data directory."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

import main as entry
from repatriation.crypto.passwords import Argon2Params, Argon2PasswordHasher
from repatriation.services import accounts


def run(monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    # Cheap Argon2 parameters: the production cost is tested in test_accounts.py.
    floor = Argon2Params(19 * 1024, 2, 1)
    monkeypatch.setattr(accounts, "_default_hasher", lambda: Argon2PasswordHasher(floor))
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    code = entry.main(list(args))
    monkeypatch.undo()
    return code, out.getvalue(), err.getvalue()


def test_users_and_redacted_show(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = ["--data-dir", str(tmp_path / "desk"), "--lang", "en"]
    boss_pw, liaison_pw = "chief passphrase 1", "liaison passphrase 2"
    code, _, err = run(monkeypatch, *data, "users", "add", "boss", "--role", "liaison",
                       "--new-password-stdin",
                       stdin="x\n")
    assert code == 2 and "The first account must be a supervisor." in err
    code, _, err = run(monkeypatch, *data, "users", "add", "boss", "--role", "supervisor",
                       "--new-password-stdin",
                       stdin=boss_pw + "\n")
    assert code == 0 and "Account boss created." in err
    # Once an account exists, adding one needs a supervisor signed in.
    code, _, err = run(monkeypatch, *data, "users", "add", "an", "--role", "liaison", "--new-password-stdin",
                       stdin=liaison_pw + "\n")
    assert code == 2 and "--user" in err
    code, _, err = run(monkeypatch, *data, "users", "add", "an", "--role", "liaison", "--user", "boss",
                       "--password-stdin", "--new-password-stdin",
                       stdin="wrong password\n" + liaison_pw + "\n")
    assert code == 2 and "Wrong user name or password." in err
    code, _, err = run(monkeypatch, *data, "users", "add", "an", "--role", "liaison", "--user", "boss",
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
    assert run(monkeypatch, *data, "cases", "import", str(source))[0] == 0
    shown = {}
    for who, password in ((None, ""), ("an", liaison_pw), ("boss", boss_pw)):
        extra = ["--user", who, "--password-stdin"] if who else []
        code, out, err = run(monkeypatch, *data, "cases", "show", "LC-2026-000001", *extra,
                             stdin=password + "\n")
        assert code == 0, err
        shown[who] = json.loads(out)
    assert {case["person"]["given_name"] for case in shown.values()} == {"Mỷ"}
    assert shown[None]["notes"] == "" and shown["an"]["notes"] == ""
    assert shown["boss"]["notes"] == "intake note (demo)"

    code, _, err = run(monkeypatch, *data, "users", "disable", "an", "--user", "boss", "--password-stdin",
                       stdin=boss_pw + "\n")
    assert code == 0 and "Account an disabled." in err
    code, _, err = run(monkeypatch, *data, "cases", "show", "LC-2026-000001", "--user", "an",
                       "--password-stdin", stdin=liaison_pw + "\n")
    assert code == 2 and "disabled" in err

    code, out, err = run(monkeypatch, *data, "retention", "show")
    assert code == 0 and json.loads(out)["closed_case"] == 60
    code, _, err = run(monkeypatch, *data, "retention", "run")
    assert code == 0 and "0 cases anonymised." in err
