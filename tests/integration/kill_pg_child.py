"""Child of the PostgreSQL kill test: write cases and 20-case imports until killed.

Usage: ``kill_pg_child.py URL SEED``. Loads, prints "ready", waits for "go" on stdin, then
alternates single cases and imports, printing ``committed REF`` / ``imported MARKER`` after each
commit returned (flushed at once), so the parent knows what was acknowledged when it kills.
"""

from __future__ import annotations

import sys
from pathlib import Path
from tempfile import mkdtemp

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from repatriation.bootstrap import build_services
from repatriation.config import Settings
from tests.vault.helpers import OFFICER, draft


def main(url: str, seed: int) -> None:
    services = build_services(Settings(data_dir=Path(mkdtemp()), database_url=url))
    print("ready", flush=True)
    sys.stdin.readline()
    for n in range(100_000):
        if n % 3 == 2:
            marker = f"batch-{seed}-{n}"
            drafts = [draft(i, family=f"Lô {marker}") for i in range(20)]
            services.imports.store_drafts(OFFICER, drafts, source=marker)
            print(f"imported {marker}", flush=True)
        else:
            case = services.cases.open_case(OFFICER, draft(n))
            print(f"committed {case.reference}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
