"""A one-time answer to "did this name and password just unseal the key slot?"."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from repatriation.domain.credentials import user_key


class UnlockProof:
    """Remembers who unsealed the vault, keeping only a keyed digest of the password.

    The slot is sealed by an Argon2id key of the password, so a yes proves the password as
    surely as the account's own hash would; ``AccountService`` then skips that second check.
    """

    def __init__(self, user: str, password: str | None) -> None:
        self._key = secrets.token_bytes(32)
        self._user = user
        self._digest: bytes | None = None if password is None else self._of(password)

    def _of(self, password: str) -> bytes:
        return hmac.new(self._key, password.encode("utf-8"), hashlib.sha256).digest()

    def opened_by(self, user: str, password: str) -> bool:
        """Whether this very user name and password unsealed the slot; answers once only.

        Only the sign-in that follows the unlock may use it: a later check in the same session
        (the idle lock, a password change) must not accept a password since replaced.
        """
        digest, self._digest = self._digest, None
        if digest is None or not self._user or user_key(user) != user_key(self._user):
            return False
        return hmac.compare_digest(self._of(password), digest)
