"""Two Argon2id derivations asked for at once (a sign-in and a key-store unlock on the desk's
thread pool) both finish: unserialised, they hang for good with the desk's parameters.

The derivations run in a child process with a deadline, so a regression fails the test instead of
hanging the suite.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import os, threading
from repatriation.crypto.keyslots import KdfParams, password_slot_key
from repatriation.crypto.passwords import hash_password, verify_password

encoded = []
work = [lambda: password_slot_key("desk password", os.urandom(16), KdfParams()),
        lambda: encoded.append(hash_password("account password"))]
threads = [threading.Thread(target=job) for job in work]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert verify_password("account password", encoded[0])
print("both finished")
"""


def test_two_derivations_at_once_both_finish() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "both finished"
