"""Each import-linter contract breaks on a scratch copy of the code given one deliberate violation.

A contract that no import could break (a typo in a module name, a layer that does not exist)
would be "kept" for ever; this test proves every contract in ``pyproject.toml`` can fail.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGES = ("repatriation", "ui", "cli", "forms", "i18n")

# contract name -> (module file that gets the import, the violating import)
VIOLATIONS: dict[str, tuple[str, str]] = {
    "Core is free of Qt, ReportLab, the UI and the forms": ("repatriation/services/audit.py", "PySide6"),
    "UI and forms are independent": ("ui/labels.py", "forms.text"),
    "The CLI never imports the UI": ("cli/context.py", "ui.labels"),
    "Core layers: services above domain": ("repatriation/domain/enums.py", "repatriation.services.audit"),
    "Only storage imports SQLAlchemy": ("repatriation/services/audit.py", "sqlalchemy"),
    "Only crypto imports cryptography": ("repatriation/services/audit.py", "cryptography"),
    "Domain stands alone": ("repatriation/domain/enums.py", "repatriation.config"),
    "The desk never imports storage or the CLI": (
        "ui/labels.py", "repatriation.storage.database"),
    "Forms get data, not databases, keys, vaults or the composition root": (
        "forms/text.py", "repatriation.vault"),
    "Adapters never reach up to the composition root or the front ends": (
        "repatriation/storage/database.py", "repatriation.bootstrap"),
    # the two imports that built services inside storage and reached them from the CLI until now
    "Storage never builds a service": (
        "repatriation/storage/statistics_queries.py", "repatriation.services.statistics_noisy_releases"),
    "The CLI and the desk take services from the container": (
        "cli/bundle_commands.py", "repatriation.storage.bundle_tables"),
    "Services reach adapters and the settings only through ports": (
        "repatriation/services/retention.py", "repatriation.storage.retention_store"),
    "Only main.py builds the services": ("cli/demo_desk.py", "repatriation.bootstrap"),
    "Crypto stands below services and storage": (
        "repatriation/crypto/atomic.py", "repatriation.services.audit"),
    # the vault built the attachment store until the composition root built it from its cipher
    "Adapters import only the services' ports and data types": (
        "repatriation/vault/core.py", "repatriation.services.attachments"),
    # what the bundle services imported until the envelope became a port
    "Services never import the crypto adapter": (
        "repatriation/services/bundles.py", "repatriation.crypto.bundle_reader"),
}
# further violations a contract must catch: (contract, module file, the violating import)
MORE_VIOLATIONS: tuple[tuple[str, str, str], ...] = (
    # the import sign-in had before main.py handed the front ends the vault's port
    ("The CLI and the desk take services from the container", "cli/session.py", "repatriation.vault"),
    # the desk read key cards and the CLI bundle headers through crypto until now
    ("The CLI and the desk take services from the container", "ui/bundle_adapter.py",
     "repatriation.crypto.keys"),
    ("The CLI and the desk take services from the container", "cli/bundle_precheck.py",
     "repatriation.crypto.bundle_inspect"),
    # an adapter that implements the bundle ports (which it may import) reaching for a use case
    ("Crypto stands below services and storage", "repatriation/crypto/bundle_adapter.py",
     "repatriation.services.bundles"),
    # the reference data the document service named until it took the ReferenceLookup port
    ("Services reach adapters and the settings only through ports",
     "repatriation/services/documents.py", "repatriation.reference"),
    # what storage and the forms imported for data types until those moved to the domain
    ("Adapters import only the services' ports and data types", "repatriation/storage/audit_queries.py",
     "repatriation.services.audit_verify"),
    ("Adapters import only the services' ports and data types", "forms/printout_check.py",
     "repatriation.services.printout_seal"),
    # what the printout check imported before main.py handed it the key adapter
    ("Forms get data, not databases, keys, vaults or the composition root", "forms/printout_check.py",
     "repatriation.crypto.keys"),
    # the import the first-run wizard had before main.py handed the front ends the first-run port
    ("The CLI and the desk take services from the container", "ui/wizards/first_run_pages.py",
     "repatriation.first_run"),
    # indirect: the settings the front ends read would load storage for them (a backup folder's name)
    ("The CLI and the desk take services from the container", "repatriation/config.py",
     "repatriation.storage.upgrade"),
    # indirect: the same import would load SQLAlchemy for the desk and the CLI
    ("Only storage imports SQLAlchemy", "repatriation/config.py", "repatriation.storage.upgrade"),
)
CASES = [pytest.param(name, *VIOLATIONS[name], id=name) for name in sorted(VIOLATIONS)] + [
    pytest.param(name, module, target, id=f"{name}: {target}") for name, module, target in MORE_VIOLATIONS]

pytestmark = pytest.mark.xdist_group("tooling")


def _contract_names() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [c["name"] for c in config["tool"]["importlinter"]["contracts"]]


def test_every_contract_has_a_deliberate_violation() -> None:
    assert sorted(VIOLATIONS) == sorted(_contract_names())
    assert {name for name, _, _ in MORE_VIOLATIONS} <= set(VIOLATIONS)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("contracts")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, copy / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.ttf", "*.ttc", "*.po", "*.mo"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def _lint(where: Path) -> str:
    result = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=where, capture_output=True, text=True,
                            timeout=300)
    return result.stdout + result.stderr


def test_the_scratch_copy_keeps_every_contract(scratch: Path) -> None:
    out = _lint(scratch)
    assert f"Contracts: {len(VIOLATIONS)} kept, 0 broken." in out, out


@pytest.mark.parametrize(("contract", "module", "target"), CASES)
def test_one_violation_breaks_the_contract(scratch: Path, contract: str, module: str, target: str) -> None:
    path = scratch / module
    original = path.read_text(encoding="utf-8")
    path.write_text(f"{original}\nimport {target}  # deliberate violation\n", encoding="utf-8")
    try:
        out = _lint(scratch)
    finally:
        path.write_text(original, encoding="utf-8")
    # "BROKEN", or "BROKEN (N ignored imports)" for a contract that lists allowed imports
    assert re.search(rf"^{re.escape(contract)} BROKEN\b", out, re.MULTILINE), out


def test_architecture_md_lists_every_contract() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    listed = re.findall(r"^- (.+)$", text.split("import-linter enforces these contracts")[1].split("\n\n")[1],
                        re.MULTILINE)
    assert sorted(listed) == sorted(_contract_names())
