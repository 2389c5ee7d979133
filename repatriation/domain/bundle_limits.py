"""Caps applied to untrusted input before any expensive work (parsing, KDFs, decryption).

A bundle arrives on a USB stick or by e-mail from outside the post: every size, count, depth and
work factor below is checked before the work it would cause, so a hostile file costs
milliseconds, not minutes (pyrage parses headers in quadratic time and accepts scrypt 2^23).
"""

from __future__ import annotations

from dataclasses import dataclass

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB


@dataclass(frozen=True)
class Limits:
    """Every cap in one place; tests and the fuzz harness lower them to exercise the refusals."""

    # age header: a real bundle header is under 1 KiB (a few X25519 stanzas).
    max_header_bytes: int = 16 * KIB
    max_stanzas: int = 64
    max_header_line: int = 4 * KIB
    # age(1) caps scrypt at 2^22 (about 4 GiB of memory); 2^20 is 1 GiB, and age's own
    # encryption default is 2^18, so every passphrase file age writes by default still opens.
    max_scrypt_log_n: int = 20
    # ASCII armor: whitespace tolerated around the PEM block (age(1) uses the same figure).
    max_armor_whitespace: int = 1 * KIB
    # Bundle: total plaintext, one archive member, member count, and the JSON documents.
    max_bundle_bytes: int = 4 * GIB
    max_member_bytes: int = 2 * GIB
    max_members: int = 10_000
    max_manifest_bytes: int = 1 * MIB
    max_json_bytes: int = 64 * MIB
    max_json_depth: int = 32


DEFAULT_LIMITS = Limits()
