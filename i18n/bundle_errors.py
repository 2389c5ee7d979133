"""Officer wording of bundle and key errors, shared by the desk and the CLI (one msgid each)."""

from __future__ import annotations

from i18n import N_

# Every code of repatriation/crypto/errors.py and the bundle services; tests check the list is whole.
BUNDLE_MESSAGES: dict[str, str] = {
    "bundle_error": N_("The bundle cannot be read. Nothing was imported."),
    "wrong_key": N_("This bundle was not sent to this post, or our key cannot open it."),
    "not_for_us": N_("This bundle was not sent to this post, or our key cannot open it."),
    "unknown_sender": N_("The sender of this bundle is not in the key directory. Nothing was imported."),
    "revoked_sender": N_("The sender's key was withdrawn: the bundle is refused."),
    "unverified_sender": N_("The sender's key has not been checked yet: verify it first."),
    "bad_signature": N_("The bundle was changed after it was signed: it is refused."),
    "tampered": N_("The bundle was changed after it was signed: it is refused."),
    "truncated": N_("The bundle file is incomplete: ask the sender for it again."),
    "replayed": N_("This bundle was already imported. Nothing was imported again."),
    "bundle_already_imported": N_("This bundle was already imported. Nothing was imported again."),
    "not_a_bundle": N_("That file is not a bundle."),
    "unsupported_version": N_(
        "This bundle was made by a newer version of the application: update the desk to read it."
    ),
    "too_large": N_("The bundle is larger than allowed. Nothing was imported."),
    "too_deep": N_("The bundle's data is nested too deeply to be safe. Nothing was imported."),
    "bad_archive": N_("The bundle's contents are malformed. Nothing was imported."),
    "schema": N_("The bundle's case data is not valid. Nothing was imported."),
    "rollback": N_("The import failed and was undone. Nothing was imported."),
    "no_identity": N_("This post has no bundle keys yet: create them first."),
    "unknown_recipient": N_("The recipient's key is not in the key directory."),
    "recipient_not_usable": N_("The recipient's key can no longer be used."),
    "bad_key": N_("This is not a valid key card: it is damaged or incomplete. Ask for a new copy."),
    "key_exists": N_("This key is already in the key directory."),
    "key_not_found": N_("No key in the key directory matches {key}."),
}
