"""Multi-file operations made crash-safe: plain-to-encrypted conversion and key rotation.

Each one first records its intent in the key slots file (state ``converting`` or ``rotating``),
then changes the database (one SQLite transaction or one atomic rename), then records that it
is done. Whatever step a crash or power cut interrupts, the next unlock sees the state and
finishes the job; at no point is there a database that none of the sealed keys opens.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from repatriation.crypto.attachment_cipher import AttachmentCipher
from repatriation.crypto.keyslots import VaultError, random_key
from repatriation.files import fsync_directory
from repatriation.storage import sqlcipher
from repatriation.storage.database import Engine
from repatriation.storage.unit_of_work import StorageError
from repatriation.vault.attachment_rewrap import rewrap_all
from repatriation.vault.keyfile import KeySlots, VaultState, save
from repatriation.vault.slots import Keys, resealed, signed

log = logging.getLogger(__name__)

CONVERTING_SUFFIX = ".encrypting"


def _remove_database_files(path: Path) -> None:
    for leftover in (path, *sqlcipher.sidecar_paths(path)):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def convert_plain(db_path: Path, key: bytes) -> None:
    """Replace the plain SQLite file ``db_path`` by an encrypted copy (atomic rename).

    Raises:
        StorageError: the copy does not check out (the plain file is left as it was).
    """
    temp = db_path.with_name(db_path.name + CONVERTING_SUFFIX)
    _remove_database_files(temp)  # a copy left by an interrupted set-up is redone from scratch
    try:
        counts = sqlcipher.export_encrypted(db_path, temp, key)
        if sqlcipher.check_file(temp, key) != counts:
            raise StorageError("database_damaged", check="counts")
        # The plain WAL was checkpointed and its last connection closed: it is empty.
        sqlcipher.remove_idle_sidecars(db_path)
        sqlcipher.remove_idle_sidecars(temp)
        os.replace(temp, db_path)
        fsync_directory(db_path.parent)
    except BaseException:
        _remove_database_files(temp)
        raise
    log.info("database converted to SQLCipher")


def create_encrypted(db_path: Path, key: bytes) -> None:
    """Create an empty encrypted database file (the schema is added by the first migration)."""
    with sqlcipher.opened(db_path, key) as con:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
    sqlcipher.fsync_file(db_path)


def staged_path(db_path: Path) -> Path:
    """Where set-up builds the encrypted database before its commit point."""
    return db_path.with_name(db_path.name + CONVERTING_SUFFIX)


def discard_staged(db_path: Path) -> None:
    """Remove a staged database (a refused or interrupted set-up, before its commit point)."""
    _remove_database_files(staged_path(db_path))


def stage_database(db_path: Path, key: bytes, prepare: Callable[[Engine], None] | None) -> Path:
    """Build the whole encrypted database beside the plain one, which is left untouched.

    The copy (or a new empty file) gets the schema and the first account through ``prepare``,
    passes the full integrity check and is fsynced. Any failure removes it.

    Args:
        db_path: the database file (plain, or absent).
        key: the new database key.
        prepare: runs the migrations and creates the first account on an engine of the copy.

    Returns:
        The staged file.
    """
    temp = staged_path(db_path)
    _remove_database_files(temp)  # a copy left by an interrupted set-up is redone from scratch
    try:
        if sqlcipher.file_kind(db_path) == "plain":
            counts = sqlcipher.export_encrypted(db_path, temp, key)
            if sqlcipher.check_file(temp, key) != counts:
                raise StorageError("database_damaged", check="counts")
        else:
            create_encrypted(temp, key)
        if prepare is not None:
            engine = sqlcipher.make_encrypted_engine(temp, key)
            try:
                prepare(engine)
            finally:
                engine.dispose()
        sqlcipher.check_file(temp, key)
        sqlcipher.remove_idle_sidecars(temp)
        sqlcipher.fsync_file(temp)
    except BaseException:
        _remove_database_files(temp)
        raise
    return temp


def _install_staged(db_path: Path, key: bytes) -> bool:
    temp = staged_path(db_path)
    if sqlcipher.file_kind(temp) != "encrypted" or not sqlcipher.key_opens(temp, key):
        return False  # absent, or a leftover of an attempt that never reached its commit point
    sqlcipher.remove_idle_sidecars(db_path)
    sqlcipher.remove_idle_sidecars(temp)
    os.replace(temp, db_path)
    fsync_directory(db_path.parent)
    log.info("staged encrypted database installed")
    return True


def install_database(db_path: Path, key: bytes) -> None:
    """Put the encrypted database in place: the staged copy, else convert or create (older set-ups)."""
    if _install_staged(db_path, key):
        return
    kind = sqlcipher.file_kind(db_path)
    if kind == "plain":
        convert_plain(db_path, key)
    elif kind in ("missing", "empty"):
        create_encrypted(db_path, key)
    elif not sqlcipher.key_opens(db_path, key):
        raise StorageError("database_damaged")


def mark_ready(keyslots_path: Path, keyslots: KeySlots, keys: Keys) -> KeySlots:
    """Record that set-up is complete."""
    ready = signed(replace(keyslots, state=VaultState.READY), keys)
    save(keyslots_path, ready)
    return ready


def finish_conversion(keyslots_path: Path, db_path: Path, keyslots: KeySlots, keys: Keys) -> KeySlots:
    """Complete an interrupted set-up; returns the key slots in state ``ready``."""
    install_database(db_path, keys[keyslots.epoch])
    return mark_ready(keyslots_path, keyslots, keys)


def start_rotation(keyslots_path: Path, keyslots: KeySlots, keys: Keys) -> tuple[KeySlots, dict[int, bytes]]:
    """Seal a new database key to every slot beside the current one (nothing re-encrypted yet)."""
    if keyslots.state != VaultState.READY:
        raise VaultError("vault_busy", state=str(keyslots.state))
    new_epoch = keyslots.epoch + 1
    both = {keyslots.epoch: keys[keyslots.epoch], new_epoch: random_key()}
    rotating = replace(
        keyslots,
        state=VaultState.ROTATING,
        pending_epoch=new_epoch,
        slots=tuple(resealed(s, both, keyslots.database_id) for s in keyslots.slots),
    )
    rotating = signed(rotating, both)
    save(keyslots_path, rotating)
    return rotating, both


def finish_rotation(
    keyslots_path: Path,
    db_path: Path,
    attachments_dir: Path,
    keyslots: KeySlots,
    keys: Keys,
) -> tuple[KeySlots, dict[int, bytes]]:
    """Re-key the database and the attachments to the pending key, then drop the old key.

    Every step is idempotent: the database is re-keyed only if the old key still opens it, and
    only attachment files still under the old epoch are re-encrypted.
    """
    old, new = keyslots.epoch, keyslots.pending_epoch
    if new is None:
        raise VaultError("keyslots_damaged", part="state")
    if not sqlcipher.key_opens(db_path, keys[new]):
        if not sqlcipher.key_opens(db_path, keys[old]):
            raise StorageError("database_damaged")
        sqlcipher.rekey(db_path, keys[old], keys[new])
    moved = rewrap_all(attachments_dir, AttachmentCipher(keys[old], old), AttachmentCipher(keys[new], new))
    only_new = {new: keys[new]}
    done = replace(
        keyslots,
        state=VaultState.READY,
        epoch=new,
        pending_epoch=None,
        slots=tuple(resealed(s, only_new, keyslots.database_id) for s in keyslots.slots),
    )
    done = signed(done, only_new)
    save(keyslots_path, done)
    log.info("database key rotated to epoch %d (%d attachment files re-encrypted)", new, moved)
    return done, only_new
