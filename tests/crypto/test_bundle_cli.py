"""The CLI end to end between two data directories, with the ``age`` tool in the middle:
``age -d -i`` opens what the app writes, and the app imports what ``age -r`` encrypted."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from repatriation.bootstrap import build_services
from repatriation.config import Settings
from repatriation.domain.actors import Role
from repatriation.domain.clock import SystemClock
from tests.cli_kit import Desk, demo_desk
from tests.crypto.service_kit import FakeAttachments

AGE = shutil.which("age")
if AGE is None and os.environ.get("REQUIRE_AGE") == "1":
    raise RuntimeError("REQUIRE_AGE=1 but the age CLI is not installed")
pytestmark = pytest.mark.skipif(
    AGE is None, reason="the age CLI is not installed (apt-get install age; .ci/run installs it)")


_DESKS: dict[str, Desk] = {}


def _run(capsys: pytest.CaptureFixture[str], *argv: str, role: Role = Role.SUPERVISOR) -> str:
    del capsys
    data_flag, data, *rest = argv
    assert data_flag == "--data-dir"
    return _DESKS[data].ok(role, *rest)


def _add_case(data_dir: Path) -> None:
    from tests.crypto.service_kit import sample_case

    services = build_services(Settings(data_dir=data_dir), clock=SystemClock())

    class _Post:
        attachments = FakeAttachments()

    with services.uow_factory() as uow:
        uow.cases.add(sample_case("LC-2026-000100", _Post()))  # type: ignore[arg-type]
        uow.commit()
    services.close()


def test_cli_round_trip_through_the_age_tool(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    assert AGE is not None
    monkeypatch.setenv("REPATRIATION_KEY_PASSPHRASE", "cli test passphrase")
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    _DESKS[a], _DESKS[b] = demo_desk(Path(a), cases=0), demo_desk(Path(b), cases=0)
    card_a = _run(capsys, "--data-dir", a, "keys", "generate", "--agency", "Post A").strip()
    card_b = _run(capsys, "--data-dir", b, "keys", "generate", "--agency", "Post B").strip()
    added = json.loads(_run(capsys, "--data-dir", a, "keys", "add", card_b, "--kind", "border_post",
                            role=Role.LIAISON))
    _run(capsys, "--data-dir", a, "keys", "verify", added["key_id"][:12], role=Role.LIAISON)
    added_a = json.loads(_run(capsys, "--data-dir", b, "keys", "add", card_a, "--kind", "border_post",
                              role=Role.LIAISON))
    assert not added_a["verified_out_of_band"]
    _run(capsys, "--data-dir", b, "keys", "verify", added_a["key_id"][:12], role=Role.LIAISON)
    listed = json.loads(_run(capsys, "--data-dir", b, "keys", "list"))
    assert listed[0]["verified_out_of_band"] and len(listed[0]["fingerprint"].split()) == 12
    _add_case(tmp_path / "a")

    preview = json.loads(_run(capsys, "--data-dir", a, "bundle", "export", "--cases",
                              "LC-2026-000100", "--to", added["key_id"][:12], "--preview"))
    assert "health_notes" in preview["excluded_paths"]
    out = tmp_path / "case.vnbundle"
    _run(capsys, "--data-dir", a, "bundle", "export", "--cases", "LC-2026-000100", "--to",
         added["key_id"][:12], "-o", str(out))

    inspected = json.loads(_run(capsys, "--data-dir", b, "bundle", "inspect", str(out)))
    assert inspected["before_decryption"]["bundle_version"] == "1"
    assert inspected["after_decryption"] is None
    decrypted = json.loads(_run(capsys, "--data-dir", b, "bundle", "inspect", str(out),
                                "--decrypt"))
    assert decrypted["after_decryption"]["sender_agency"] == "Post A"

    identity = tmp_path / "b-identity.txt"
    _run(capsys, "--data-dir", b, "keys", "export-age-identity", "-o", str(identity))
    plain = subprocess.run([AGE, "-d", "-i", str(identity), str(out)], capture_output=True,
                           check=True, timeout=60).stdout
    (tmp_path / "plain.tar").write_bytes(plain)
    names = subprocess.run(["tar", "-tf", str(tmp_path / "plain.tar")], capture_output=True,
                           text=True, check=True).stdout.split()
    assert names[:3] == ["manifest.json", "manifest.sig", "cases.json"]

    recipient = card_b.split("age=")[1].split(";")[0]
    rewrapped = tmp_path / "rewrapped.age"
    subprocess.run([AGE, "-r", recipient, "-o", str(rewrapped), str(tmp_path / "plain.tar")],
                   check=True, timeout=60)
    report = json.loads(_run(capsys, "--data-dir", b, "bundle", "import", str(rewrapped)))
    assert report["created"] == ["LC-2026-000100"]
    code, _, err = _DESKS[b].run(Role.SUPERVISOR, "bundle", "import", str(out))
    assert code == 2 and "This bundle was already imported." in err  # same id: replayed
