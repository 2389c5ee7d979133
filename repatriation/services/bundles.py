"""Bundle use cases: preview and export minimised, signed, encrypted case bundles; inspect one.

Import (preview and merge) lives in ``bundle_import``; ``BundleService`` exposes both. Export
reads the cases in one short unit of work, writes the file outside any transaction (a 1 GB
bundle must not hold the database's write lock), then records the export and its audit entry;
if that record cannot be written the bundle file is deleted again.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from repatriation.domain.actors import Actor
from repatriation.domain.bundle_errors import BundleError
from repatriation.domain.bundle_limits import DEFAULT_LIMITS, Limits
from repatriation.domain.bundle_manifest import CASES_NAME
from repatriation.domain.case import Case
from repatriation.domain.errors import DomainError, ValidationError
from repatriation.domain.key_directory import AgencyKind, DirectoryEntry
from repatriation.files import require_folder
from repatriation.services.audit import record_action
from repatriation.services.bundle_cases import encode_cases
from repatriation.services.bundle_import import BundleImporter, DirectorySnapshot
from repatriation.services.bundle_inbox import InboxService
from repatriation.services.bundle_keys import KeyService, aware
from repatriation.services.bundle_policy import (
    SharePolicy,
    check_consent,
    check_sender_rights,
    minimise_for_share,
    policy_for,
)
from repatriation.services.bundle_ports import (
    AttachmentStore,
    BundleCrypto,
    BundleFile,
    BundleImportReport,
    BundleInspection,
    ExportPreview,
    ExportResult,
    ImportPreview,
    Progress,
)
from repatriation.services.checkpoints import CheckpointService
from repatriation.services.key_ports import KeyRing
from repatriation.services.ports import Clock, UnitOfWorkFactory


@dataclass(frozen=True)
class ExportRequest:
    """What to send to whom: counterpart key ids, or a generated passphrase (then ``kind``)."""

    references: tuple[str, ...]
    recipients: tuple[str, ...] = ()
    passphrase: bool = False
    kind: AgencyKind | None = None
    include_health: bool | None = None
    include_narrative: bool = False


class BundleService:
    """Export, inspect and import case bundles."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock,
                 keys: KeyService, *, crypto: BundleCrypto,
                 attachments: AttachmentStore | None, staging_parent: Path,
                 limits: Limits = DEFAULT_LIMITS,
                 checkpoints: CheckpointService | None = None) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self.keys = keys
        self._crypto = crypto
        self._attachments = attachments
        self._staging_parent = Path(staging_parent)
        self._limits = limits
        self._checkpoints = checkpoints
        self._importer = BundleImporter(uow_factory, clock, crypto, attachments,
                                        self._staging_parent, limits)
        self.inbox = InboxService(uow_factory, clock)

    def check_header(self, path: Path) -> None:
        """Refuse a malformed or hostile file from its header alone, before any key is unlocked.

        Unlocking the desk and the key store costs a deliberate second each (Argon2id, scrypt):
        a file that is not a bundle, or whose header is built to exhaust the reader, is refused
        first.

        Raises:
            BundleError: the header is not a well-formed age v1 header within the caps.
        """
        self._crypto.inspect_header(Path(path), self._limits)

    def sign_checkpoints_with(self, keystore: KeyRing) -> None:
        """The desk opened the post's key store: sign checkpoints and printouts with it from now on."""
        if self._checkpoints is not None:
            self._checkpoints.use_identity(keystore.current)

    # -- export -------------------------------------------------------------------------------

    def usable_recipients(self) -> list[DirectoryEntry]:
        """Directory keys a bundle may be sent to now (the check ``export_bundle`` makes too)."""
        now = aware(self._clock.now())
        return [entry for entry in self.keys.directory() if entry.usable_for_sending(now)]

    def _prepare(self, actor: Actor, request: ExportRequest) -> tuple[
            SharePolicy, list[DirectoryEntry], list[Case], int]:
        if not request.references:
            raise ValidationError("missing_field", field="cases")
        now = aware(self._clock.now())
        with self._uow_factory() as uow:
            store = uow.bundle_store
            entries = [self._recipient(store.directory(), key) for key in request.recipients]
            cases = [uow.cases.get(ref) for ref in dict.fromkeys(request.references)]
            sequence = store.next_sequence()
        for entry in entries:
            if not entry.usable_for_sending(now):
                raise ValidationError("recipient_not_usable", key=entry.key_id[:16])
        kinds = {e.kind for e in entries} | ({request.kind} if request.kind else set())
        if len(kinds) != 1 or bool(entries) == request.passphrase:
            raise ValidationError("recipients_or_kind", kinds=len(kinds))
        policy = policy_for(kinds.pop(), include_health=request.include_health,
                            include_narrative=request.include_narrative)
        check_sender_rights(actor, policy)
        check_consent(cases, policy, self._clock.today())
        return policy, entries, [minimise_for_share(c, policy) for c in cases], sequence

    @staticmethod
    def _recipient(directory: list[DirectoryEntry], key: str) -> DirectoryEntry:
        matches = [e for e in directory if e.key_id.startswith(key.lower())]
        if len(matches) != 1 or len(key) < 8:
            raise ValidationError("unknown_recipient", key=key[:64])
        return matches[0]

    def _files(self, cases: Sequence[Case], policy: SharePolicy) -> list[BundleFile]:
        files = [BundleFile.from_bytes(CASES_NAME, encode_cases(cases, policy))]
        if not policy.carries_photos:
            return files
        photos = {p.sha256: p for c in cases for p in c.person.photos}
        if photos and self._attachments is None:
            raise DomainError("attachments_unavailable")
        store = self._attachments
        for sha, photo in sorted(photos.items()):
            assert store is not None
            files.append(BundleFile.from_blocks(
                f"attachments/{sha}", photo.size, sha,
                lambda sha=sha: store.blocks(sha)))  # type: ignore[misc]
        return files

    def preview_export(self, actor: Actor, request: ExportRequest) -> ExportPreview:
        """Exactly which fields and files an export would carry (nothing is written)."""
        policy, entries, cases, _ = self._prepare(actor, request)
        files = self._files(cases, policy)
        return ExportPreview(
            kind=policy.kind.value, cases=tuple(c.reference for c in cases),
            included_paths=tuple(sorted(policy.paths)),
            excluded_paths=tuple(sorted(policy.excluded)),
            files=tuple((f.name, f.size) for f in files),
            recipients=tuple(e.agency for e in entries) or ("passphrase",),
        )

    def export_bundle(self, actor: Actor, request: ExportRequest, *, keystore: KeyRing,
                      out_path: Path, progress: Progress | None = None) -> ExportResult:
        """Write the bundle to ``out_path`` (atomically) and audit it."""
        require_folder(Path(out_path))  # refused before any work: nothing half-done, no folder made
        policy, entries, cases, sequence = self._prepare(actor, request)
        passphrase = self._crypto.new_passphrase() if request.passphrase else None
        for entry in entries:  # a damaged directory entry is refused before anything is signed
            self.keys.keys_of(entry)
        now = self._clock.now()
        # The manifest carries a signed checkpoint of our log: the receiver keeps it.
        audit_head = (self._checkpoints.issue("bundle", keystore.current).text()
                      if self._checkpoints is not None else "")
        with self._crypto.journaled(self._staging_parent, Path(out_path)):
            manifest = self._crypto.write(
                Path(out_path), keys=keystore, recipients=entries, passphrase=passphrase,
                purpose=policy.kind.value, sequence=sequence, files=self._files(cases, policy),
                created_at=aware(now), progress=progress, audit_head=audit_head,
            )
        try:
            with self._uow_factory() as uow:
                uow.bundle_store.record_export(
                    bundle_id=manifest.bundle_id, sequence=sequence, purpose=policy.kind.value,
                    recipients=",".join(manifest.recipients) or "passphrase",
                    created_at=manifest.created_at, cases=len(cases))
                record_action(uow, actor, now, "bundle_exported", "bundle", manifest.bundle_id,
                              purpose=policy.kind.value, cases=[c.reference for c in cases],
                              recipients=[r[:16] for r in manifest.recipients],
                              passphrase=passphrase is not None,
                              fields_excluded=len(policy.excluded),
                              excluded=sorted(policy.excluded))
                uow.commit()
        except BaseException:
            # An export that is not on record must not exist.
            with contextlib.suppress(FileNotFoundError):
                Path(out_path).unlink()
            raise
        return ExportResult(str(out_path), manifest, passphrase)

    # -- inspect and import -------------------------------------------------------------------

    def inspect_bundle(self, path: Path, *, keystore: KeyRing | None = None,
                       passphrase: str | None = None) -> BundleInspection:
        """What the file says before decryption, and after it when a key is given."""
        try:
            header = self._crypto.inspect_header(Path(path), self._limits)
        except BundleError as exc:
            return BundleInspection(None, error_code=exc.code,
                                    error_params={k: str(v) for k, v in exc.params.items()})
        if keystore is None and passphrase is None:
            return BundleInspection(header)
        now = aware(self._clock.now())
        try:
            with self._crypto.open(Path(path), directory=DirectorySnapshot(self._uow_factory),
                                   now=now, staging_parent=self._staging_parent, keys=keystore,
                                   passphrase=passphrase, limits=self._limits,
                                   stage_files=False) as opened:
                return BundleInspection(header, opened.manifest, opened.sender)
        except BundleError as exc:
            return BundleInspection(header, error_code=exc.code,
                                    error_params={k: str(v) for k, v in exc.params.items()})

    def preview_import(self, actor: Actor, path: Path, *, keystore: KeyRing | None,
                       passphrase: str | None = None) -> ImportPreview:
        """New cases, updates and possible duplicates, after every check (nothing written)."""
        return self._importer.preview(actor, Path(path), keystore, passphrase)

    def import_bundle(self, actor: Actor, path: Path, *, keystore: KeyRing | None,
                      passphrase: str | None = None,
                      progress: Progress | None = None) -> BundleImportReport:
        """Verify and merge a bundle in one transaction; any failure writes nothing."""
        report = self._importer.run(actor, Path(path), keystore, passphrase, progress)
        sender = self._importer.last_sender
        if self._checkpoints is None or sender is None or not sender[1]:
            return report
        entry, audit_head = sender
        try:
            problem = self._checkpoints.receive(
                sender=entry.key_id, agency=entry.agency, sender_ed25519=self.keys.keys_of(entry).ed25519,
                text=audit_head, bundle_id=report.bundle_id)
        except DomainError:  # a checkpoint the signed manifest carries but that does not verify
            return report
        return dataclasses.replace(report, checkpoint_problem=problem)
