"""What the composition root calls: the right engine for the settings and the credentials given.

A data directory that was never set up runs on plain SQLite (demo data, first run). Once
``setup`` has run, every open needs a password or the recovery key. PostgreSQL mode never
uses the vault: the server, TLS and disk encryption protect the data (docs/security.md).
"""

from __future__ import annotations

from repatriation.config import Settings
from repatriation.crypto.keyslots import VaultError
from repatriation.domain.credentials import Credentials
from repatriation.storage.database import Engine, make_engine, sqlite_url
from repatriation.vault.core import UnlockedVault, Vault


def needs_credentials(settings: Settings) -> bool:
    """Whether opening this data directory needs a password or the recovery key."""
    return not settings.database_url and Vault(settings.data_dir).is_set_up


def unlock_for(settings: Settings, credentials: Credentials | None) -> UnlockedVault | None:
    """The unlocked vault of the settings' data directory, or ``None`` when there is none.

    Args:
        settings: the settings (``database_url`` set means PostgreSQL: no vault).
        credentials: a password or recovery key; required once the vault is set up.

    Returns:
        ``None`` for PostgreSQL or a data directory never set up; otherwise the open vault.

    Raises:
        VaultError: ``locked`` without credentials, or any unlock refusal.
    """
    if settings.database_url:
        return None
    vault = Vault(settings.data_dir)
    if not vault.is_set_up:
        return None
    if credentials is None:
        raise VaultError("locked")
    return vault.unlock(credentials)


def open_engine_for(settings: Settings, credentials: Credentials | None) -> Engine:
    """The database engine for ``settings``: PostgreSQL, plain SQLite, or unlocked SQLCipher.

    Args:
        settings: the settings.
        credentials: a password or the recovery key (ignored when no vault is set up).

    Returns:
        An engine; the caller runs the migrations (``build_services`` does).

    Raises:
        VaultError: see :func:`unlock_for`.
    """
    if settings.database_url:
        return make_engine(settings.database_url)
    unlocked = unlock_for(settings, credentials)
    if unlocked is not None:
        return unlocked.engine()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_engine(sqlite_url(settings.data_dir))
