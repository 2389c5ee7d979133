"""Turn typed errors into sentences an officer understands (through gettext)."""

from __future__ import annotations

import logging

from i18n import N_, Translator
from i18n.bundle_errors import BUNDLE_MESSAGES, bundle_template
from i18n.error_messages import ERROR_MESSAGES, IMPORT_REASONS
from repatriation.domain.errors import DomainError, ImportRowError
from repatriation.services.statistics_errors import STATISTICS_MESSAGES

log = logging.getLogger(__name__)

MESSAGES: dict[str, str] = {
    **ERROR_MESSAGES,
    "import_row": N_("Row {row}, column '{column}': {reason}. Nothing was imported."),
    "validation": N_("The data is not valid."),
    "missing_field": N_("A mandatory field is missing: {field}."),
    "language_not_of_corridor": N_(
        "The counterpart of corridor {corridor} reads {expected}: printing the minutes in "
        "{language} needs an explicit choice (--other-language)."
    ),
    "unknown_code": N_("Unknown code '{value}' in {field}."),
    # Corrections (cases edit).
    "not_correctable": N_("'{field}' is not a field that can be corrected (see cases edit --help)."),
    "bad_value": N_("'{value}' is not a valid value for {field}."),
    "nothing_changed": N_("Nothing to correct in case {reference}: the values given are those recorded."),
    "documents_and_none": N_(
        "A person recorded as having no papers cannot have documents listed: give either the "
        "documents or --no-documents."
    ),
    "not_found": N_("What was asked for does not exist here."),
    "case_not_found": N_("No case with reference {reference}."),
    "batch_not_found": N_("No handover batch with reference {reference}."),
    "transition_not_allowed": N_("A case cannot move from '{source}' to '{target}'."),
    "closing_needs_outcome": N_("A case can only be closed with an outcome."),
    "verification_refused": N_(
        "Verification was refused for case {case}: it cannot be handed over."
    ),
    "batch_needs_officials": N_("Add an official for each side before the handover (batches official)."),
    "batch_empty": N_("Add at least one person to the batch."),
    "batch_not_planned": N_("The batch {batch} is no longer planned: it cannot be changed."),
    "care_needs_reception": N_("Record the arrival at the reception centre first (cases receive)."),
    "verification_needs_request": N_("Send a verification request first (verifications request)."),
    "handover_needs_batch": N_("Put the case in a handover batch first (batches plan)."),
    "unknown_follow_up": N_("No follow-up is scheduled {months} months after reintegration."),
    "case_closed": N_("Case {case} is closed."),
    "consent_missing": N_(
        "Case {case} cannot be shared for '{scope}': consent is missing. The parent or legal "
        "representative and, from the age of 7, the child must both consent (cases consent)."
    ),
    "unsupported_format": N_("Unsupported file type '{suffix}': use .csv or .json."),
    "json_syntax": N_(
        "The JSON file is malformed at line {line}, column {column}. Nothing was imported."
    ),
    "disk_full": N_("The disk is full: nothing was written. Free some space and try again."),
    "database_busy": N_("The database is busy; try again in a moment."),
    "database_damaged": N_("The database file is damaged or the key is wrong."),
    # Signing in (cli/session.py): every command runs as an account of a desk that is set up.
    "not_set_up": N_(
        "This data directory is not set up: run 'setup --user NAME' (or 'demo' in an empty directory)."
    ),
    "sign_in_needed": N_("Sign in with --user NAME (password from --password-stdin, "
                         "$REPATRIATION_PASSWORD or a prompt)."),
    **BUNDLE_MESSAGES,
    **STATISTICS_MESSAGES,
}

REASONS: dict[str, str] = IMPORT_REASONS


def describe(error: DomainError, translator: Translator) -> str:
    """A one-line explanation of ``error`` in the translator's language."""
    _ = translator.gettext
    params = {k: str(v) for k, v in error.params.items()}
    if isinstance(error, ImportRowError):
        reason = _(REASONS.get(error.reason, error.reason))
        if error.params.get("value"):
            reason = f"{reason} ('{error.params['value']}')"
        params["reason"] = reason
    # The code and where it failed (a bundle's part and position) are for whoever supports the
    # post: logged (``-v`` shows them), never on the officer's line.
    log.info("refused: %s %s", error.code,
             " ".join(f"{k}={error.params[k]}" for k in ("what", "where") if error.params.get(k)))
    template = (bundle_template(error.code, params) or MESSAGES.get(error.code)
                or MESSAGES.get(type(error).code))
    if template is None:
        # Every code raised today has a sentence (tested); a new one still reads as a sentence.
        return _("The request was refused.")
    # A code raised without one of its usual parameters still reads as a sentence.
    return _(template).format_map(_Blank(params))


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "…"
