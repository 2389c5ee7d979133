"""Creating the post's key pair needs the right to share, like the rest of the key directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from repatriation.domain.actors import Role
from tests.cli_kit import demo_desk

KEY_PASSPHRASE = "a fictitious post key passphrase"


def test_a_statistician_cannot_create_the_post_keys_and_nothing_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPATRIATION_KEY_PASSPHRASE", KEY_PASSPHRASE)
    desk = demo_desk(tmp_path / "desk", cases=0)
    before = sorted(p.relative_to(desk.data) for p in desk.data.rglob("*") if "key" in p.name)
    code, out, err = desk.run(Role.STATISTICIAN, "keys", "generate", "--agency", "Post X")
    assert code == 2 and "(statistician)" in err and "Traceback" not in err, err
    assert out == ""
    assert sorted(p.relative_to(desk.data) for p in desk.data.rglob("*") if "key" in p.name) == before
    code, out, err = desk.run(Role.LIAISON, "keys", "generate", "--agency", "Post X")
    assert code == 0 and out.startswith("vn-ctp-key:"), err
