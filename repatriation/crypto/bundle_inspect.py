"""What can be said about a bundle file without any key: its age header, read under the caps."""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

from repatriation.crypto.age_armor import ArmorReader, looks_armored
from repatriation.crypto.age_file import PrefixedReader
from repatriation.crypto.age_header import parse_header
from repatriation.crypto.age_stream import read_full
from repatriation.domain.bundle_limits import DEFAULT_LIMITS, Limits
from repatriation.domain.bundle_manifest import STANZA_TYPE, HeaderInfo


def inspect_header(path: Path, limits: Limits = DEFAULT_LIMITS) -> HeaderInfo:
    """Parse the header only (no key is used, nothing is decrypted).

    Raises:
        BundleError: the header is not a well-formed age v1 header within the caps.
    """
    path = Path(path)
    with open(path, "rb") as handle:
        head = read_full(handle, 2048)
        armored = looks_armored(head, limits)
        stream: BinaryIO = io.BufferedReader(PrefixedReader(head, handle), buffer_size=4096)
        if armored:
            stream = io.BufferedReader(ArmorReader(stream, limits), buffer_size=4096)
        header = parse_header(stream, limits)
    ours = next((s for s in header.stanzas if s.type == STANZA_TYPE), None)
    scrypt = next((s for s in header.stanzas if s.type == "scrypt"), None)
    declared = ours.args[1] if ours is not None and len(ours.args) > 1 else None
    work = scrypt.args[1] if scrypt is not None and len(scrypt.args) > 1 else None
    return HeaderInfo(
        size=path.stat().st_size, armored=armored,
        stanza_types=tuple(s.type for s in header.stanzas),
        bundle_version=ours.args[0] if ours is not None and ours.args else None,
        declared_size=int(declared) if declared is not None and declared.isdigit() else None,
        scrypt_work_factor=int(work) if work is not None and work.isdigit() and len(work) < 4
        else None,
    )
