"""One desk of the two-desk test: edit one case ROUNDS times through the optimistic lock.

Usage: ``two_desk_child.py URL DESK REFERENCE ROUNDS BARRIER``. Loads everything, waits for "go"
on stdin, then for each round: read the case (its revision), add an alias naming this desk and
round, save with the revision read. A refused save (someone else saved in between) prints
``conflict DESK-N``, reloads and tries again, as an officer would; a save prints ``saved
DESK-N``. Each line is flushed after the commit it reports. In the first round each desk waits,
after reading, until the other has read too (a file each in the folder BARRIER), so the two
desks hold the same revision and collide at least once however the machine schedules them.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path
from tempfile import mkdtemp

from repatriation.bootstrap import build_services
from repatriation.config import Settings
from repatriation.domain.actors import Actor, Role
from repatriation.domain.errors import ConflictError


def main() -> int:
    url, desk, reference, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    barrier = Path(sys.argv[5])
    services = build_services(Settings(data_dir=Path(mkdtemp()), database_url=url))
    officer = Actor(username=desk, role=Role.SUPERVISOR)
    sys.stdin.readline()
    for n in range(rounds):
        tag = f"{desk}-{n}"
        while True:
            case = services.cases.get(officer, reference)
            person = replace(case.person, aliases=(*case.person.aliases, tag))
            if n == 0 and not (barrier / desk).exists():
                _meet(barrier, desk)
            try:
                services.cases.update_person(officer, reference, person, revision=case.revision)
            except ConflictError:
                print(f"conflict {tag}", flush=True)
                continue
            print(f"saved {tag}", flush=True)
            break
    services.close()
    return 0


def _meet(barrier: Path, desk: str) -> None:
    """Wait until both desks have read the case (up to a minute)."""
    (barrier / desk).touch()
    deadline = time.monotonic() + 60
    while len(list(barrier.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)


if __name__ == "__main__":
    sys.exit(main())
