"""Officer wording of vault (encryption, key slots, backups) errors, shared by the desk and the CLI."""

from __future__ import annotations

from i18n import N_

VAULT_MESSAGES: dict[str, str] = {
    "not_set_up": N_("This data directory is not encrypted yet: run 'setup' first."),
    "already_set_up": N_("Encryption is already set up for this data directory."),
    "locked": N_("The data is encrypted: give --user NAME (or --recovery-key) to unlock it."),
    "wrong_credentials": N_("Wrong user name or password."),
    "wrong_recovery_key": N_("This recovery key does not open this data directory."),
    "bad_recovery_key": N_("This is not a valid recovery key: check it for a typing mistake."),
    "keyslots_damaged": N_("The key file (keyslots.json) is damaged; restore it from a backup."),
    "keyslots_tampered": N_("The key file (keyslots.json) was altered outside the desk; refused."),
    "keyslots_version": N_("The key file was written by a newer version ({version})."),
    "database_not_encrypted": N_("The database file was replaced by an unencrypted one; refused."),
    "database_missing": N_("The database file is missing; restore it from a backup."),
    "database_without_keyslots": N_(
        "The database is encrypted but its key file is missing; restore from a backup."
    ),
    "kdf_too_weak": N_(
        "Password hashing must use at least {memory_mib} MiB of memory and {iterations} passes."
    ),
    "kdf_out_of_range": N_(
        "The key file (keyslots.json) asks for {memory_mib} MiB of memory and {iterations} passes "
        "to check a password, more than this desk allows: refused. Restore it from a backup."
    ),
    "data_dir_not_directory": N_("The data directory {path} is a file, not a folder."),
    "data_dir_not_writable": N_("The desk may not write in {path}: nothing was changed."),
    "setup_needs_supervisor": N_(
        "{username} is not a supervisor: only an active supervisor can set up encryption."
    ),
    "passwords_differ": N_("The two passwords differ."),
    "missing_user": N_("Give the user name with --user NAME."),
    "vault_busy": N_("Another key operation is unfinished; unlock once to complete it."),
    "postgres_mode": N_(
        "This desk uses a PostgreSQL server: protect it with TLS and server-side encryption "
        "(docs/security.md)."
    ),
    "not_a_backup": N_("This file is not a Repatriation Desk backup."),
    "backup_damaged": N_("The backup is damaged ({part}); nothing was restored."),
    "backup_foreign": N_("This backup belongs to another data directory; nothing was restored."),
    "backup_version": N_("The backup was written by a newer version ({version})."),
    "backup_key_unavailable": N_(
        "This backup was made with an older key: unlock with a password or recovery key "
        "that was valid when it was made."
    ),
    "restore_target_not_empty": N_("The data directory already has a database; nothing was restored."),
}
