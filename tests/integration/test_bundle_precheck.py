"""``bundle import`` of a hostile file: refused from its header before the heavy modules load.

Driven as an officer would (``main.py`` in a fresh process), then the process reports which
modules it had to import: a refusal that pulled in the vault or SQLAlchemy would cost most of a
second again. The sentence and exit code are the full path's own.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cli.bundle_precheck import bundle_to_import, refuse_bad_bundle
from repatriation.crypto.bundle_inspect import inspect_header
from tests.cli_kit import demo_desk

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = b"age-encryption.org/v1\n-> X25519 " + b"A" * (1 << 20) + b"\n"
SENTENCE = ("A line of the bundle's header is longer than allowed: the file is damaged or is not "
            "a bundle. Nothing was imported.")
PROBE = """
import sys
import main
code = main.main(sys.argv[1:])
heavy = sorted(m for m in ("sqlalchemy", "repatriation.vault", "repatriation.bootstrap",
                           "cli.context", "repatriation.services.bundles") if m in sys.modules)
print(code, ",".join(heavy) or "-")
"""


def _probe(*args: str) -> tuple[str, str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)
    return done.stdout.strip(), done.stderr


def test_a_hostile_bundle_is_refused_before_any_heavy_module(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.vnbundle"
    hostile.write_bytes(HOSTILE)
    data = tmp_path / "desk"  # never opened: the refusal needs no desk, no key, no account
    out, err = _probe("--data-dir", str(data), "--lang", "en", "bundle", "import", str(hostile),
                      "--user", "chief")
    assert out == "2 -"
    assert err.strip() == SENTENCE
    assert not data.exists()


def test_a_well_formed_header_goes_on_to_the_full_path(tmp_path: Path) -> None:
    """The same command on a file with a sound header is not answered early."""
    desk = demo_desk(tmp_path / "desk", cases=1)
    sound = tmp_path / "sound.age"
    sound.write_bytes(b"age-encryption.org/v1\n-> X25519 " + b"A" * 43 + b"\n" + b"E" * 43
                      + b"\n--- " + b"g" * 43 + b"\n" + bytes(40))
    out, err = _probe("--data-dir", str(desk.data), "--lang", "en", "bundle", "import",
                      str(sound), "--user", "nobody")
    code, heavy = out.split()
    assert code == "2"
    assert "cli.context" in heavy  # the full parser ran and answered
    assert SENTENCE not in err


@pytest.mark.parametrize(("argv", "expected"), [
    (["bundle", "import", "x.age"], ("x.age", None, None)),
    (["--data-dir", "/d", "--lang=km", "bundle", "import", "--user", "chief", "x.age",
      "--preview"], ("x.age", "/d", "km")),
    (["bundle", "import", "x.age", "--user"], None),
    (["bundle", "import", "--help"], None),
    (["bundle", "inspect", "x.age"], None),
    (["bundle", "import", "x.age", "y.age"], None),
    (["cases", "list"], None),
    ([], None),
])
def test_only_a_plain_bundle_import_is_recognised(
        argv: list[str], expected: tuple[str, str | None, str | None] | None) -> None:
    found = bundle_to_import(argv)
    if expected is None:
        assert found is None
    else:
        assert found == (Path(expected[0]), expected[1], expected[2])


def test_missing_files_and_an_empty_data_dir_are_left_to_the_full_path(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.age"
    hostile.write_bytes(HOSTILE)
    assert refuse_bad_bundle(["bundle", "import", str(tmp_path / "absent.age")], inspect_header) is None
    assert refuse_bad_bundle(["--data-dir", " ", "bundle", "import", str(hostile)],
                             inspect_header) is None
