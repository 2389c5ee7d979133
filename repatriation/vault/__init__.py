"""Encryption at rest for the embedded database: key slots, unlock, recovery key, key rotation.

Entry points for the composition root: :func:`open_engine_for` (an engine) or
:func:`unlock_for` (the open vault, which also gives the attachment store and backups).
"""

from __future__ import annotations

from repatriation.crypto.keyslots import DEFAULT_KDF, KdfParams, VaultError
from repatriation.domain.credentials import Credentials, PasswordCredentials, RecoveryCredentials
from repatriation.vault.backup_backend import VaultBackupBackend
from repatriation.vault.core import UnlockedVault, Vault
from repatriation.vault.engine import needs_credentials, open_engine_for, unlock_for
from repatriation.vault.first_setup import SetupResult
from repatriation.vault.keyfile import KEYSLOTS_FILE, VaultState

__all__ = [
    "DEFAULT_KDF",
    "KEYSLOTS_FILE",
    "Credentials",
    "KdfParams",
    "PasswordCredentials",
    "RecoveryCredentials",
    "SetupResult",
    "UnlockedVault",
    "Vault",
    "VaultBackupBackend",
    "VaultError",
    "VaultState",
    "needs_credentials",
    "open_engine_for",
    "unlock_for",
]
