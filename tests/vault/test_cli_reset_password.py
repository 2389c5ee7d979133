"""``users reset-password`` through main.py: on an encrypted desk a re-enabled account signs in again
only after a supervisor gave it a new password with the recovery key."""

from __future__ import annotations

from pathlib import Path

import pytest

from repatriation.domain.actors import Role
from tests.cli_kit import SUPERVISOR_PASSWORD, Desk, demo_desk, encrypted_desk, run_cli

NEW = "a brand new passphrase for the liaison"


def _as_chief(desk: Desk, *args: str, stdin: str = "", key: bool = False) -> tuple[int, str, str]:
    extra = ("--recovery-key",) if key else ()
    return run_cli("--data-dir", str(desk.data), "--lang", "en", *args, "--user", "chief", *extra,
                   "--password-stdin", stdin=stdin)


def _signs_in(desk: Desk, user: str, password: str) -> tuple[int, str]:
    code, _, err = run_cli("--data-dir", str(desk.data), "--lang", "en", "cases", "list", "--limit", "1",
                           "--user", user, password=password)
    return code, err


def test_a_disabled_then_enabled_account_signs_in_after_a_reset_with_the_recovery_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REPATRIATION_RECOVERY_KEY", raising=False)
    desk = encrypted_desk(tmp_path / "desk")
    user = desk.users[Role.LIAISON]
    assert _as_chief(desk, "users", "disable", user, stdin=SUPERVISOR_PASSWORD + "\n")[0] == 0
    code, _, err = _as_chief(desk, "users", "enable", user, stdin=SUPERVISOR_PASSWORD + "\n")
    assert code == 0 and f"users reset-password {user} --recovery-key" in err
    assert _signs_in(desk, user, desk.passwords[user])[0] != 0  # its old password opens nothing

    # Signed in with the password only: the reset asks for the recovery key, and nothing changes.
    code, _, err = _as_chief(desk, "users", "reset-password", user, "--new-password-stdin",
                             stdin=f"{SUPERVISOR_PASSWORD}\n\n{NEW}\n")
    assert code != 0 and "needs the recovery key" in err, err
    wrong = desk.recovery_key[:-1] + ("A" if desk.recovery_key[-1] != "A" else "B")
    code, _, err = _as_chief(desk, "users", "reset-password", user, "--new-password-stdin",
                             stdin=f"{wrong}\n{NEW}\n", key=True)
    assert code != 0 and "recovery key" in err, err
    code, _, err = _as_chief(desk, "users", "reset-password", user, "--new-password-stdin",
                             stdin=f"{desk.recovery_key}\nshort\n", key=True)
    assert code != 0 and "at least" in err, err
    assert _signs_in(desk, user, NEW)[0] != 0

    code, _, err = _as_chief(desk, "users", "reset-password", user, "--new-password-stdin",
                             stdin=f"{desk.recovery_key}\n{NEW}\n", key=True)
    assert code == 0 and f"New password set for {user}" in err, err
    code, err = _signs_in(desk, user, NEW)
    assert code == 0, err
    # The supervisor's own password still opens the desk after the reset.
    assert _signs_in(desk, "chief", SUPERVISOR_PASSWORD)[0] == 0


def test_reset_on_a_demo_desk_needs_no_key_and_only_a_supervisor_may_reset(tmp_path: Path) -> None:
    desk = demo_desk(tmp_path / "demo", cases=2)
    officer, boss = desk.users[Role.BORDER_GUARD], desk.users[Role.SUPERVISOR]
    code, _, err = run_cli("--data-dir", str(desk.data), "--lang", "en", "users", "reset-password", boss,
                           "--new-password-stdin", "--user", officer, "--password-stdin",
                           stdin=f"{desk.passwords[officer]}\n{NEW}\n")
    assert code != 0 and "may not" in err, err
    code, _, err = run_cli("--data-dir", str(desk.data), "--lang", "en", "users", "reset-password", officer,
                           "--new-password-stdin", "--user", boss, "--password-stdin",
                           stdin=f"{desk.passwords[boss]}\n{NEW}\n")
    assert code == 0, err
    assert _signs_in(desk, officer, NEW)[0] == 0
    assert _signs_in(desk, officer, desk.passwords[officer])[0] != 0
