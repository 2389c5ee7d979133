"""Every command the README lists runs on an encrypted, set-up data directory, signed in with --user.

The list is read from the README itself, so a command added there without being driven here
fails the test. A second data directory (a demo desk) is the counterpart post for bundles.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from repatriation import bootstrap as bootstrap_module
from repatriation.bootstrap import build_services
from repatriation.config import load_settings
from repatriation.crypto.passwords import Argon2Params, Argon2PasswordHasher
from repatriation.domain.actors import Role
from repatriation.domain.care import ConsentRecord
from repatriation.domain.enums import ConsentScope, ConsentSubject
from repatriation.vault import PasswordCredentials
from tests.cli_kit import Desk, demo_desk, encrypted_desk, run_cli

ROOT = Path(__file__).resolve().parents[2]
KEY_PASSPHRASE = "key store passphrase of the readme test"
_COMMAND = re.compile(r"^  ([a-z][a-z-]*)(?: ([a-z][a-z|-]*))?")


def readme_commands() -> set[tuple[str, ...]]:
    """(command, sub-command) pairs of the README's command list (two-space indented lines)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Command line", 1)[1].split("\n## ", 1)[0]
    found: set[tuple[str, ...]] = set()
    for line in section.splitlines():
        if not line.startswith("  ") or line.startswith("   "):
            continue
        for item in line.strip().split("  ")[0].split(", "):  # the description follows 2 spaces
            match = _COMMAND.match("  " + item)
            if match is None:
                continue
            command, subs = match.groups()
            names = [s for s in (subs or "").split("|") if re.fullmatch(r"[a-z][a-z-]*", s)]
            found |= {(command, s) for s in names} if names else {(command,)}
    return found


def test_the_readme_list_is_read() -> None:
    listed = readme_commands()
    assert {("demo",), ("cases", "import"), ("keys", "rotate"), ("self-test",), ("rekey",),
            ("retention", "run"), ("users", "enable")} <= listed
    assert len(listed) >= 30


@pytest.fixture
def cheap_accounts(monkeypatch: pytest.MonkeyPatch) -> None:
    # The floor of Argon2 (the production cost is tested in test_accounts.py): a faster run.
    monkeypatch.setattr(bootstrap_module, "password_hasher",
                        lambda: Argon2PasswordHasher(Argon2Params(19 * 1024, 2, 1)))
    monkeypatch.setenv("REPATRIATION_KEY_PASSPHRASE", KEY_PASSPHRASE)


def test_every_readme_command_runs_on_a_set_up_directory_with_user(
        tmp_path: Path, cheap_accounts: None) -> None:
    desk = encrypted_desk(tmp_path / "desk")
    other = demo_desk(tmp_path / "other", cases=0)
    done: set[tuple[str, ...]] = {("setup",), ("users", "add")}
    boss = Role.SUPERVISOR

    def ran(key: tuple[str, ...], call: Callable[[], str]) -> str:
        out = call()
        done.add(key)
        return out

    def chief(*args: str) -> str:
        return desk.ok(boss, *args)

    source = tmp_path / "cases.csv"
    source.write_text("family_name,given_name,channel,corridor,received_on\n"
                      "Giàng,Sua,rescue,CN,2026-01-10\n", encoding="utf-8")
    ran(("demo",), lambda: chief("demo", "--cases", "5"))
    ran(("cases", "import"), lambda: chief("cases", "import", str(source)))
    rows = json.loads(ran(("cases", "list"), lambda: chief("cases", "list", "--format", "json")))
    ref = rows[0]["reference"]
    ran(("cases", "show"), lambda: chief("cases", "show", ref))
    ran(("cases", "edit"), lambda: chief("cases", "edit", ref, "--set", "given_name=Súa",
                                         "--reason", "spelling checked with the family"))
    assert json.loads(ran(("cases", "history"), lambda: chief("cases", "history", ref)))[0]["after"] == "Súa"
    ran(("verifications", "overdue"), lambda: chief("verifications", "overdue"))
    ran(("stats",), lambda: chief("stats", "--by", "corridor", "--internal", "--format", "json"))
    pdf = tmp_path / "intake.pdf"
    ran(("forms", "render"), lambda: chief("forms", "render", "--form", "intake_report", "--case",
                                           ref, "--lang", "en", "-o", str(pdf)))
    assert pdf.read_bytes().startswith(b"%PDF-")

    for name in ("list", "disable", "enable"):
        # The statistician's account: on an encrypted desk a disabled account signs in again only
        # after a new password, and the liaison account is used below.
        args = ("users", name) if name == "list" else ("users", name, desk.users[Role.STATISTICIAN])
        ran(("users", name), lambda a=args: chief(*a))  # type: ignore[misc]
    statistician = desk.users[Role.STATISTICIAN]
    code, _, err = run_cli("--data-dir", str(desk.data), "users", "reset-password", statistician,
                           "--new-password-stdin", "--user", "chief", "--recovery-key",
                           "--password-stdin", stdin=f"{desk.recovery_key}\nthe statistician's new one\n")
    assert code == 0, err
    done.add(("users", "reset-password"))

    # Keys and bundles, with the other post as the counterpart.
    card = ran(("keys", "generate"), lambda: chief("keys", "generate", "--agency", "Post A")).strip()
    other_card = other.ok(boss, "keys", "generate", "--agency", "Post B").strip()
    ran(("keys", "card"), lambda: chief("keys", "card"))
    theirs = json.loads(ran(("keys", "add"), lambda: desk.ok(Role.LIAISON, "keys", "add", other_card,
                                                             "--kind", "border_post")))
    ran(("keys", "verify"), lambda: desk.ok(Role.LIAISON, "keys", "verify", theirs["key_id"][:12]))
    ran(("keys", "list"), lambda: chief("keys", "list"))
    ours = json.loads(other.ok(Role.LIAISON, "keys", "add", card, "--kind", "border_post"))
    other.ok(Role.LIAISON, "keys", "verify", ours["key_id"][:12])
    record_consent(desk, ref)
    bundle = tmp_path / "case.vnbundle"
    ran(("bundle", "export"), lambda: chief("bundle", "export", "--cases", ref, "--to",
                                            theirs["key_id"][:12], "-o", str(bundle)))
    ran(("bundle", "inspect"), lambda: chief("bundle", "inspect", str(bundle)))
    done.add(("bundle", "import"))
    assert json.loads(other.ok(boss, "bundle", "import", str(bundle)))["created"] == [ref]
    # The received-changes inbox (empty here: the cases were never sent back to us).
    assert json.loads(ran(("inbox", "list"), lambda: chief("inbox", "list"))) == []
    for decision in ("apply", "decline"):  # nothing waits: a sentence, not a silent success
        code, _, err = desk.run(boss, "inbox", decision, "--case", ref)
        assert code == 2 and "No received change waits for a decision on this case" in err, err
        done.add(("inbox", decision))
    ran(("inbox", "reopen"), lambda: chief("inbox", "reopen"))
    ran(("keys", "rotate"), lambda: chief("keys", "rotate"))
    ran(("keys", "revoke"), lambda: chief("keys", "revoke", theirs["key_id"][:12]))

    ran(("audit", "verify"), lambda: chief("audit", "verify"))
    ran(("retention", "show"), lambda: chief("retention", "show"))
    ran(("retention", "run"), lambda: chief("retention", "run"))
    backup = tmp_path / "usb" / "desk.rdbak"
    backup.parent.mkdir()  # the stick is mounted: a missing folder is refused, never created
    ran(("backup", "create"), lambda: chief("backup", "create", str(backup)))
    code, _, err = run_cli("--data-dir", str(desk.data), "backup", "status", "--user", "chief")
    assert code == 0, err
    done.add(("backup", "status"))
    ran(("rekey",), lambda: chief("rekey"))
    ran(("unlock",), lambda: chief("unlock"))
    restored = Desk(tmp_path / "restored", desk.users, desk.passwords)
    ran(("backup", "restore"), lambda: restored.ok(boss, "backup", "restore", str(backup)))
    assert json.loads(restored.ok(Role.LIAISON, "cases", "show", ref))["reference"] == ref
    code, out, err = run_cli("self-test", "--user", "chief")
    assert code == 0 and out.strip().endswith("OK"), err
    done.add(("self-test",))

    assert readme_commands() <= done, sorted(readme_commands() - done)
    assert audit_actors(desk) <= set(desk.users.values())  # every entry names an account


def record_consent(desk: Desk, reference: str) -> None:
    """What the desk's consent dialog records: here the police's exemption for sharing at home."""
    credentials = PasswordCredentials("chief", desk.passwords["chief"])
    services = build_services(load_settings(desk.data), credentials=credentials)
    try:
        chief = services.accounts.authenticate("chief", desk.passwords["chief"])
        consent = ConsentRecord(ConsentSubject.REPRESENTATIVE, ConsentScope.SHARE_WITH_AGENCIES, True,
                                services.clock.today(), law_enforcement_exemption=True)
        services.cases.add_consents(chief, reference, [consent])
    finally:
        services.close()


def audit_actors(desk: Desk) -> set[str]:
    """Who the audit entries of the encrypted desk name."""
    credentials = PasswordCredentials("chief", desk.passwords["chief"])
    services = build_services(load_settings(desk.data), credentials=credentials)
    try:
        with services.uow_factory() as uow:
            return {entry.actor for entry in uow.audit.entries(limit=1_000_000)}
    finally:
        services.close()
