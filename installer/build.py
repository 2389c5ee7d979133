"""Build the desk's package: compile catalogs, PyInstaller onedir, then a .deb; or test the .deb.

Usage (from the repository root, with the project's virtualenv):
    python installer/build.py package        # build/dist/repatriation-desk/ and build/*.deb
    python installer/build.py package-test   # package, then install into a scratch prefix,
                                             # self-test, start the desk offscreen, remove it
Figures (build time, sizes) go to stdout and to ``build/package-report.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
APP = "repatriation-desk"
INSTALL_DIR = Path("opt") / APP  # inside the package root
SIZE_GOAL_MB = 200
GUI_SMOKE_SECONDS = 12.0


def version() -> str:
    """The project version from pyproject.toml."""
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def compile_catalogs(target: Path) -> int:
    """Compile every ``.po`` under ``i18n/locale`` to ``.mo`` in ``target`` (same layout)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    count = 0
    for po in sorted((ROOT / "i18n" / "locale").glob("*/LC_MESSAGES/*.po")):
        lang = po.parent.parent.name
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=None if lang == "zh_CN" else lang)
        mo = target / po.relative_to(ROOT / "i18n" / "locale").with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        count += 1
    return count


def du_bytes(path: Path) -> int:
    """Apparent size of every regular file under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


SYSTEM_LIBS = BUILD / "system-libs.txt"  # written by app.spec: libraries left to Debian
PYICU_DIR = BUILD / "pyicu-system"


def system_pyicu() -> Path:
    """PyICU compiled against Debian's ICU (needs libicu-dev, g++, pkg-config); built once.

    The pyicu-wheels wheel the venv uses bundles ICU 77 (40 MB); the .deb depends on libicu72.
    """
    from importlib.metadata import version as installed

    if not (PYICU_DIR / "icu").is_dir():
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-binary", "PyICU", "--no-deps",
             "--target", str(PYICU_DIR), f"PyICU=={installed('pyicu-wheels')}"],
            check=True,
        )
    return PYICU_DIR


def debian_packages(libraries: list[str]) -> list[str]:
    """The Debian packages owning ``libraries`` (``dpkg -S``), with their :arch suffix dropped."""
    packages = set()
    for library in libraries:
        path = Path(library)
        candidates = {str(path), str(path.resolve())}
        candidates |= {c.replace("/usr/lib/", "/lib/", 1) for c in candidates if c.startswith("/usr/lib/")}
        candidates |= {c.replace("/lib/", "/usr/lib/", 1) for c in candidates if c.startswith("/lib/")}
        for candidate in sorted(candidates):
            done = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
            if done.returncode == 0:
                packages.add(done.stdout.split(":", 1)[0].split(",")[0].strip())
                break
        else:
            raise RuntimeError(f"no Debian package owns {library}: it cannot be left out of the bundle")
    return sorted(packages)


def build_onedir() -> Path:
    """Run PyInstaller on ``installer/app.spec``; returns the onedir folder."""
    mo_dir = BUILD / "mo"
    shutil.rmtree(mo_dir, ignore_errors=True)
    compile_catalogs(mo_dir)
    env = dict(os.environ, REPATRIATION_MO_DIR=str(mo_dir), REPATRIATION_SYSTEM_LIBS_FILE=str(SYSTEM_LIBS))
    if sys.platform.startswith("linux"):
        env["REPATRIATION_SYSTEM_PYICU"] = str(system_pyicu())
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(BUILD / "dist"), "--workpath", str(BUILD / "pyinstaller"),
         str(ROOT / "installer" / "app.spec")],
        check=True, cwd=ROOT, env=env,
    )
    return BUILD / "dist" / APP


def _desktop_entry() -> str:
    return (
        "[Desktop Entry]\nType=Application\nName=Repatriation Desk\n"
        "Name[vi]=Bàn tiếp nhận trẻ em hồi hương\n"
        f"Exec=/{INSTALL_DIR}/{APP}\nIcon=/{INSTALL_DIR}/_internal/installer/icons/app.png\n"
        "Terminal=false\nCategories=Office;\n"
    )


def build_deb(onedir: Path) -> Path:
    """Stage ``/opt/repatriation-desk`` plus launcher and menu entry; ``dpkg-deb`` it (gzip)."""
    stage = BUILD / "deb-root"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(onedir, stage / INSTALL_DIR, symlinks=True)
    (stage / "usr" / "bin").mkdir(parents=True)
    (stage / "usr" / "bin" / APP).symlink_to(f"/{INSTALL_DIR}/{APP}")
    apps = stage / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    (apps / f"{APP}.desktop").write_text(_desktop_entry(), encoding="utf-8")
    debian = stage / "DEBIAN"
    debian.mkdir()
    control = (ROOT / "installer" / "debian" / "control").read_text(encoding="utf-8")
    installed_kib = (du_bytes(stage) + 1023) // 1024
    control = control.replace("@VERSION@", version()).replace("@INSTALLED_SIZE@", str(installed_kib))
    if SYSTEM_LIBS.exists():  # the libraries the bundle left to Debian, as Depends
        depends = next(line for line in control.splitlines() if line.startswith("Depends:"))
        declared = {part.split()[0] for part in depends.removeprefix("Depends:").split(",")}
        extra = [p for p in debian_packages(SYSTEM_LIBS.read_text(encoding="utf-8").split())
                 if p not in declared]
        control = control.replace(depends, depends + "".join(f", {p}" for p in extra), 1)
    (debian / "control").write_text(control, encoding="utf-8")
    deb = BUILD / f"{APP}_{version()}_amd64.deb"
    subprocess.run(["dpkg-deb", "--build", "--root-owner-group", "-Zgzip", str(stage), str(deb)],
                   check=True, stdout=subprocess.DEVNULL)
    return deb


def package() -> dict[str, object]:
    """Build the onedir and the .deb; returns the figures."""
    started = time.perf_counter()
    onedir = build_onedir()
    built = time.perf_counter()
    deb = build_deb(onedir)
    done = time.perf_counter()
    report: dict[str, object] = {
        "pyinstaller_seconds": round(built - started, 1),
        "deb_seconds": round(done - built, 1),
        "onedir_mb": round(du_bytes(onedir) / 1e6, 1),
        "deb_file": str(deb.relative_to(ROOT)),
        "deb_mb": round(deb.stat().st_size / 1e6, 1),
    }
    _write_report(report)
    return report


def _write_report(report: dict[str, object]) -> None:
    path = BUILD / "package-report.json"
    previous = json.loads(path.read_text()) if path.exists() else {}
    previous.update(report)
    path.write_text(json.dumps(previous, indent=2) + "\n")
    for key, value in report.items():
        print(f"{key:>24}: {value}")


def _gui_smoke(binary: Path, data_dir: Path, env: dict[str, str]) -> str:
    """Start the installed desk offscreen on an empty data dir: it must stay up (first-run wizard)."""
    with subprocess.Popen([str(binary), "--data-dir", str(data_dir)], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        try:
            _out, err = proc.communicate(timeout=GUI_SMOKE_SECONDS)
        except subprocess.TimeoutExpired:
            proc.terminate()
            proc.communicate(timeout=10)
            return f"still running after {GUI_SMOKE_SECONDS:.0f} s (waiting in the first-run wizard)"
    raise RuntimeError(f"the desk exited with {proc.returncode}: {err.decode(errors='replace')[-2000:]}")


def _system_libraries_resolve(install_dir: Path) -> str:
    """Every bundled library finds the Debian libraries left out of the bundle (ldd, no 'not found').

    The CUPS print plugin is the one that matters most: printing the minutes at the gate.
    """
    plugin = next(install_dir.rglob("libcupsprintersupport.so"))
    for library in [plugin, *install_dir.rglob("_icu_*.so")]:
        linked = subprocess.run(["ldd", str(library)], capture_output=True, text=True, check=True).stdout
        if "not found" in linked:
            raise RuntimeError(f"{library.name} misses libraries:\n{linked}")
    cups = next(line for line in subprocess.run(["ldd", str(plugin)], capture_output=True, text=True,
                                                  check=True).stdout.splitlines() if "libcups" in line)
    return cups.strip()


def package_test(rebuild: bool = True, enforce_size: bool = False) -> int:
    """Install the .deb into a scratch prefix (``dpkg -x``), self-test it, start it, remove it."""
    report = package() if rebuild else {}
    debs = sorted(BUILD.glob(f"{APP}_*_amd64.deb"))
    if not debs:
        print("no .deb: run 'package' first", file=sys.stderr)
        return 2
    prefix = Path(tempfile.mkdtemp(prefix="repatriation-prefix-"))
    try:
        started = time.perf_counter()
        subprocess.run(["dpkg", "-x", str(debs[-1]), str(prefix)], check=True)
        installed = prefix / INSTALL_DIR / APP
        size_mb = du_bytes(prefix) / 1e6
        home = prefix / "home"  # keep the real user's data directory out of the test
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home),
                   XDG_DATA_HOME=str(home / ".local" / "share"))
        test = subprocess.run([str(installed), "self-test"], env=env, capture_output=True, text=True)
        print(test.stdout, end="")
        if test.returncode != 0 or not test.stdout.rstrip().endswith("OK"):
            print(test.stderr, file=sys.stderr)
            return 1
        gui = _gui_smoke(installed, prefix / "gui-data", env)
        print(f"desk offscreen: {gui}")
        print(f"print support: {_system_libraries_resolve(prefix / INSTALL_DIR)}")
        report = {"installed_mb": round(size_mb, 1), "size_goal_mb": SIZE_GOAL_MB,
                  "install_and_test_seconds": round(time.perf_counter() - started, 1)}
        _write_report(report)
    finally:
        shutil.rmtree(prefix, ignore_errors=True)  # "uninstall": the prefix goes, nothing else was touched
    print(f"uninstalled: {not prefix.exists()}")
    if size_mb >= SIZE_GOAL_MB:
        print(f"WARNING: installed size {size_mb:.0f} MB is over the {SIZE_GOAL_MB} MB goal", file=sys.stderr)
        return 3 if enforce_size else 0
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", choices=("package", "package-test", "catalogs"))
    parser.add_argument("--no-rebuild", action="store_true", help="package-test: use the existing .deb")
    parser.add_argument("--enforce-size", action="store_true",
                        help=f"package-test: fail when the installed size is over {SIZE_GOAL_MB} MB")
    args = parser.parse_args(argv)
    BUILD.mkdir(exist_ok=True)
    if args.target == "catalogs":
        print(compile_catalogs(BUILD / "mo"), "catalogs")
        return 0
    if args.target == "package":
        package()
        return 0
    return package_test(rebuild=not args.no_rebuild, enforce_size=args.enforce_size)


if __name__ == "__main__":
    sys.exit(main())
