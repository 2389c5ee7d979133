"""Bundle and key-store errors: one class per cause, each naming what failed and where.

Every refusal of a bundle is a ``BundleError`` with a stable ``code`` (the catalogs turn it into
words) and the parameters ``what`` (the part: ``age_header``, ``payload``, ``manifest.json``...)
and ``where`` (a line, a chunk index, a JSON path, an archive member), plus extra details.
"""

from __future__ import annotations

from typing import Any

from repatriation.domain.errors import DomainError


class BundleError(DomainError):
    """Base of every reason a bundle (or an age file) is refused."""

    code = "bundle_error"

    def __init__(self, what: str, where: str = "", /, **params: Any) -> None:
        super().__init__(type(self).code, what=what, where=where, **params)
        self.what = what
        self.where = where


class WrongKeyError(BundleError):
    """None of our identities (or the passphrase) opens any recipient stanza."""

    code = "wrong_key"


class UnknownSenderError(BundleError):
    """The signing key is not in the key directory (or was not valid at ``created_at``)."""

    code = "unknown_sender"


class RevokedSenderError(BundleError):
    """The signing key has been revoked."""

    code = "revoked_sender"


class UnverifiedSenderError(BundleError):
    """The signing key is known but its fingerprint was never checked out of band."""

    code = "unverified_sender"


class BadSignatureError(BundleError):
    """The manifest signature is missing, malformed or does not verify."""

    code = "bad_signature"


class TamperedError(BundleError):
    """An authentication check failed: header MAC, a payload chunk, a file hash, malformed bytes."""

    code = "tampered"


class TruncatedError(BundleError):
    """The data ends before it should (header, payload, final chunk, archive member)."""

    code = "truncated"


class ReplayedError(BundleError):
    """This bundle id from this sender was already imported."""

    code = "replayed"


class UnsupportedVersionError(BundleError):
    """A format version this build does not read (age intro, bundle stanza, manifest)."""

    code = "unsupported_version"


class NotABundleError(BundleError):
    """The bytes are not an age file / not a case bundle at all (bad magic)."""

    code = "not_a_bundle"


class NotForUsError(BundleError):
    """Our key is not among the signed recipients: the bundle was forwarded to us."""

    code = "not_for_us"


class TooLargeError(BundleError):
    """A size, count or work-factor limit was exceeded (checked before doing the work)."""

    code = "too_large"


class TooDeepError(BundleError):
    """JSON nested deeper than the limit."""

    code = "too_deep"


class BadArchiveError(BundleError):
    """The inner archive breaks a rule: traversal, links, duplicates, names not in the manifest."""

    code = "bad_archive"


class SchemaError(BundleError):
    """Invalid JSON (duplicate keys, NaN, wrong types) or content that breaks the schema."""

    code = "schema"


class RollbackError(BundleError):
    """The bundle carries an older revision of a case than the one stored here."""

    code = "rollback"


BUNDLE_ERRORS: tuple[type[BundleError], ...] = (
    WrongKeyError, UnknownSenderError, RevokedSenderError, UnverifiedSenderError,
    BadSignatureError, TamperedError, TruncatedError, ReplayedError, UnsupportedVersionError,
    NotABundleError, NotForUsError, TooLargeError, TooDeepError, BadArchiveError, SchemaError,
    RollbackError,
)


class KeyStoreError(DomainError):
    """The local key store cannot be opened: wrong passphrase, damaged file, unknown version."""

    code = "keystore"

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code, **params)


class KeyFormatError(DomainError):
    """A key, recipient or key-card string is malformed (bad checksum, wrong prefix, length)."""

    code = "bad_key"

    def __init__(self, what: str, /, **params: Any) -> None:
        super().__init__("bad_key", what=what, **params)
