"""One Argon2id derivation at a time in this process: two at once can hang for good.

With ``cryptography`` 50.0.2 on OpenSSL 4.0.3, two threads each deriving with ``lanes=4`` and
16 MiB or more (the desk's parameters) never return (see docs/stack-notes.md, Cryptography).
The desk runs work on a small thread pool, so a sign-in and a key-store unlock could meet
there: every derivation in ``repatriation.crypto`` takes this lock. ``derive`` still releases
the GIL, so other work (imports, hashing, encryption) overlaps with it.
"""

from __future__ import annotations

import threading

ARGON2_LOCK = threading.Lock()
