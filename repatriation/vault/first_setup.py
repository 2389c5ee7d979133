"""Setting up encryption all or nothing: every check first, a staged database, one commit point.

Order: (1) the user name, the password rules, the KDF floor and the state
of the directory are checked without writing anything; (2) the encrypted database is built and
filled beside the plain one (schema, first supervisor), checked and fsynced; (3) the key slots
file is written in state ``converting``: the commit point; (4) the staged database replaces the
plain one; (5) the recovery key is shown; (6) the state becomes ``ready``. A kill before (3)
leaves the original database and files as they were (the next set-up deletes the staged copy);
a kill after it leaves a directory the password opens, and the next unlock finishes steps 4-6.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from repatriation.crypto.keyslots import (
    KdfParams,
    VaultError,
    format_recovery_key,
    new_recovery_secret,
    random_key,
)
from repatriation.domain.account_policy import PasswordRules, normalise_username
from repatriation.storage import sqlcipher
from repatriation.storage.database import Engine
from repatriation.vault import operations
from repatriation.vault.keyfile import KeySlots, VaultState, load, save
from repatriation.vault.slots import password_slot, recovery_slot, signed

if TYPE_CHECKING:
    from repatriation.vault.core import Vault

Prepare = Callable[[Engine], None]  # migrations and the first account, on the staged database
ShowKey = Callable[[str], None]  # called once the password opens the directory, before "ready"
# The staged copy needs the database's size again, plus room for the migrations.
_SPACE_MARGIN_BYTES = 1024 * 1024


@dataclass(frozen=True)
class SetupResult:
    """What set-up returns: the recovery key, to be shown or printed once and never stored."""

    recovery_key: str = field(repr=False)
    database_id: str
    converted_existing: bool


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_directory(vault: Vault) -> bool:
    """Whether set-up may start in this directory; ``True`` when it resumes an interrupted one.

    Raises:
        VaultError: ``data_dir_not_directory``, ``data_dir_not_writable``, ``already_set_up``,
            ``database_without_keyslots``, ``disk_full`` or a key-file refusal.
    """
    data_dir = vault.data_dir
    if data_dir.exists() and not data_dir.is_dir():
        raise VaultError("data_dir_not_directory", path=str(data_dir))
    writable_dir = _existing_ancestor(data_dir)
    if not os.access(writable_dir, os.W_OK | os.X_OK):
        raise VaultError("data_dir_not_writable", path=str(writable_dir))
    if vault.is_set_up:
        if load(vault.keyslots_path).state != VaultState.CONVERTING:
            raise VaultError("already_set_up")
        return True
    kind = sqlcipher.file_kind(vault.db_path)
    if kind == "encrypted":
        # Encrypted bytes but no key slots: the key file was lost; only a backup helps.
        raise VaultError("database_without_keyslots")
    size = vault.db_path.stat().st_size if kind == "plain" else 0
    if shutil.disk_usage(writable_dir).free < size + _SPACE_MARGIN_BYTES:
        raise VaultError("disk_full")
    return False


def check_setup(vault: Vault, user: str, password: str, kdf: KdfParams) -> tuple[str, bool]:
    """Every refusal set-up can give, before anything is written.

    Returns:
        The normalised user name, and whether this resumes an interrupted set-up.

    Raises:
        ValidationError: ``bad_username`` or a password rule (``password_too_short``...).
        VaultError: ``kdf_too_weak``, ``kdf_out_of_range`` or a directory refusal.
    """
    name = normalise_username(user)
    PasswordRules().check(name, password)
    kdf.check_for_write()
    return name, check_directory(vault)


def run_setup(
    vault: Vault,
    user: str,
    password: str,
    kdf: KdfParams,
    prepare: Prepare | None = None,
    show: ShowKey | None = None,
) -> SetupResult:
    """Set up encryption of ``vault``'s directory (see the module docstring for the order).

    Args:
        vault: the directory's vault.
        user: the first supervisor's user name.
        password: their password.
        kdf: Argon2id parameters for their slot (at least the floor).
        prepare: fills the staged database (schema, first account); refusals there undo all.
        show: shows the recovery key once the password opens the directory.

    Returns:
        The recovery key (also given to ``show``), the database id.
    """
    name, resuming = check_setup(vault, user, password, kdf)
    if resuming:
        return vault.resume_setup(name, password, show)
    converted = sqlcipher.file_kind(vault.db_path) == "plain"
    created = not vault.data_dir.exists()
    database_id = secrets.token_hex(16)
    keys = {1: random_key()}
    secret = new_recovery_secret()
    keyslots = KeySlots(
        database_id=database_id,
        state=VaultState.CONVERTING,
        epoch=1,
        slots=(
            password_slot(name, password, keys, database_id, kdf),
            recovery_slot(secret, keys, database_id),
        ),
    )
    keyslots = signed(keyslots, keys)
    vault.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        operations.stage_database(vault.db_path, keys[1], prepare)
        save(vault.keyslots_path, keyslots)  # the commit point
    except BaseException:
        operations.discard_staged(vault.db_path)
        if created and not any(vault.data_dir.iterdir()):
            vault.data_dir.rmdir()
        raise
    operations.install_database(vault.db_path, keys[1])
    recovery_key = format_recovery_key(secret)
    if show is not None:
        show(recovery_key)
    operations.mark_ready(vault.keyslots_path, keyslots, keys)
    return SetupResult(recovery_key, database_id, converted)
