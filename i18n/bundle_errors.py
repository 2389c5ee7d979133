"""Officer wording of bundle and key errors, shared by the desk and the CLI (one msgid each)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from i18n import N_

# Every code of repatriation/domain/bundle_errors.py and the bundle services; tests check the list is whole.
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
    "rollback": N_(
        "The bundle holds an older version of a case than one already received from this "
        "sender. Nothing was imported."
    ),
    "no_identity": N_("This post has no bundle keys yet: create them first."),
    "unknown_recipient": N_("The recipient's key is not in the key directory."),
    "recipient_not_usable": N_("The recipient's key can no longer be used."),
    "bad_key": N_("This is not a valid key card: it is damaged or incomplete. Ask for a new copy."),
    "key_exists": N_("This key is already in the key directory."),
    "key_not_found": N_("No key in the key directory matches {key}."),
    "counterpart_country": N_(
        "A foreign counterpart needs its country as a two-letter code (CN, KH, LA...)."
    ),
    "card_image_unreadable": N_(
        "The file '{path}' is not a PNG, JPEG or BMP picture: save the QR code as one of these."
    ),
    "card_image_too_large": N_(
        "The picture '{path}' is too large for a key card (more than {limit_mib} MiB or 40 "
        "megapixels): crop it to the QR code."
    ),
    "no_card_in_image": N_(
        "No key card QR code was found in '{path}'. Take a sharp, straight picture of the whole "
        "code, or add the card from its text file."
    ),
    "several_cards_in_image": N_(
        "The picture '{path}' holds {cards} different key cards: crop it to the one to add."
    ),
    "inbox_change_not_found": N_("Some of these changes were already decided or do not exist."),
    "inbox_nothing_pending": N_("No received change waits for a decision on this case."),
    "inbox_change_outdated": N_(
        "Our value changed since this change was received: decline it, or edit the case."
    ),
    "global_id_taken": N_("A case with the same identity is already stored."),
}

# Where one code covers several causes, the cause (``reason``, else the part that failed)
# picks a sentence naming it: a stanza count is not a file size, a damaged first line is not a
# newer version, and a wrong passphrase is not a bundle sent elsewhere.
CAUSE_MESSAGES: dict[tuple[str, str], str] = {
    ("too_large", "too_many_stanzas"): N_(
        "The bundle is addressed to more recipients than this desk accepts. Nothing was imported."
    ),
    ("too_large", "line_too_long"): N_(
        "A line of the bundle's header is longer than allowed: the file is damaged or is not a "
        "bundle. Nothing was imported."
    ),
    ("too_large", "header_too_long"): N_(
        "The bundle's header is longer than allowed: the file is damaged or is not a bundle. "
        "Nothing was imported."
    ),
    ("too_large", "scrypt_work_factor"): N_(
        "The bundle's passphrase protection asks for more computing work than this desk allows. "
        "Nothing was imported."
    ),
    ("unsupported_version", "age_intro"): N_(
        "The bundle's first line is damaged: it names an encryption version that does not "
        "exist. Nothing was imported."
    ),
    ("wrong_key", "wrong_passphrase"): N_(
        "This passphrase does not open the bundle: check it with the sender. Nothing was "
        "imported."
    ),
}


def bundle_cause(code: str, params: Mapping[str, Any]) -> str:
    """The cause of a bundle refusal, as ``CAUSE_MESSAGES`` keys it ("" when there is none)."""
    what, where = str(params.get("what", "")), str(params.get("where", ""))
    if code == "unsupported_version" and what == "age_header" and where == "line 1":
        return "age_intro"  # age v1 is the only age version: another one is damage
    return str(params.get("reason") or what)


def bundle_template(code: str, params: Mapping[str, Any]) -> str | None:
    """The msgid for a bundle or key refusal, naming its cause where one code has several."""
    return CAUSE_MESSAGES.get((code, bundle_cause(code, params))) or BUNDLE_MESSAGES.get(code)
