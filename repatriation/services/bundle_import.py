"""Importing a bundle: every crypto check, then a strict schema, then one transaction.

The bundle is decrypted and verified outside any transaction (it may be large); photos are put
into the encrypted attachment store (and removed again if anything fails later); then one unit
of work checks the replay set again, refuses revision rollbacks, adds the new cases, records
how each case we already hold would change (the import inbox: nothing of ours is replaced
until an officer decides, see ``bundle_inbox``), records the bundle id and writes the audit
entries. Cases are matched by global id only. What a sender may change follows the kind OUR
key directory records for it (``bundle_policy.accepted_paths``). Nothing reaches the database
unless all of it does.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from repatriation.domain.actors import Actor
from repatriation.domain.bundle_errors import (
    ReplayedError,
    RollbackError,
    SchemaError,
    TamperedError,
)
from repatriation.domain.bundle_limits import Limits
from repatriation.domain.case import Case
from repatriation.domain.codec import to_jsonable
from repatriation.domain.errors import DomainError
from repatriation.domain.key_directory import DirectoryEntry
from repatriation.domain.permissions import Action
from repatriation.domain.strict_json import canonical_json
from repatriation.services.access import require
from repatriation.services.attachments import AttachmentError
from repatriation.services.audit import record_action
from repatriation.services.bundle_cases import BundleCases, decode_cases
from repatriation.services.bundle_inbox import flag_same_person, receive
from repatriation.services.bundle_keys import aware
from repatriation.services.bundle_policy import accepted_paths
from repatriation.services.bundle_ports import (
    AttachmentStore,
    BundleCrypto,
    BundleImportReport,
    ImportPreview,
    MemberSink,
    OpenedBundleView,
    Progress,
)
from repatriation.services.case_changes import incoming_changes
from repatriation.services.inbox_ports import ReceivedCase
from repatriation.services.key_ports import KeyRing
from repatriation.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from repatriation.services.results import Changes
from repatriation.services.same_person_check import possible_matches


class DirectorySnapshot:
    """The reader's view of the key directory and replay set (short read-only transactions)."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self._uow_factory = uow_factory

    def sender_entry(self, key_id: str) -> DirectoryEntry | None:
        """The entry, if any."""
        with self._uow_factory() as uow:
            return uow.bundle_store.directory_entry(key_id)

    def already_imported(self, sender: str, bundle_id: str) -> bool:
        """Whether it was imported before (checked again inside the import transaction)."""
        with self._uow_factory() as uow:
            return uow.bundle_store.already_imported(sender, bundle_id)


class BundleImporter:
    """The import use case (see the module docstring for the order of checks)."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, crypto: BundleCrypto,
                 attachments: AttachmentStore | None, staging_parent: Path,
                 limits: Limits) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._crypto = crypto
        self._attachments = attachments
        self._staging_parent = staging_parent
        self._limits = limits
        # The sender and its checkpoint of the last bundle opened (kept by BundleService).
        self.last_sender: tuple[DirectoryEntry, str] | None = None

    def _open(self, path: Path, keystore: KeyRing | None, passphrase: str | None,
              progress: Progress | None, stage: bool) -> OpenedBundleView:
        now = aware(self._clock.now())
        return self._crypto.open(
            path, directory=DirectorySnapshot(self._uow_factory), now=now,
            staging_parent=self._staging_parent, keys=keystore, passphrase=passphrase,
            limits=self._limits, progress=progress, stage_files=stage,
            seal_member=self._seal_attachment if self._attachments is not None else None)

    def _seal_attachment(self, name: str, sha256: str, sink: BinaryIO) -> MemberSink | None:
        """Attachments are staged in the store's own format: accepting one is a rename."""
        if not name.startswith("attachments/"):
            return None
        assert self._attachments is not None
        try:
            return self._attachments.sealer(sink, sha256)
        except AttachmentError:
            return None  # no store key (a desk without encryption): refused when stored

    def _decode(self, actor: Actor, opened: OpenedBundleView) -> BundleCases:
        content = decode_cases(opened.cases_json, self._limits)
        for field_class in sorted(content.policy.classes):
            require(actor, Action.EDIT, field_class, purpose="bundle_import")
        if content.policy.carries_photos:
            for case in content.cases:
                for photo in case.person.photos:
                    name = f"attachments/{photo.sha256}"
                    if name not in opened.files and not self._have(photo.sha256):
                        raise SchemaError("cases.json", case.reference, reason="missing_photo")
        return content

    def _have(self, sha256: str) -> bool:
        return self._attachments is not None and self._attachments.contains(sha256)

    def preview(self, actor: Actor, path: Path, keystore: KeyRing | None,
                passphrase: str | None) -> ImportPreview:
        """Verify everything (hashes included, nothing staged) and describe the changes."""
        with self._open(path, keystore, passphrase, None, stage=False) as opened:
            content = self._decode(actor, opened)
            new: list[str] = []
            updated: list[tuple[str, int]] = []
            duplicates: list[tuple[str, str]] = []
            reasons: list[tuple[str, ...]] = []
            paths = accepted_paths(content.policy, opened.sender.kind)
            with self._uow_factory() as uow:
                for case in content.cases:
                    stored = uow.cases.find_by_global_id(case.global_id)
                    if stored is None:
                        new.append(case.reference)
                        for match in possible_matches(uow, case.person, self._clock.today(),
                                                      exclude=case.global_id):
                            duplicates.append((case.reference, match.reference))
                            reasons.append(match.reasons)
                    else:
                        updated.append((stored.reference,
                                        len(incoming_changes(stored, case, paths))))
            sender = opened.sender
            return ImportPreview(opened.manifest, sender.agency, tuple(new),
                                 tuple(updated), tuple(duplicates), len(opened.files),
                                 sender_key=sender.key_id, sender_kind=sender.kind.value,
                                 sender_country=sender.country,
                                 sender_verified=sender.verified_out_of_band,
                                 duplicate_reasons=tuple(reasons))

    def run(self, actor: Actor, path: Path, keystore: KeyRing | None, passphrase: str | None,
            progress: Progress | None) -> BundleImportReport:
        """Import; on any error the database is untouched and new attachment files removed."""
        with self._open(path, keystore, passphrase, progress, stage=True) as opened:
            content = self._decode(actor, opened)
            self.last_sender = (opened.sender, opened.manifest.audit_head)
            added: list[str] = []
            try:
                self._store_photos(opened, content, added)
                return self._merge(actor, opened, content, len(added))
            except BaseException:
                for sha in added:
                    with contextlib.suppress(DomainError, OSError):
                        assert self._attachments is not None
                        self._attachments.remove(sha)
                raise

    def _store_photos(self, opened: OpenedBundleView, content: BundleCases,
                      added: list[str]) -> None:
        if not content.policy.carries_photos:
            return
        for case in content.cases:
            for photo in case.person.photos:
                if self._have(photo.sha256):
                    continue
                if self._attachments is None:
                    raise DomainError("attachments_unavailable")
                staged = opened.files[f"attachments/{photo.sha256}"]
                if staged.sha256 != photo.sha256 or staged.path is None:
                    # The bytes match the signed manifest's hash (checked while staging),
                    # which must be the one the case names.
                    raise TamperedError(staged.name, "sha256", reason="hash_mismatch")
                if staged.key:  # staged under a one-time key: the store could not seal it
                    stored = self._attachments.store(staged.read(), photo.file_name,
                                                     photo.media_type, photo.kind)
                else:
                    stored = self._attachments.adopt(staged.path, staged.sha256, staged.size,
                                                     photo.file_name, photo.media_type,
                                                     photo.kind)
                added.append(stored.sha256)

    def _merge(self, actor: Actor, opened: OpenedBundleView, content: BundleCases,
               attachments: int) -> BundleImportReport:
        manifest = opened.manifest
        sender = manifest.sender
        now = self._clock.now()
        created: list[str] = []
        updated: list[str] = []
        pending = flagged = 0
        paths = accepted_paths(content.policy, opened.sender.kind)
        with self._uow_factory() as uow:
            store = uow.bundle_store
            inbox = uow.inbox
            if store.already_imported(sender, manifest.bundle_id):
                raise ReplayedError("manifest.json", "$.bundle_id", bundle_id=manifest.bundle_id)
            for case in content.cases:
                last = store.case_revision(sender, case.global_id)
                if last is not None and case.revision < last:
                    raise RollbackError("cases.json", case.reference, revision=case.revision,
                                        newest_received=last)
                stored = uow.cases.find_by_global_id(case.global_id)
                received = ReceivedCase(
                    manifest.bundle_id, sender, opened.sender.agency, case.global_id,
                    manifest.created_at, aware(now), paths,
                    canonical_json(to_jsonable(case)).decode("utf-8"))
                if stored is None:
                    matches = possible_matches(uow, case.person, self._clock.today())
                    local = replace(case, revision=0, reference=_free_reference(uow, case))
                    uow.cases.add(local)
                    reference = local.reference
                    created.append(reference)
                    flagged += flag_same_person(inbox, received, matches)
                else:
                    count = receive(inbox, stored, received, case)
                    pending += count
                    reference = stored.reference
                    if count:
                        updated.append(reference)
                store.set_case_revision(sender, case.global_id, case.revision)
                record_action(uow, actor, now,
                              "case_imported" if stored is None else "case_changes_received",
                              "case", reference, bundle=manifest.bundle_id)
            store.record_import(sender=sender, bundle_id=manifest.bundle_id,
                                sequence=manifest.sequence, purpose=manifest.purpose,
                                created_at=manifest.created_at, imported_at=aware(now),
                                cases=len(content.cases))
            record_action(uow, actor, now, "bundle_imported", "bundle", manifest.bundle_id,
                          sender=sender[:16], sequence=manifest.sequence,
                          purpose=manifest.purpose, created=len(created),
                          updated=len(updated), pending=pending, same_person=flagged,
                          attachments=attachments)
            uow.commit()
        return BundleImportReport(
            bundle_id=manifest.bundle_id, sender_agency=opened.sender.agency,
            created=tuple(created), updated=tuple(updated), attachments=attachments,
            changes=Changes(cases=frozenset(created) | frozenset(updated)), pending=pending,
            possible_same_person=flagged,
        )


def _free_reference(uow: UnitOfWork, case: Case) -> str:
    """The sender's reference, or, when another child here already bears it, a marked one.

    References are unique per post, but two desks set up with the same prefix (or an older
    desk) can both have written ``LC-2026-000001``: the incoming child keeps its own record
    under ``LC-2026-000001~3f2a`` (the start of its global id) instead of replacing ours.
    """
    if uow.cases.find(case.reference) is None:
        return case.reference
    for length in (4, 8, 12):
        candidate = f"{case.reference[:31 - length]}~{case.global_id.replace('-', '')[:length]}"
        if uow.cases.find(candidate) is None:
            return candidate
    raise DomainError("reference_taken", reference=case.reference)
