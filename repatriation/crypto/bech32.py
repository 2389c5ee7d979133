"""Bech32 (BIP 173) as age uses it: no length limit, one case only, checksum over lower case.

age keys are Bech32 strings (``age1...`` recipients, ``AGE-SECRET-KEY-1...`` identities). The
reference ``bech32`` package caps strings at 90 characters, which BIP 173 needs for addresses
but age explicitly drops, so this small codec is kept here and tested on the CCTV identities
and on keys made by ``age-keygen``.
"""

from __future__ import annotations

from repatriation.domain.bundle_errors import KeyFormatError

_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_INDEX = {c: i for i, c in enumerate(_CHARSET)}
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _polymod(values: list[int]) -> int:
    check = 1
    for value in values:
        top = check >> 25
        check = (check & 0x1FFFFFF) << 5 ^ value
        for i, gen in enumerate(_GENERATOR):
            if (top >> i) & 1:
                check ^= gen
    return check


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convert_bits(data: bytes | list[int], from_bits: int, to_bits: int, pad: bool) -> list[int]:
    acc = bits = 0
    out: list[int] = []
    max_value = (1 << to_bits) - 1
    for value in data:
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & max_value)
    if pad:
        if bits:
            out.append((acc << (to_bits - bits)) & max_value)
    elif bits >= from_bits or (acc << (to_bits - bits)) & max_value:
        # Non-zero padding bits mean a second string decodes to the same bytes: refuse it.
        raise KeyFormatError("bech32", reason="bad_padding")
    return out


def encode(hrp: str, data: bytes) -> str:
    """Encode ``data`` under the human-readable part ``hrp`` (returned in lower case)."""
    hrp = hrp.lower()
    words = _convert_bits(data, 8, 5, pad=True)
    checksum = _polymod(_hrp_expand(hrp) + words + [0] * 6) ^ 1
    tail = [(checksum >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_CHARSET[w] for w in words + tail)


def decode(text: str) -> tuple[str, bytes]:
    """Decode a Bech32 string into ``(hrp in lower case, data)``; refuses mixed case."""
    if text.lower() != text and text.upper() != text:
        raise KeyFormatError("bech32", reason="mixed_case")
    if any(not 33 <= ord(c) <= 126 for c in text):
        raise KeyFormatError("bech32", reason="bad_character")
    lowered = text.lower()
    hrp, sep, rest = lowered.rpartition("1")
    if not sep or not hrp or len(rest) < 6:
        raise KeyFormatError("bech32", reason="no_separator")
    try:
        words = [_INDEX[c] for c in rest]
    except KeyError:
        raise KeyFormatError("bech32", reason="bad_character") from None
    if _polymod(_hrp_expand(hrp) + words) != 1:
        raise KeyFormatError("bech32", reason="bad_checksum")
    return hrp, bytes(_convert_bits(words[:-6], 5, 8, pad=False))
