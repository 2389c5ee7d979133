"""Where each password comes from on an encrypted desk (main.py): never a new account from the
signing-in user's secret, never a terminal prompt with ``--password-stdin``, and a hostile key
file refused with a sentence."""

from __future__ import annotations

import getpass
import io
import json
import sys
import time
from pathlib import Path

import pytest

import main as entry
from repatriation.vault import KEYSLOTS_FILE

CHIEF_PW = "correct horse battery"
LIAISON_PW = "liaison passphrase 2"


def run(
    monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = "", env_password: str | None = None
) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with monkeypatch.context() as patch:
        if env_password is None:
            patch.delenv("REPATRIATION_PASSWORD", raising=False)
        else:
            patch.setenv("REPATRIATION_PASSWORD", env_password)
        patch.setattr(sys, "stdin", io.StringIO(stdin))
        patch.setattr(sys, "stdout", out)
        patch.setattr(sys, "stderr", err)
        code = entry.main(["--lang", "en", *args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    def no_terminal(prompt: str = "") -> str:
        raise AssertionError(f"prompted on the terminal: {prompt!r}")

    monkeypatch.setattr(getpass, "getpass", no_terminal)
    data = ["--data-dir", str(tmp_path / "desk")]
    code, _, err = run(monkeypatch, *data, "setup", "--user", "chief", "--password-stdin",
                       "--kdf-memory-mib", "19", "--kdf-iterations", "2", stdin=CHIEF_PW + "\n")
    assert code == 0, err
    return data


def test_a_new_account_never_gets_the_supervisors_password(
    desk: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # $REPATRIATION_PASSWORD signs the supervisor in; without --new-password-stdin and no
    # terminal the new password is refused, not taken from that variable.
    code, _, err = run(monkeypatch, *desk, "users", "add", "an", "liaison", "--user", "chief",
                       env_password=CHIEF_PW)
    assert code == 2 and "--new-password-stdin" in err
    code, _, err = run(monkeypatch, *desk, "users", "add", "an", "liaison", "--user", "chief",
                       "--new-password-stdin", stdin=LIAISON_PW + "\n", env_password=CHIEF_PW)
    assert code == 0, err
    code, _, err = run(monkeypatch, *desk, "unlock", "--user", "an", env_password=CHIEF_PW)
    assert code == 2 and "Wrong user name or password." in err
    code, _, err = run(monkeypatch, *desk, "unlock", "--user", "an", env_password=LIAISON_PW)
    assert code == 0, err


def test_password_stdin_never_prompts_and_feeds_the_vault_and_the_account(
    desk: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # One line opens the vault and signs in (read once); the next line is the new password.
    code, _, err = run(monkeypatch, *desk, "users", "add", "an", "liaison", "--user", "chief",
                       "--password-stdin", "--new-password-stdin", stdin=f"{CHIEF_PW}\n{LIAISON_PW}\n")
    assert code == 0, err
    code, out, err = run(monkeypatch, *desk, "users", "list", "--format", "json", "--user", "an",
                         "--password-stdin", stdin=LIAISON_PW + "\n")
    assert code == 2 and "may not do this" in err  # an opened the vault, then the role refused
    code, out, err = run(monkeypatch, *desk, "users", "list", "--format", "json", "--user", "chief",
                         "--password-stdin", stdin=CHIEF_PW + "\n")
    assert code == 0 and {u["username"] for u in json.loads(out)} == {"an", "chief"}
    code, _, err = run(monkeypatch, *desk, "unlock", "--user", "chief", "--password-stdin", stdin="")
    assert code == 2 and "No password was given on standard input." in err


def test_a_key_file_asking_for_4_gib_is_refused_with_a_sentence(
    desk: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = Path(desk[1]) / KEYSLOTS_FILE
    doc = json.loads(path.read_text())
    doc["slots"][0]["kdf"]["memory_kib"] = 4 * 1024 * 1024
    path.write_text(json.dumps(doc))
    started = time.monotonic()
    code, _, err = run(monkeypatch, *desk, "unlock", "--user", "chief", env_password=CHIEF_PW)
    assert code == 2 and "asks for 4096 MiB of memory and 2 passes" in err, err
    assert time.monotonic() - started < 30  # refused before any Argon2id work


def test_users_disable_on_the_command_line_revokes_the_key(
    desk: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(monkeypatch, *desk, "users", "add", "an", "liaison", "--user", "chief",
                       "--new-password-stdin", stdin=LIAISON_PW + "\n", env_password=CHIEF_PW)
    assert code == 0, err
    code, _, err = run(monkeypatch, *desk, "users", "disable", "an", "--user", "chief", env_password=CHIEF_PW)
    assert code == 0 and "Account an disabled." in err and "signs in again only after" in err
    code, _, err = run(monkeypatch, *desk, "unlock", "--user", "an", env_password=LIAISON_PW)
    assert code == 2 and "Wrong user name or password." in err
