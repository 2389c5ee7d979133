"""Argon2id password hashes as PHC strings (RFC 9106), with upgrade checks and a calibration helper.

Parameters live inside each stored string (``$argon2id$v=19$m=65536,t=3,p=4$salt$hash``), so a
stronger policy can be rolled out and each hash upgraded the next time its owner signs in.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from repatriation.crypto.kdf_lock import ARGON2_LOCK

SALT_BYTES = 16
HASH_BYTES = 32
# A seized laptop means an offline attack: RFC 9106's second recommended option is the floor
# (docs/stack-notes.md, Cryptography); calibrate upwards to 0.5-1 s on the reference laptop.
MIN_MEMORY_KIB = 64 * 1024
MIN_ITERATIONS = 3
MAX_PASSWORD_CHARS = 1024  # longer input is refused before hashing (denial of service)
# No hash is ever written below OWASP's Argon2id minimum, whatever a caller (or a test) asks.
WRITE_FLOOR_MEMORY_KIB = 19 * 1024
WRITE_FLOOR_ITERATIONS = 2
# A stored string asking for more is treated as damaged, not run: a row edited to m=4 GiB
# must not hang or kill the sign-in screen. Memory x passes bounds the time (a few seconds).
MAX_MEMORY_KIB = 1024 * 1024
MAX_ITERATIONS = 16
MAX_LANES = 16
MAX_WORK_KIB = 2 * 1024 * 1024

_PHC = re.compile(
    r"^\$argon2id\$v=19\$m=(?P<m>\d{1,10}),t=(?P<t>\d{1,10}),p=(?P<p>\d{1,3})"
    r"\$(?P<salt>[A-Za-z0-9+/]{11,})\$(?P<hash>[A-Za-z0-9+/]{22,})$"
)


@dataclass(frozen=True, order=True)
class Argon2Params:
    """Argon2id cost: memory in KiB, passes, lanes."""

    memory_kib: int
    iterations: int
    lanes: int

    @property
    def meets_floor(self) -> bool:
        """At least 64 MiB and three passes (the project's minimum for real accounts)."""
        return self.memory_kib >= MIN_MEMORY_KIB and self.iterations >= MIN_ITERATIONS

    @property
    def within_caps(self) -> bool:
        """Whether a stored hash with these parameters may be checked at all (bounded cost)."""
        return (
            1 <= self.lanes <= MAX_LANES
            and 1 <= self.iterations <= MAX_ITERATIONS
            and 8 * self.lanes <= self.memory_kib <= MAX_MEMORY_KIB
            and self.memory_kib * self.iterations <= MAX_WORK_KIB
        )

    def check_for_write(self) -> None:
        """Refuse to write a hash below the floor or above the caps.

        Raises:
            ValueError: parameters out of range (a programming error, not user input).
        """
        floor = self.memory_kib >= WRITE_FLOOR_MEMORY_KIB and self.iterations >= WRITE_FLOOR_ITERATIONS
        if not (floor and self.within_caps):
            raise ValueError(f"Argon2id parameters out of range: {self}")

    def covers(self, other: Argon2Params) -> bool:
        """Whether these parameters cost at least as much as ``other`` in memory and passes."""
        return self.memory_kib >= other.memory_kib and self.iterations >= other.iterations


DEFAULT_PARAMS = Argon2Params(memory_kib=MIN_MEMORY_KIB, iterations=MIN_ITERATIONS, lanes=4)


def _secret(password: str) -> bytes:
    # NFC so that the same password typed with two Vietnamese input methods hashes the same.
    if len(password) > MAX_PASSWORD_CHARS:
        raise ValueError("password too long")
    return unicodedata.normalize("NFC", password).encode("utf-8")


def hash_password(password: str, params: Argon2Params = DEFAULT_PARAMS) -> str:
    """Hash ``password`` with a fresh random salt.

    Args:
        password: the password as typed.
        params: the Argon2id cost.

    Returns:
        The PHC string to store.
    """
    params.check_for_write()
    kdf = Argon2id(
        salt=os.urandom(SALT_BYTES),
        length=HASH_BYTES,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    secret = _secret(password)
    with ARGON2_LOCK:
        return str(kdf.derive_phc_encoded(secret))


def verify_password(password: str, encoded: str) -> bool:
    """Whether ``password`` matches the stored PHC string (constant time inside the library).

    A malformed or foreign string verifies as False rather than raising: a damaged row must not
    crash the sign-in screen.
    """
    if phc_params(encoded) is None:
        return False
    try:
        secret = _secret(password)
        with ARGON2_LOCK:
            Argon2id.verify_phc_encoded(secret, encoded)
    except (InvalidKey, ValueError):
        return False
    return True


def phc_params(encoded: str) -> Argon2Params | None:
    """The parameters of a PHC string; ``None`` if not Argon2id v19 or above the caps.

    A damaged or hostile row asking for 4 GiB is never run: it verifies as no match.
    """
    match = _PHC.match(encoded)
    if match is None:
        return None
    params = Argon2Params(int(match["m"]), int(match["t"]), int(match["p"]))
    return params if params.within_caps else None


def needs_rehash(encoded: str, params: Argon2Params) -> bool:
    """Whether a stored hash is weaker than ``params`` (or unreadable) and should be replaced."""
    stored = phc_params(encoded)
    return stored is None or not stored.covers(params) or stored.lanes != params.lanes


def calibrate(
    target_seconds: float = 0.5,
    memory_kib: int = MIN_MEMORY_KIB,
    lanes: int = 4,
    max_iterations: int = 64,
) -> Argon2Params:
    """The smallest pass count (at least 3) whose hash takes ``target_seconds`` on this machine.

    KeePassXC calibrates its KDF to a time per machine; the desk does the same at set-up.
    """
    iterations = MIN_ITERATIONS
    while True:
        params = Argon2Params(memory_kib, iterations, lanes)
        started = time.perf_counter()
        hash_password("calibration", params)
        elapsed = time.perf_counter() - started
        if elapsed >= target_seconds or iterations >= max_iterations:
            return params
        # Cost is linear in passes: jump close to the target instead of stepping one by one.
        iterations = min(max_iterations, max(iterations + 1, int(iterations * target_seconds / elapsed)))


class Argon2PasswordHasher:
    """The hasher the account service uses (a port: tests may pass cheaper parameters)."""

    def __init__(self, params: Argon2Params = DEFAULT_PARAMS) -> None:
        self.params = params

    def hash(self, password: str) -> str:
        """Hash with the current parameters."""
        return hash_password(password, self.params)

    def verify(self, password: str, encoded: str) -> bool:
        """Check a password against a stored hash."""
        return verify_password(password, encoded)

    def needs_rehash(self, encoded: str) -> bool:
        """Whether the stored hash predates the current parameters."""
        return needs_rehash(encoded, self.params)
