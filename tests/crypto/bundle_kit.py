"""Test kit for bundles: posts with keys, a fake key directory, and a raw builder for hostile files.

``raw_bundle`` writes the exact bytes an attacker (or a buggy peer) could produce: any members,
any manifest fields, signed or not, by any key, encrypted to anyone, with or without the
``vn-ctp-bundle`` stanza. All names and data are fictitious.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from repatriation.crypto.age_file import AgeWriter
from repatriation.crypto.age_header import Stanza
from repatriation.crypto.age_recipients import Recipient
from repatriation.crypto.bundle_format import new_bundle_id
from repatriation.crypto.bundle_tar import TarWriter
from repatriation.crypto.keys import PostIdentity
from repatriation.domain.bundle_manifest import (
    FORMAT,
    FORMAT_VERSION,
    SCHEMA_VERSION,
    SIGNATURE_CONTEXT,
)
from repatriation.domain.key_directory import AgencyKind, DirectoryEntry, b64url
from repatriation.domain.strict_json import canonical_json

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
CASES = b'{"cases":[{"reference":"LC-2026-000001","name":"Nguyen Thi Test"}]}'


def post(agency: str) -> PostIdentity:
    return PostIdentity.generate(agency, NOW - timedelta(days=30))


@dataclass
class FakeDirectory:
    """The key directory and seen-set as the bundle reader sees them."""

    entries: dict[str, DirectoryEntry] = field(default_factory=dict)
    seen: set[tuple[str, str]] = field(default_factory=set)

    def trust(self, identity: PostIdentity, *, verified: bool = True, **changes: Any) -> None:
        entry = DirectoryEntry(
            agency=identity.agency, kind=AgencyKind.BORDER_POST, key_id=identity.key_id,
            x25519_recipient=str(identity.public.x25519),
            ed25519_public=b64url(identity.public.ed25519),
            valid_from=NOW - timedelta(days=30), verified_out_of_band=verified,
        )
        self.entries[identity.key_id] = dataclasses.replace(entry, **changes)

    def sender_entry(self, key_id: str) -> DirectoryEntry | None:
        return self.entries.get(key_id)

    def already_imported(self, sender: str, bundle_id: str) -> bool:
        return (sender, bundle_id) in self.seen


def manifest_for(sender: PostIdentity, recipients: Sequence[PostIdentity],
                 members: Sequence[tuple[str, bytes]], **overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "schema_version": SCHEMA_VERSION,
        "bundle_id": new_bundle_id(), "sender": sender.key_id, "sender_agency": sender.agency,
        "recipients": sorted(r.key_id for r in recipients), "passphrase": not recipients,
        "created_at": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"), "sequence": 1,
        "purpose": "border_post", "audit_head": "",
        "files": [{"name": n, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
                  for n, d in members],
    }
    doc.update(overrides)
    return doc


def raw_bundle(path: Path, *, sender: PostIdentity, to: Sequence[Recipient],
               recipients: Sequence[PostIdentity] = (),
               members: Sequence[tuple[str, bytes]] = (("cases.json", CASES),),
               manifest: dict[str, Any] | None = None, manifest_bytes: bytes | None = None,
               signer: PostIdentity | None = None, signature: bytes | None = None,
               sign: bool = True, stanza: bool | str = True, extra_tar: bytes = b"",
               tar_members: Sequence[tuple[str, bytes]] | None = None) -> bytes:
    """Write a bundle with every part under the test's control; returns the plaintext tar."""
    doc = manifest if manifest is not None else manifest_for(sender, recipients, members)
    encoded = manifest_bytes if manifest_bytes is not None else canonical_json(doc)
    sig = signature if signature is not None else (signer or sender).sign(
        SIGNATURE_CONTEXT + encoded)
    plain = io.BytesIO()
    tar = TarWriter(plain, NOW)
    tar.add_bytes("manifest.json", encoded)
    if sign:
        tar.add_bytes("manifest.sig", sig)
    for name, data in (tar_members if tar_members is not None else members):
        tar.add_bytes(name, data)
    plain.write(extra_tar)
    tar.close()
    payload = plain.getvalue()
    extra: list[Stanza] = []
    if stanza:
        version = stanza if isinstance(stanza, str) else str(FORMAT_VERSION)
        extra.append(Stanza("vn-ctp-bundle", (version, str(len(payload))), b""))
    with open(path, "wb") as out, AgeWriter(out, to, extra) as writer:
        writer.write(payload)
    return payload


def symlink_member(name: str, target: str) -> bytes:
    """A tar header for a symbolic link (a classic archive attack)."""
    import tarfile

    info = tarfile.TarInfo(name)
    info.type = tarfile.SYMTYPE
    info.linkname = target
    return info.tobuf(format=tarfile.USTAR_FORMAT)


def huge_member_header(name: str, size: int) -> bytes:
    """A member header declaring ``size`` bytes (GNU base-256 size field, as GNU tar writes)."""
    import tarfile

    info = tarfile.TarInfo(name)
    info.size = size
    return info.tobuf(format=tarfile.GNU_FORMAT)


def dumps(value: Any) -> bytes:
    return json.dumps(value).encode()
