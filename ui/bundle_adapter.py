"""The desk's view of the real bundle and key services: frozen rows in, keystore kept unlocked.

``repatriation.services.bundles.BundleService`` needs the post's unlocked key store for export,
preview and import; the desk asks the officer its passphrase once (``unlock``) and keeps the
opened store for the session. Only frozen ``BundleItem`` rows and ``Changes`` leave this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from i18n import N_, Translator
from repatriation.domain.actors import Actor
from repatriation.domain.errors import DomainError
from repatriation.domain.key_directory import AgencyKind, DirectoryEntry, card_from_text
from repatriation.services.bundles import ExportRequest
from repatriation.services.key_card_files import card_from_file
from repatriation.services.key_ports import KeyRing
from repatriation.services.results import Changes
from ui.labels import Labels
from ui.ports import BundleItem, CounterpartKey, OwnKeyCard, Progress

# Every kind may receive bundles; what each receives follows its kind in our directory.
SENDABLE = (AgencyKind.FOREIGN_COUNTERPART, AgencyKind.RECEPTION_CENTRE, AgencyKind.BORDER_POST)

KIND_LABELS: dict[AgencyKind, str] = {
    AgencyKind.FOREIGN_COUNTERPART: N_("counterpart agency"),
    AgencyKind.RECEPTION_CENTRE: N_("reception centre"),
    AgencyKind.BORDER_POST: N_("border post"),
}

# What an officer calls the parts of a case that minimisation can leave out (by path, then by
# top-level section); a path without a label is shown as it is (exact, for support).
SECTION_LABELS: dict[str, str] = {
    "exploitation_narrative": N_("Exploitation narrative"),
    "screening.exploitation_forms": N_("Forms of exploitation"),
    "health_notes": N_("Health notes"),
    "family_assessment": N_("Family assessment"),
    "follow_ups": N_("Follow-ups"),
    "support": N_("Support"),
    "referrals": N_("Referrals"),
    "reception": N_("Reception"),
    "notes": N_("Notes"),
    "consents": N_("Consent"),
    "person.address": N_("Address"),
    "person.family": N_("Family"),
    "person.photos": N_("Photos"),
    "corrections": N_("Corrections"),
    "corrections.sensitive": N_("Corrections of sensitive fields"),
    "corrections.child_private": N_("Corrections of the child's private account"),
}


def section_label(path: str) -> str | None:
    """The msgid naming ``path``'s part of a case, or None."""
    return SECTION_LABELS.get(path) or SECTION_LABELS.get(path.split("[")[0].split(".")[0])


class DeskBundles:
    """Implements ``ui.ports.BundleService``, ``KeyManager`` and ``KeyDirectory`` over the real services."""

    def __init__(self, bundles: Any, translator: Translator) -> None:
        self._bundles = bundles
        self._keys = bundles.keys
        self.gt = translator.gettext
        self._labels = Labels(translator)
        self._keystore: KeyRing | None = None

    @property
    def inbox(self) -> Any:
        """The import inbox (``services.bundle_inbox.InboxService``)."""
        return self._bundles.inbox

    # -- keystore ---------------------------------------------------------------------------

    def needs_passphrase(self) -> bool:
        """Whether the post's key store still has to be opened this session."""
        return self._keystore is None

    def unlock(self, passphrase: str) -> None:
        """Open the key store (slow KDF: call off the GUI thread); wrong passphrase raises.

        Once open, the post's key also signs the audit checkpoints and the printouts' QR codes.
        """
        self._keystore = self._keys.unlock(passphrase)
        self._bundles.sign_checkpoints_with(self._keystore)

    def signing_needs_passphrase(self) -> bool:
        """Whether a printout would go unsigned until the officer opens the post's key store."""
        return self._keystore is None and self._keys.has_identity()

    def _store(self) -> KeyRing:
        if self._keystore is None:
            raise DomainError("wrong_passphrase")
        return self._keystore

    # -- export -----------------------------------------------------------------------------

    def recipients(self) -> Sequence[tuple[str, str]]:
        return [
            (e.key_id, f"{e.agency} ({self._kind(e.kind)}) - {self._keys.keys_of(e).fingerprint()[:11]}")
            for e in self._bundles.usable_recipients()
            if e.kind in SENDABLE
        ]

    def plan_export(self, actor: Actor, case_refs: Sequence[str], recipient: str) -> Sequence[BundleItem]:
        preview = self._bundles.preview_export(actor, ExportRequest(tuple(case_refs), (recipient,)))
        items = [BundleItem(ref, self.gt("{count} fields").format(count=len(preview.included_paths)))
                 for ref in preview.cases]
        # A field's label when the desk has one, else its path (still exact, for support).
        left_out = self.gt("left out for this recipient")
        names = dict.fromkeys(  # one line per part left out, in the service's order
            self.gt(label) if (label := section_label(path)) else self._labels.field(path)
            for path in preview.excluded_paths
        )
        items += [BundleItem(name, left_out, included=False) for name in names]
        items += [BundleItem(name, self.gt("{size} bytes").format(size=size))
                  for name, size in preview.files if name.startswith("attachments/")]
        return items

    def export(
        self, actor: Actor, case_refs: Sequence[str], recipient: str, path: Path, progress: Progress
    ) -> Path:
        request = ExportRequest(tuple(case_refs), (recipient,))
        result = self._bundles.export_bundle(
            actor, request, keystore=self._store(), out_path=path, progress=progress
        )
        return Path(result.path)

    # -- import -----------------------------------------------------------------------------

    def preview_import(self, actor: Actor, path: Path) -> Sequence[BundleItem]:
        preview = self._bundles.preview_import(actor, path, keystore=self._store())
        _ = self.gt
        state = _("verified") if preview.sender_verified else _("not verified")
        items = [BundleItem(_("From {sender}").format(sender=preview.sender_agency),
                            _("{count} attachments").format(count=preview.files)),
                 BundleItem(_("Signed by key {key} ({kind}, {state})").format(
                     key=preview.sender_key[:16],
                     kind=self._kind(AgencyKind(preview.sender_kind)), state=state))]
        items += [BundleItem(ref, _("new case")) for ref in preview.new_cases]
        items += [BundleItem(ref, _("{count} changes to our case, kept for a decision in the "
                                    "inbox").format(count=n))
                  for ref, n in preview.updated_cases]
        reasons = preview.duplicate_reasons or tuple(() for _pair in preview.possible_duplicates)
        items += [BundleItem(ref, _("possible duplicate of {existing}").format(existing=existing)
                             + (f" ({', '.join(why)})" if why else ""))
                  for (ref, existing), why in zip(preview.possible_duplicates, reasons,
                                                  strict=True)]
        return items

    def import_bundle(self, actor: Actor, path: Path, progress: Progress) -> Changes:
        report = self._bundles.import_bundle(actor, path, keystore=self._store(), progress=progress)
        changes: Changes = report.changes
        return changes

    # -- keys (settings page) ---------------------------------------------------------------

    def describe(self) -> Sequence[tuple[str, str]]:
        rows: list[tuple[str, str]] = []
        if self._keys.has_identity():
            card = self._keys.read_card(self._keys.card())
            rows.append((self.gt("This post ({agency})").format(agency=card.agency),
                         card.keys.fingerprint()))
        for entry in self._keys.directory():
            state = "" if entry.verified_out_of_band else " " + self.gt("(not verified)")
            rows.append((f"{entry.agency}{state}", self._keys.keys_of(entry).fingerprint()))
        return rows

    # -- the key directory (settings page, "Counterpart keys") ------------------------------

    def counterparts(self) -> Sequence[CounterpartKey]:
        return [self._row(entry) for entry in self._keys.directory()]

    def add_card(self, actor: Actor, card_text: str, kind: str, country: str) -> CounterpartKey:
        return self._row(self._keys.add(actor, card_from_text(card_text), kind=AgencyKind(kind),
                                        country=country))

    def own_card(self) -> OwnKeyCard:
        line = self._keys.card()
        card = self._keys.read_card(line)
        return OwnKeyCard(card=line, safety_number=card.keys.fingerprint(), agency=card.agency,
                          kind=self._kind(card.kind), key_id=card.keys.key_id)

    def card_in_file(self, path: Path) -> str:
        return card_from_file(path)

    def rotate_own(self, actor: Actor, passphrase: str) -> OwnKeyCard:
        self._keys.rotate(actor, passphrase)
        # The store opened earlier holds the old key as current: reopen it, so bundles,
        # checkpoints and printouts are signed with the new key from now on.
        self._keystore = None
        self.unlock(passphrase)
        return self.own_card()

    def mark_verified(self, actor: Actor, key_id: str) -> CounterpartKey:
        return self._row(self._keys.verify(actor, key_id))

    def revoke(self, actor: Actor, key_id: str) -> CounterpartKey:
        return self._row(self._keys.revoke(actor, key_id))

    def retire(self, actor: Actor, key_id: str) -> CounterpartKey:
        return self._row(self._keys.retire(actor, key_id))

    def _kind(self, kind: AgencyKind) -> str:
        return self.gt(KIND_LABELS[kind])

    def _row(self, entry: DirectoryEntry) -> CounterpartKey:
        return CounterpartKey(
            key_id=entry.key_id, agency=entry.agency, kind=self._kind(entry.kind),
            safety_number=self._keys.keys_of(entry).fingerprint(), verified=entry.verified_out_of_band,
            revoked=entry.revoked_at is not None, retired=entry.valid_until is not None)
