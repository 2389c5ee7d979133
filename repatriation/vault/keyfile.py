"""The key slots file (``keyslots.json``): strict parsing, canonical bytes for its MAC, atomic save.

The file holds no secret in clear: per slot a salt, KDF parameters, a public key and the
database key sealed to it, once per key epoch present. An HMAC keyed from the database key
covers the whole file, so adding, removing or swapping a slot without the key is detected.
"""

from __future__ import annotations

import base64
import binascii
import errno
import json
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from repatriation.crypto.keyslots import KdfParams, VaultError
from repatriation.domain.credentials import user_key
from repatriation.files import atomic_write_bytes

FORMAT = "repatriation-desk/keyslots"
VERSION = 1
KEYSLOTS_FILE = "keyslots.json"
MAX_FILE_BYTES = 1 << 20
_HEX = frozenset("0123456789abcdef")


class SlotKind(StrEnum):
    """Who a slot belongs to."""

    PASSWORD = "password"
    RECOVERY = "recovery"


class VaultState(StrEnum):
    """Where a multi-file operation stands; an interrupted one is finished at the next unlock."""

    CONVERTING = "converting"  # set-up: the plain database is being replaced by the encrypted one
    READY = "ready"
    ROTATING = "rotating"  # key rotation: the new key is sealed, the files may still use the old


@dataclass(frozen=True)
class Slot:
    """One key slot."""

    kind: SlotKind
    user: str  # "" for the recovery slot
    salt: bytes
    public_key: bytes
    sealed: dict[int, bytes]  # key epoch -> the database key of that epoch, sealed to public_key
    kdf: KdfParams | None = None  # None for the recovery slot (HKDF)

    def context(self, database_id: str, epoch: int) -> bytes:
        """The HPKE ``info`` binding a sealed key to this database, epoch and slot."""
        return f"repatriation keyslot v1|{database_id}|{epoch}|{self.kind}|{user_key(self.user)}".encode()


@dataclass(frozen=True)
class KeySlots:
    """The whole file."""

    database_id: str
    state: VaultState
    epoch: int  # the key the database file is (or was, while rotating) encrypted with
    slots: tuple[Slot, ...]
    pending_epoch: int | None = None  # only while rotating
    mac: bytes = field(default=b"", compare=False)

    @property
    def newest_epoch(self) -> int:
        """The epoch whose key authenticates the file."""
        return self.pending_epoch if self.pending_epoch is not None else self.epoch

    def find(self, kind: SlotKind, user: str = "") -> Slot | None:
        """The slot of ``kind`` for ``user`` (any user name spelling), or ``None``."""
        wanted = user_key(user)
        for slot in self.slots:
            if slot.kind == kind and user_key(slot.user) == wanted:
                return slot
        return None

    def without(self, kind: SlotKind, user: str = "") -> tuple[Slot, ...]:
        """All slots except that one."""
        wanted = user_key(user)
        return tuple(s for s in self.slots if not (s.kind == kind and user_key(s.user) == wanted))

    def users(self) -> tuple[str, ...]:
        """The user names that have a password slot."""
        return tuple(s.user for s in self.slots if s.kind == SlotKind.PASSWORD)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _slot_json(slot: Slot) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": str(slot.kind),
        "user": slot.user,
        "salt": _b64(slot.salt),
        "public_key": _b64(slot.public_key),
        "sealed": {str(epoch): _b64(value) for epoch, value in sorted(slot.sealed.items())},
    }
    if slot.kdf is not None:
        data["kdf"] = {
            "name": "argon2id",
            "memory_kib": slot.kdf.memory_kib,
            "iterations": slot.kdf.iterations,
            "lanes": slot.kdf.lanes,
        }
    return data


def _body_json(keyslots: KeySlots) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "database_id": keyslots.database_id,
        "state": str(keyslots.state),
        "epoch": keyslots.epoch,
        "pending_epoch": keyslots.pending_epoch,
        "slots": [_slot_json(s) for s in keyslots.slots],
    }


def canonical_body(keyslots: KeySlots) -> bytes:
    """The bytes the MAC covers: every field but the MAC, sorted keys, no spaces."""
    return json.dumps(
        _body_json(keyslots), sort_keys=True, separators=(",", ":"), ensure_ascii=True
    ).encode("ascii")


def to_bytes(keyslots: KeySlots) -> bytes:
    """The file content."""
    data = _body_json(keyslots)
    data["mac"] = _b64(keyslots.mac)
    return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=True) + "\n").encode("ascii")


def _damaged(part: str) -> VaultError:
    return VaultError("keyslots_damaged", part=part)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _damaged("duplicate_key")
        result[key] = value
    return result


def _bytes(value: Any, part: str, length: int | None = None) -> bytes:
    if not isinstance(value, str):
        raise _damaged(part)
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise _damaged(part) from None
    if length is not None and len(raw) != length:
        raise _damaged(part)
    return raw


def _int(value: Any, part: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 1 << 31:
        raise _damaged(part)
    return value


def _kdf(value: Any) -> KdfParams:
    if not isinstance(value, dict) or set(value) != {"name", "memory_kib", "iterations", "lanes"}:
        raise _damaged("kdf")
    if value["name"] != "argon2id":
        raise _damaged("kdf")
    params = KdfParams(
        memory_kib=_int(value["memory_kib"], "kdf"),
        iterations=_int(value["iterations"], "kdf"),
        lanes=_int(value["lanes"], "kdf"),
    )
    params.check()
    return params


def _slot(value: Any) -> Slot:
    required = {"kind", "user", "salt", "public_key", "sealed"}
    if not isinstance(value, dict) or not required <= set(value) <= required | {"kdf"}:
        raise _damaged("slot")
    try:
        kind = SlotKind(value["kind"])
    except ValueError:
        raise _damaged("slot_kind") from None
    if not isinstance(value["user"], str) or (kind == SlotKind.PASSWORD) != bool(value["user"]):
        raise _damaged("slot_user")
    if (kind == SlotKind.PASSWORD) != ("kdf" in value):
        raise _damaged("kdf")
    sealed_in = value["sealed"]
    if not isinstance(sealed_in, dict) or not 1 <= len(sealed_in) <= 2:
        raise _damaged("sealed")
    sealed: dict[int, bytes] = {}
    for epoch_text, blob in sealed_in.items():
        if not (isinstance(epoch_text, str) and epoch_text.isdigit() and len(epoch_text) <= 9):
            raise _damaged("sealed")
        sealed[_int(int(epoch_text), "sealed")] = _bytes(blob, "sealed")
    return Slot(
        kind=kind,
        user=value["user"],
        salt=_bytes(value["salt"], "salt", 16),
        public_key=_bytes(value["public_key"], "public_key", 32),
        sealed=sealed,
        kdf=_kdf(value["kdf"]) if "kdf" in value else None,
    )


def _check_consistency(keyslots: KeySlots) -> None:
    epochs = {keyslots.epoch} | ({keyslots.pending_epoch} if keyslots.pending_epoch else set())
    rotating = keyslots.state == VaultState.ROTATING
    if rotating != (keyslots.pending_epoch is not None):
        raise _damaged("state")
    if keyslots.pending_epoch is not None and keyslots.pending_epoch <= keyslots.epoch:
        raise _damaged("epoch")
    names = [(s.kind, user_key(s.user)) for s in keyslots.slots]
    if len(set(names)) != len(names) or not keyslots.slots:
        raise _damaged("slots")
    if any(set(s.sealed) != epochs for s in keyslots.slots):
        raise _damaged("sealed")


def parse(data: bytes) -> KeySlots:
    """Parse the file strictly.

    Args:
        data: the file content.

    Returns:
        The key slots (MAC not yet verified: that needs the database key).

    Raises:
        VaultError: ``keyslots_damaged`` naming the part that is wrong.
    """
    if len(data) > MAX_FILE_BYTES:
        raise _damaged("size")
    try:
        doc = json.loads(data.decode("utf-8"), object_pairs_hook=_unique_keys)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _damaged("json") from None
    expected = {"format", "version", "database_id", "state", "epoch", "pending_epoch", "slots", "mac"}
    if not isinstance(doc, dict) or set(doc) != expected or doc["format"] != FORMAT:
        raise _damaged("format")
    if doc["version"] != VERSION:
        raise VaultError("keyslots_version", version=str(doc["version"]))
    database_id = doc["database_id"]
    if not (isinstance(database_id, str) and len(database_id) == 32 and set(database_id) <= _HEX):
        raise _damaged("database_id")
    try:
        state = VaultState(doc["state"])
    except ValueError:
        raise _damaged("state") from None
    if not isinstance(doc["slots"], list) or len(doc["slots"]) > 256:
        raise _damaged("slots")
    pending = doc["pending_epoch"]
    keyslots = KeySlots(
        database_id=database_id,
        state=state,
        epoch=_int(doc["epoch"], "epoch"),
        slots=tuple(_slot(s) for s in doc["slots"]),
        pending_epoch=None if pending is None else _int(pending, "epoch"),
        mac=_bytes(doc["mac"], "mac", 32),
    )
    _check_consistency(keyslots)
    return keyslots


def load(path: Path) -> KeySlots:
    """Read and parse ``path``."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise VaultError("not_set_up") from None
    return parse(data)


def save(path: Path, keyslots: KeySlots) -> None:
    """Write the file atomically (temp file, fsync, rename, fsync directory).

    Raises:
        VaultError: ``disk_full`` (the previous file is kept).
    """
    try:
        atomic_write_bytes(Path(path), to_bytes(keyslots))
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise VaultError("disk_full") from exc
        raise


def with_mac(keyslots: KeySlots, tag: bytes) -> KeySlots:
    """A copy carrying ``tag`` as its MAC."""
    return replace(keyslots, mac=tag)
