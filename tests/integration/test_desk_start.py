"""Desk start-up stays light: what ``main.py`` leaves for later, and the cheap schema check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

import main
from repatriation.bootstrap import build_services
from repatriation.config import Settings
from repatriation.storage.database import MIGRATIONS_DIR, current_revision, head_revision, make_engine

ROOT = Path(__file__).resolve().parents[2]

# Runs main.py's desk path with a stand-in for ui.application: it builds the services as the
# desk does (with the renderer main.py plugs in) and reports what had been imported by then.
_PROBE = """
import importlib.abc, importlib.util, sys

def run_desk(settings, translator, renderer, build, vaults, first_runs):
    build(settings, renderer=renderer).close()  # the composition root main.py hands over
    loaded = list(sys.modules)
    print(",".join(m for m in ("alembic", "reportlab", "mako", "cli.case_commands") if m in loaded))
    print(loaded.index("sqlalchemy.orm") < loaded.index("PySide6.QtCore"))
    return 0

class StubDesk(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        return importlib.util.spec_from_loader(name, self) if name == "ui.application" else None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.run_desk = run_desk

sys.meta_path.insert(0, StubDesk())
import main
sys.exit(main.main(["--data-dir", sys.argv[1]]))
"""


def test_the_desk_starts_without_alembic_reportlab_or_the_cli_commands(tmp_path: Path) -> None:
    data = tmp_path / "desk"
    build_services(Settings(data_dir=data)).close()  # created and migrated (with Alembic) here
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(data)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    heavy, core_first = done.stdout.splitlines()[-2:]
    assert heavy == ""  # each of them costs 100-200 ms at every start
    # PySide6's import hook reads the source of every module imported after it.
    assert core_first == "True"


def test_desk_arguments_leave_commands_and_help_to_the_full_parser() -> None:
    args = main._desk_arguments(["--data-dir", "some/dir", "--lang", "en"])
    assert args is not None and args.command is None
    assert (args.data_dir, args.lang) == ("some/dir", "en")  # a Path only once checked non-empty
    assert main._desk_arguments(["cases", "list"]) is None
    assert main._desk_arguments(["--help"]) is None
    assert main.build_parser().parse_args(["cases", "list"]).command == "cases"


def test_the_lazy_renderer_is_the_reportlab_renderer() -> None:
    from forms.renderer import ReportLabFormRenderer

    assert main.LazyFormRenderer().form_ids() == ReportLabFormRenderer().form_ids()


def test_schema_revisions_are_read_without_alembic_as_alembic_reads_them(tmp_path: Path) -> None:
    assert head_revision() == ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    engine = make_engine(f"sqlite+pysqlite:///{tmp_path / 'empty.sqlite3'}")
    assert current_revision(engine) is None
    engine.dispose()
    build_services(Settings(data_dir=tmp_path / "desk")).close()
    migrated = make_engine(f"sqlite+pysqlite:///{tmp_path / 'desk' / 'repatriation.sqlite3'}")
    assert current_revision(migrated) == head_revision()
    migrated.dispose()
