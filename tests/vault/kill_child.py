"""Child process of the kill test: writes through the real services until it is SIGKILLed.

Usage: ``python tests/vault/kill_child.py DATA_DIR MODE SEED`` with the password in
``$REPATRIATION_PASSWORD``. It imports everything, then waits for a line on stdin. MODE
``cases`` opens cases one by one; ``mixed`` also imports
batches of 20 cases in one transaction, makes verified backups and rotates the database key.
Each line is printed (and flushed) only after the operation returned, so every reported
reference is an acknowledged commit:

    committed LC-2026-000123
    imported batch-7-3 20
    backup /path/b-7-2.rdbak
    rotated 4
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from repatriation.bootstrap import Services, build_services  # noqa: E402
from repatriation.config import Settings  # noqa: E402
from repatriation.domain.clock import SystemClock  # noqa: E402
from repatriation.services.backups import BackupService  # noqa: E402
from repatriation.vault import PasswordCredentials, Vault, VaultBackupBackend  # noqa: E402
from tests.vault.helpers import OFFICER, PASSWORD, draft  # noqa: E402

USER = "chief"


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _services(data: Path) -> Services:
    unlocked = Vault(data).unlock(PasswordCredentials(USER, PASSWORD))
    return build_services(Settings(data_dir=data), engine=unlocked.engine(), migrate=False)


def main(data: Path, mode: str, seed: int) -> None:
    # Imports are done; wait for the parent's "go" so that start-up overlaps its checks.
    if not sys.stdin.readline():
        return  # the parent went away: do not write into its data directory on our own
    rng = random.Random(seed)
    vault = Vault(data)
    credentials = PasswordCredentials(USER, PASSWORD)
    services = _services(data)
    _say("ready")
    n = 0
    while True:
        n += 1
        if mode == "cases":
            operation = "case"
        elif n == 1:
            # Each mixed round starts with a long operation, so kills often land inside one.
            operation = ("rotate", "backup", "import")[(seed // 3) % 3]
        else:
            operation = rng.choices(("rotate", "backup", "import", "case"), (4, 6, 15, 75))[0]
        if operation == "rotate":
            services.close()  # rekey needs every other connection closed
            epoch = vault.unlock(credentials).rotate_key()
            _say(f"rotated {epoch}")
            services = _services(data)
        elif operation == "backup":
            backend = VaultBackupBackend(vault, vault.unlock(credentials), credentials)
            path = data.parent / "backups" / f"b-{seed}-{n}.rdbak"
            path.parent.mkdir(exist_ok=True)
            BackupService(backend, SystemClock(), data).create(path)
            _say(f"backup {path}")
        elif operation == "import":
            marker = f"batch-{seed}-{n}"
            drafts = [draft(i, family=f"Lô {marker}") for i in range(20)]
            cases = services.imports.store_drafts(OFFICER, drafts, source=marker)
            _say(f"imported {marker} {len(cases)}")
        else:
            case = services.cases.open_case(OFFICER, draft(n))
            _say(f"committed {case.reference}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
