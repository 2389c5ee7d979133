"""One sentence for every error code the core can raise, shared by the CLI and the desk.

The CLI (``cli/errors.py``) and the desk (``ui/error_text.py``) keep their own wording for the
codes they phrase differently (the desk says "Please fill in..."); every other code falls back to
this table, so no officer ever reads ``Refused (code): k=v``. A test lists the codes raised in
``repatriation/`` and ``cli/`` and checks each has a sentence somewhere.
Placeholders are only those the code always carries.
"""

from __future__ import annotations

from i18n import N_

ERROR_MESSAGES: dict[str, str] = {
    # Files and folders the user names.
    "output_folder_missing": N_(
        "The folder {folder} does not exist (is the USB stick plugged in?). Nothing was written."
    ),
    "output_is_folder": N_("{path} is a folder: give a file name. Nothing was written."),
    "data_dir_empty": N_("The data folder given with --data-dir is empty: give a folder."),
    "no_terminal": N_(
        "No terminal to ask for the password or passphrase: run the command in a terminal or "
        "give it in its environment variable (see --help)."
    ),
    "file_too_large": N_("The file {path} is too large."),
    "not_utf8": N_("The file {path} is not UTF-8 text. Save it as UTF-8 and try again."),
    "empty_file": N_("The file is empty. Nothing was imported."),
    "too_many_rows": N_("The file has more than {limit} rows: split it. Nothing was imported."),
    "json_not_a_list": N_(
        "The JSON file must be a list of cases, or an object with a list named cases. "
        "Nothing was imported."
    ),
    "json_too_deep": N_("The JSON file is nested too deeply to be read safely. Nothing was imported."),
    "duplicate_key": N_("The JSON file repeats a key inside one object. Nothing was imported."),
    "file_unreadable": N_("The file {file} cannot be read."),
    # Audit checkpoints (tamper evidence).
    "checkpoint_file": N_("{file} holds no checkpoints, or {lines} lines that are not checkpoints."),
    "checkpoints_sender_unknown": N_("No checkpoints were received from a key starting {sender}."),
    "checkpoint_not_signed": N_("The bundle's checkpoint is not signed by its sender {sender}."),
    "consent_no_answer": N_(
        "Give the answer of the child (--child), of the representative (--representative), or both."
    ),
    "not_in_batch": N_("Case {case} is not in batch {batch}."),
    "language_not_of_corridor": N_(
        "The counterpart of corridor {corridor} reads {expected}: printing the minutes in "
        "{language} needs an explicit choice of that language."
    ),
    "unsigned_members": N_(
        "In batch {batch}, these persons have not signed the minutes: {cases}. Record their "
        "signature, mark or thumbprint (batches sign), or give --allow-unsigned."
    ),
    # Storage.
    "database_error": N_("The database refused the change ({reason}). Nothing was saved."),
    "database_read_only": N_("The database is on a read-only disk or folder: nothing can be saved."),
    "database_unreadable": N_(
        "The database file {path} is damaged or is not a Repatriation Desk database."
    ),
    "postgres_tls_required": N_(
        "The PostgreSQL server {host} must be reached with TLS: add sslmode=verify-full and "
        "sslrootcert to the database URL (docs/security.md). Nothing was opened."
    ),
    "backup_check_failed": N_("The backup copy did not check out. Nothing was written."),
    "case_changed": N_("Someone else changed case {reference}. Reload it and try again."),
    "batch_changed": N_("Someone else changed batch {reference}. Reload it and try again."),
    "reference_taken": N_("The reference {reference} is already used. Nothing was saved."),
    "global_id_taken": N_(
        "Case {reference} has the global id of a case already here. Nothing was saved."
    ),
    "bad_global_id": N_("The case's global id is not valid. Nothing was saved."),
    # Reference data.
    "gate_not_found": N_("No border gate with code {code}."),
    "ethnic_group_not_found": N_("No ethnic group with code {code}."),
    "province_not_found": N_("No province with code {code}."),
    "commune_not_found": N_("No commune with code {code}."),
    "agency_not_found": N_("No agency with code {code}."),
    "calendar_not_found": N_("No working-day calendar for corridor {corridor}."),
    "unknown_gate": N_("Unknown border gate '{value}'."),
    # Case work.
    "missing": N_("A mandatory field is missing: {field}."),
    "bad_date": N_("'{value}' is not a date in the form YYYY-MM-DD."),
    "age_out_of_range": N_("The age must be between 0 and 120."),
    "verification_needs_request": N_("Send a verification request for case {case} first."),
    "handover_needs_batch": N_("Put case {case} in a handover batch first."),
    "care_needs_reception": N_("Record the arrival of case {case} at the reception centre first."),
    "reopen_needs_reason": N_("Give a reason to reopen case {case}."),
    "screening_not_allowed": N_("The identification status cannot go from '{source}' to '{target}'."),
    "request_not_found": N_("No verification request {request}."),
    "unknown_request": N_("No verification request {request} in this case."),
    "duplicate_request": N_("The verification request {request} already exists."),
    "reply_needs_outcome": N_("Give the outcome of the reply to request {request}."),
    "reply_before_request": N_("The reply to request {request} cannot be dated before it."),
    "arrival_before_receipt": N_("Case {case}: the arrival cannot be before the day of receipt."),
    "estimate_needs_date": N_("An estimated age needs the day it was estimated."),
    "unknown_follow_up": N_("No follow-up is scheduled {months} months after the handover."),
    "case_closed": N_("Case {case} is closed and cannot be put in a batch."),
    "batch_not_planned": N_("Batch {batch} is no longer planned: it cannot be changed."),
    "batch_empty": N_("Batch {batch} has nobody in it."),
    "batch_needs_officials": N_("Batch {batch} needs an official for each side first."),
    "duplicate_member": N_("A person is listed twice in batch {batch}."),
    "wrong_batch_direction": N_("Form {form} does not fit the direction of batch {batch}."),
    "unknown_form": N_("There is no form {form}."),
    "unsupported_language": N_("The language {language} is not supported."),
    "invalid_value": N_("A value is not valid. Nothing was saved."),
    "negative_days": N_("A number of days cannot be negative ({days})."),
    "not_a_photo": N_("The file {path} is not a JPEG or PNG photo."),
    "consent_required": N_("This needs the recorded consent of the person or guardian."),
    "consent_missing": N_("Case {case} may not be shared: the consent for {scope} is missing."),
    # Statistics.
    "exact_statistics": N_("Your role ({role}) may not see exact counts."),
    "bad_period": N_("The period is not valid: the start must be before the end."),
    "period_not_whole_months": N_("Statistics for release cover whole months only."),
    "bad_age_bands": N_("The age bands '{starts}' are not valid: give rising ages, e.g. 10,15,16,18."),
    "too_many_dimensions": N_("Too many dimensions at once ({count})."),
    "duplicate_dimension": N_("A dimension is listed twice: {dimensions}."),
    "table_too_large": N_("The table would have {entries} entries, more than {limit}: use fewer dimensions."),
    "bad_threshold": N_("The suppression threshold {k} is not valid."),
    # Accounts and roles.
    "permission_denied": N_("Your role does not allow this."),
    "bad_credentials": N_("Wrong user name or password."),
    "account_locked": N_("Too many failed sign-ins: try again in {retry_after} seconds."),
    "account_disabled": N_("This account is disabled; ask a supervisor."),
    "other_user": N_("Signed in as another user: sign in again."),
    "user_not_found": N_("No user named {username}."),
    "unknown_user": N_("No key slot for user {user}."),
    "user_exists": N_("User {user} already has a key slot."),
    "username_taken": N_("The user name {username} is taken."),
    "last_user": N_("The last user cannot be removed."),
    "last_supervisor": N_("{username} is the last active supervisor."),
    "bad_username": N_("User names use 2 to 64 letters a-z, digits, '.', '_' or '-'."),
    "bad_role": N_("Unknown role '{value}'."),
    "password_mismatch": N_("The two passwords differ."),
    "password_missing": N_("No password was given on standard input."),
    "password_too_long": N_("The password may have at most {max_length} characters."),
    "password_contains_username": N_("The password may not contain the user name."),
    "first_account_supervisor": N_("The first account must be a supervisor."),
    "accounts_exist": N_("Accounts exist already: sign in as a supervisor with --user."),
    "sign_in_needed": N_("Sign in as a supervisor with --user."),
    # Keys, bundles, attachments, settings.
    "wrong_passphrase": N_("The key store passphrase is not right."),
    "passphrase_too_short": N_("The passphrase needs at least {min_length} characters."),
    "passphrase_mismatch": N_("The two passphrases differ."),
    "keystore_damaged": N_("The key store file is damaged; restore it from a backup."),
    "keystore_version": N_("The key store was written by a newer version ({version})."),
    "no_current_identity": N_("This post has no current bundle key: create one first."),
    "identity_exists": N_("This post already has bundle keys."),
    "bad_policy": N_("The sharing rules for this bundle are not valid."),
    "recipients_or_kind": N_("Give either recipients' keys or a recipient type, not both."),
    "not_shared_abroad": N_("Case data is not shared with a recipient of type {kind}."),
    "field_cannot_be_left_out": N_("The field {field} cannot be left out of a bundle."),
    "attachment_damaged": N_("An attached file is damaged; restore it from a backup."),
    "attachment_missing": N_("An attached file is missing; restore it from a backup."),
    "attachment_too_large": N_("The file is too large to attach (at most {limit} bytes)."),
    "attachments_need_setup": N_("Photos cannot be stored until the desk's encryption is set up."),
    "attachments_unavailable": N_("Attached files cannot be opened in this mode."),
    "settings_unreadable": N_("The settings file {path} cannot be read."),
    "retention_unreadable": N_("The retention rules cannot be read."),
    "retention_out_of_range": N_("The retention period for {field} is out of range."),
    "idle_lock_out_of_range": N_("The idle lock time is out of range."),
    "bad_desk_kind": N_("Choose whether this desk serves a border post or a reception centre."),
    "recovery_key_needed": N_(
        "Type the recovery key: on this encrypted desk a password reset needs it."
    ),
    "bad_post_code": N_("The post code '{value}' is not valid."),
    "bad_corridor": N_("The corridor '{value}' is not valid."),
    "unreadable_part": N_("The part '{value}' cannot be read."),
    "wrong_type": N_("A value at {path} has the wrong type. Nothing was changed."),
    "unknown_field": N_("Unknown field {field} at {path}. Nothing was changed."),
    "unsupported_type": N_("A value at {path} has an unsupported type. Nothing was changed."),
}

# Why a row of an import file was refused ("Row 3, column 'family_name': <reason>").
IMPORT_REASONS: dict[str, str] = {
    "missing": N_("a value is required"),
    "bad_date": N_("not a date in the form YYYY-MM-DD"),
    "unknown_code": N_("unknown code"),
    "unknown_column": N_("unknown column"),
    "not_a_number": N_("not a whole number"),
    "wrong_column_count": N_("wrong number of columns"),
    "csv_syntax": N_("CSV syntax error"),
    "not_an_object": N_("not a JSON object"),
    "age_out_of_range": N_("age out of range"),
    "not_text": N_("must be text (a JSON string), not a number, true/false, a list or an object"),
    "too_long": N_("longer than the 131,072 characters a field may have"),
    "control_character": N_("contains a control character (such as NUL)"),
    "duplicate_column": N_("the column appears twice"),
    "record_too_long": N_("the record is larger than a record may be"),
    "not_yes_no": N_("not yes or no"),
    "bad_value": N_("not a value this column takes"),
}
