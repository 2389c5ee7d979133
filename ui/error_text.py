"""Turn any error a task raised into a sentence an officer understands, plus details for support.

Domain errors carry a code and parameters; the code picks a translated sentence and the
parameters fill its named placeholders. Anything else gets a plain apology and its type.
"""

from __future__ import annotations

from dataclasses import dataclass

from i18n import N_, Translator
from i18n.bundle_errors import BUNDLE_MESSAGES, bundle_template
from i18n.error_messages import ERROR_MESSAGES, IMPORT_REASONS
from i18n.vault_errors import VAULT_MESSAGES
from repatriation.domain.enums import ConsentScope
from repatriation.domain.errors import DomainError, ImportRowError
from repatriation.services.statistics_errors import STATISTICS_MESSAGES
from ui.labels import Labels

MESSAGES: dict[str, str] = {
    **ERROR_MESSAGES,
    **VAULT_MESSAGES,  # the desk's own wording below wins where a code is shared
    "validation": N_("The data is not valid."),
    "missing_field": N_("Please fill in the {field}."),
    "unknown_code": N_("The {field} '{value}' is not in the reference list."),
    "age_out_of_range": N_("The age must be between 0 and 120."),
    "bad_value": N_("The {field} '{value}' is not valid."),
    "not_correctable": N_("The {field} cannot be corrected here."),
    "nothing_changed": N_("Nothing was changed: the values are those recorded."),
    "documents_and_none": N_(
        "A person recorded as having no papers cannot have documents listed: remove the "
        "documents or untick \"No papers\"."
    ),
    "estimate_needs_date": N_("An estimated age needs the day it was estimated."),
    "date_in_future": N_("The {field} cannot be in the future."),
    "birth_after_receipt": N_("The date of birth is after the day the person was received."),
    "no_person": N_("Add at least one person."),
    "group_too_large": N_("That group is too large for the wizard: import a file instead."),
    "not_a_photo": N_("The file '{path}' is not a JPEG or PNG photo."),
    "file_too_large": N_("The file '{path}' is too large."),
    "case_not_found": N_("No case with reference {reference}."),
    "batch_not_found": N_("No handover batch with reference {reference}."),
    "request_not_found": N_("That verification request no longer exists."),
    "transition_not_allowed": N_("A case cannot go from '{source}' to '{target}'."),
    "closing_needs_outcome": N_("Choose an outcome to close the case."),
    "verification_refused": N_("Verification was refused for case {case}: the person cannot be handed over."),
    "handover_needs_batch": N_("Put the case in a handover batch first."),
    "verification_needs_request": N_("Send a verification request first."),
    "care_needs_reception": N_("Record the arrival at the reception centre first."),
    "reopen_needs_reason": N_("Give a reason to reopen a closed case."),
    "screening_not_allowed": N_("The identification status cannot go from '{source}' to '{target}'."),
    "duplicate_request": N_("That verification request already exists."),
    "reply_needs_outcome": N_("Choose the outcome of the reply."),
    "reply_before_request": N_("The reply cannot be dated before the request."),
    "arrival_before_receipt": N_("The arrival cannot be before the day the person was received."),
    "unknown_follow_up": N_("No follow-up is scheduled for that month."),
    "batch_not_planned": N_("The batch {batch} is no longer planned: it cannot be changed."),
    "batch_empty": N_("Add at least one person to the batch."),
    "batch_needs_officials": N_("Add an official for each side before marking the handover."),
    "duplicate_member": N_("A person is listed twice in the batch."),
    "case_closed": N_("Case {case} is closed and cannot be put in a batch."),
    "case_changed": N_("Someone else changed case {reference}. It was reloaded; try again."),
    "batch_changed": N_("Someone else changed batch {reference}. It was reloaded; try again."),
    "conflict": N_("Someone else changed this record. It was reloaded; try again."),
    "permission_denied": N_("Your role does not allow this."),
    "consent_missing": N_(
        "Case {case} cannot be shared for \"{scope}\": consent is missing. The parent or legal "
        "representative and, from the age of 7, the child must both consent (Consent tab)."
    ),
    "consent_required": N_(
        "Case {case} cannot be shared for \"{scope}\": consent is missing. The parent or legal "
        "representative and, from the age of 7, the child must both consent (Consent tab)."
    ),
    "settings_unreadable": N_("The settings file cannot be read."),
    "disk_full": N_("The disk is full: nothing was written. Free some space and try again."),
    "database_busy": N_("The database is busy; try again in a moment."),
    "database_damaged": N_("The database file is damaged or the key is wrong."),
    "unsupported_format": N_("Unsupported file type '{suffix}': use .csv or .json."),
    "json_syntax": N_("The file is malformed at line {line}. Nothing was imported."),
    "import_row": N_("Row {row}, column '{column}': {reason}. Nothing was imported."),
    "wrong_passphrase": N_("The passphrase is not right."),
    "bad_credentials": N_("The user name or password is not right."),
    "account_locked": N_("Too many failed attempts. Try again in {retry_after} seconds."),
    # The vault answers before the database opens (encrypted desks).
    "wrong_credentials": N_("The user name or password is not right."),
    "recovery_key_needed": N_("Type the recovery key: on this encrypted desk a password reset needs it."),
    "wrong_recovery_key": N_("This recovery key does not open this data directory."),
    "bad_recovery_key": N_("This is not a valid recovery key: check it for a typing mistake."),
    "keyslots_damaged": N_("The key file (keyslots.json) is damaged; restore it from a backup."),
    "keyslots_tampered": N_("The key file (keyslots.json) was altered outside the desk; refused."),
    "kdf_out_of_range": N_(
        "The key file (keyslots.json) asks for {memory_mib} MiB of memory and {iterations} passes "
        "to check a password, more than this desk allows: refused. Restore it from a backup."
    ),
    "account_disabled": N_("This account is disabled. Ask a supervisor."),
    "bad_username": N_("A user name has 2 to 64 letters a-z, digits, dots, dashes or underscores."),
    "password_too_short": N_("The password is too short."),
    "password_too_long": N_("The password is too long."),
    "password_contains_username": N_("The password must not contain the user name."),
    "passwords_differ": N_("The two passwords are not the same."),
    "username_taken": N_("That user name is already taken."),
    "unknown_form": N_("That form is not available."),
    "attachments_need_setup": N_("Photos cannot be stored until the desk's encryption is set up."),
    "attachment_too_large": N_("The file is too large to attach."),
    **BUNDLE_MESSAGES,
    **STATISTICS_MESSAGES,
}


@dataclass(frozen=True)
class ErrorText:
    """What the error box shows: the sentence, and details for whoever supports the post."""

    message: str
    details: str


def _details(error: BaseException) -> str:
    if isinstance(error, DomainError):
        params = ", ".join(f"{k}={v}" for k, v in sorted(error.params.items()))
        return f"{type(error).__name__}: {error.code}" + (f" ({params})" if params else "")
    return type(error).__name__


def describe_error(error: BaseException, translator: Translator) -> ErrorText:
    """The officer-facing text of ``error`` in the translator's language."""
    _ = translator.gettext
    labels = Labels(translator)
    details = _details(error)
    if isinstance(error, DomainError):
        params = {k: str(v) for k, v in error.params.items()}
        if "field" in params:
            params["field"] = labels.field(params["field"])
        if params.get("scope") in {s.value for s in ConsentScope}:
            params["scope"] = labels.enum(ConsentScope(params["scope"]))
        if isinstance(error, ImportRowError):
            params["reason"] = _(IMPORT_REASONS.get(error.reason, error.reason))
        template = (bundle_template(error.code, error.params) or MESSAGES.get(error.code)
                    or MESSAGES.get(type(error).code))
        if template is not None:
            try:
                return ErrorText(_(template).format(**params), details)
            except (KeyError, IndexError, ValueError):
                pass  # a catalog or code missing a placeholder: fall through to the generic text
        return ErrorText(_("The request was refused."), details)  # the code stays in the details
    if isinstance(error, OSError):
        return ErrorText(
            _("The file could not be read or written: {reason}").format(
                reason=error.strerror or type(error).__name__
            ),
            details,
        )
    return ErrorText(
        _("Something went wrong. Nothing was saved. The details help the support team."), details
    )
