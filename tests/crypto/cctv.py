"""Loader for the C2SP/CCTV age vectors in tests/data/cctv-age (see its README for the origin)."""

from __future__ import annotations

import zlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

VECTOR_DIR = Path(__file__).resolve().parents[1] / "data" / "cctv-age"


@dataclass(frozen=True)
class Vector:
    name: str
    expect: str
    payload_sha256: str | None
    identities: tuple[str, ...]
    passphrases: tuple[str, ...]
    armored: bool
    body: bytes

    @property
    def hybrid(self) -> bool:
        return any(i.startswith("AGE-SECRET-KEY-PQ-") for i in self.identities)


def load(path: Path) -> Vector:
    raw = path.read_bytes()
    head, _, body = raw.partition(b"\n\n")
    fields: dict[str, list[str]] = defaultdict(list)
    for line in head.decode("utf-8").splitlines():
        key, _, value = line.partition(": ")
        fields[key].append(value)
    if fields.get("compressed") == ["zlib"]:
        body = zlib.decompress(body)
    return Vector(
        name=path.name, expect=fields["expect"][0],
        payload_sha256=(fields.get("payload") or [None])[0],
        identities=tuple(fields.get("identity", [])),
        passphrases=tuple(fields.get("passphrase", [])),
        armored=fields.get("armored") == ["yes"], body=body,
    )


def all_vectors() -> list[Vector]:
    return [load(p) for p in sorted(VECTOR_DIR.iterdir()) if p.name != "README.md"]


def applicable() -> list[Vector]:
    """The 124 vectors for X25519 and scrypt recipients (post-quantum hybrids excluded)."""
    return [v for v in all_vectors() if not v.hybrid]
