"""The crypto adapter behind ``services.bundle_ports.BundleCrypto``: age envelope and manifest."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path

from repatriation.crypto.bundle_inspect import inspect_header
from repatriation.crypto.bundle_reader import OpenedBundle, open_bundle
from repatriation.crypto.bundle_writer import Delivery, write_bundle
from repatriation.crypto.key_adapter import own_store
from repatriation.crypto.keys import entry_keys, generate_passphrase
from repatriation.crypto.leftovers import journaled_export
from repatriation.domain.bundle_limits import Limits
from repatriation.domain.bundle_manifest import HeaderInfo, Manifest
from repatriation.domain.key_directory import DirectoryEntry
from repatriation.services.bundle_ports import BundleFile, Progress, SealMember, SenderDirectory
from repatriation.services.key_ports import KeyRing


class AgeBundles:
    """Bundles as age v1 files with a signed manifest inside (``docs/bundle-format.md``)."""

    def inspect_header(self, path: Path, limits: Limits) -> HeaderInfo:
        """The public part of the header, read under the caps."""
        return inspect_header(path, limits)

    def open(self, path: Path, *, directory: SenderDirectory, now: datetime,
             staging_parent: Path, keys: KeyRing | None, passphrase: str | None,
             limits: Limits, progress: Progress | None = None, stage_files: bool = True,
             seal_member: SealMember | None = None) -> OpenedBundle:
        """Decrypt and verify with our identities still allowed to decrypt, or a passphrase."""
        return open_bundle(
            path, directory=directory, now=now, staging_parent=staging_parent,
            identities=own_store(keys).decrypting(now) if keys is not None else (),
            passphrase=passphrase, limits=limits, progress=progress, stage_files=stage_files,
            seal_member=seal_member)

    def write(self, path: Path, *, keys: KeyRing, recipients: Sequence[DirectoryEntry],
              passphrase: str | None, purpose: str, sequence: int, files: Sequence[BundleFile],
              created_at: datetime, audit_head: str = "",
              progress: Progress | None = None) -> Manifest:
        """Sign with our current identity, encrypt to the recipients or the passphrase."""
        delivery = (Delivery(passphrase=passphrase) if passphrase is not None
                    else Delivery(keys=tuple(entry_keys(e) for e in recipients)))
        return write_bundle(path, sender=own_store(keys).current, delivery=delivery,
                            purpose=purpose, sequence=sequence, files=files,
                            created_at=created_at, audit_head=audit_head, progress=progress)

    def new_passphrase(self) -> str:
        """A random passphrase of BIP-39 words."""
        return generate_passphrase()

    def journaled(self, staging_parent: Path, target: Path) -> AbstractContextManager[None]:
        """Writing ``target``: its temp file is removed at the next start if we are killed."""
        return journaled_export(staging_parent, target)
