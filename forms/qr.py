"""The footer's QR matrix: ReportLab's own encoder, with its mask search done on bit rows.

``QRCode.make`` lays the symbol out nine times (eight trial masks, then the chosen one) module by
module and scores each trial with list-building penalty rules: about 20 ms of a 120 ms form.
Here the data bits are placed once, each trial mask is an XOR of row and column bit masks, and
ReportLab's penalty rules are scored on ints and strings - ReportLab's variant exactly, quirks
included (its finder-pattern rule only ever matches rows), so the chosen mask and every module
are the ones ReportLab would print (``tests/forms/test_speedups.py`` compares them on many payloads).
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise
from typing import Any

from reportlab.graphics.barcode.qrencoder import (
    EXP_TABLE,
    LOG_TABLE,
    QRBitBuffer,
    QRCode,
    QRErrorCorrectLevel,
    QRRSBlock,
    QRUtil,
)

_RUN = re.compile(r"0{5,}|1{5,}")
_FINDER = "10111010000"  # the only orientation ReportLab's rule 3 looks for


@cache
def _positions(version: int) -> tuple[tuple[int, int], ...]:
    """(col, row) of each data module in placement order (ReportLab's own walk)."""
    probe = QRCode(version, QRErrorCorrectLevel.M)
    probe.moduleCount = version * 4 + 17
    return tuple(probe.dataPosIterator())


@cache
def _mask_bits(version: int, pattern: int) -> tuple[bool, ...]:
    """Whether mask ``pattern`` flips each data module, in placement order."""
    mask = QRUtil.getMask(pattern)
    return tuple(bool(mask(row, col)) for col, row in _positions(version))


@cache
def _mask_lines(version: int, pattern: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Mask ``pattern`` as row bit masks and column bit masks (bit ``n-1-i`` = module ``i``)."""
    count = version * 4 + 17
    rows, cols = [0] * count, [0] * count
    for (col, row), flip in zip(_positions(version), _mask_bits(version, pattern), strict=True):
        if flip:
            rows[row] |= 1 << (count - 1 - col)
            cols[col] |= 1 << (count - 1 - row)
    return tuple(rows), tuple(cols)


def _runs_penalty(lines: list[str]) -> int:
    # Rule 1: a run of L >= 5 same-colour modules costs L - 2 (one scan; "2" ends every line).
    return sum(len(run) - 2 for run in _RUN.findall("2".join(lines)))


def penalty(rows: list[int], cols: list[int], count: int) -> int:
    """ReportLab's ``QRUtil.getLostPoint`` for a matrix given as row and column bit masks."""
    width = f"0{count}b"
    row_text = [format(r, width) for r in rows]
    score = _runs_penalty(row_text) + _runs_penalty([format(c, width) for c in cols])
    inner = (1 << (count - 1)) - 1
    for above, below in pairwise(rows):
        same = ~(above ^ below)  # rule 2: 2x2 blocks of one colour, 3 points each
        score += 3 * (same & (same >> 1) & ~(below ^ (below >> 1)) & inner).bit_count()
    # Rule 3 (ReportLab scans j < n - 11, i.e. never the pattern ending at the last column).
    score += 40 * sum(line[:-1].count(_FINDER) for line in row_text)
    dark = sum(r.bit_count() for r in rows)
    return score + 10 * (abs(100 * dark // (count * count) - 50) // 5)


@cache
def _generator_logs(ec_count: int) -> tuple[int, ...]:
    """Logs of the Reed-Solomon generator's coefficients after the leading 1 (built once)."""
    coefficients: list[int] = QRUtil.getErrorCorrectPolynomial(ec_count).num
    return tuple(LOG_TABLE[c] for c in coefficients[1:])


def _error_codewords(data: list[int], ec_count: int) -> list[int]:
    """Remainder of data * x^ec by the generator: ReportLab's ``QRPolynomial.mod``, as an LFSR."""
    logs = _generator_logs(ec_count)
    remainder = [0] * ec_count
    for byte in data:
        factor = byte ^ remainder[0]
        remainder = [*remainder[1:], 0]
        if factor:
            shift = LOG_TABLE[factor]
            remainder = [r ^ EXP_TABLE[(shift + g) % 255] for r, g in zip(remainder, logs, strict=True)]
    return remainder


def _codewords(code: QRCode) -> list[int]:
    """ReportLab's ``QRCode.createData`` (padding, blocks, interleaving) with a fast RS step."""
    blocks = QRRSBlock.getRSBlocks(code.version, code.errorCorrectLevel)
    capacity = 8 * sum(block.dataCount for block in blocks)
    buffer = QRBitBuffer()
    for data in code.dataList:
        data.write(buffer, code.version)
    if buffer.getLengthInBits() > capacity:
        raise ValueError(f"code length overflow ({buffer.getLengthInBits()} > {capacity})")
    if buffer.getLengthInBits() + 4 <= capacity:
        buffer.put(0, 4)
    while buffer.getLengthInBits() % 8:
        buffer.putBit(False)
    pads = (QRCode.PAD0, QRCode.PAD1)
    index = 0
    while buffer.getLengthInBits() < capacity:
        buffer.put(pads[index % 2], 8)
        index += 1
    data_blocks, ec_blocks, offset = [], [], 0
    for block in blocks:
        data_blocks.append(buffer.buffer[offset:offset + block.dataCount])
        offset += block.dataCount
        ec_blocks.append(_error_codewords(data_blocks[-1], block.totalCount - block.dataCount))
    out: list[int] = []
    for group in (data_blocks, ec_blocks):
        for column in range(max(len(b) for b in group)):
            out += [b[column] for b in group if column < len(b)]
    return out


class _Encoder(QRCode):  # type: ignore[misc]  # ReportLab ships no type hints
    """``QRCode`` with a table-driven ``mapData`` and a bit-mask ``getBestMaskPattern``."""

    def _data_bits(self, data: Any) -> list[bool]:
        bits = list(self.dataBitIterator(data))
        return bits + [False] * (len(_positions(self.version)) - len(bits))

    def mapData(self, data: Any, maskPattern: int) -> None:
        """Place the data bits under mask ``maskPattern`` (same result as ReportLab's)."""
        modules = self.modules
        flips = _mask_bits(self.version, maskPattern)
        for (col, row), dark, flip in zip(_positions(self.version), self._data_bits(data), flips,
                                          strict=True):
            modules[row][col] = dark ^ flip

    def getBestMaskPattern(self) -> int:
        """The first mask with the lowest penalty, as ReportLab picks it."""
        self.makeImpl(True, 0)
        count = self.moduleCount
        modules = self.modules
        for (col, row), dark in zip(_positions(self.version), self._data_bits(self.dataCache),
                                    strict=True):
            modules[row][col] = dark  # unmasked: each trial is an XOR away
        rows = [int("".join("1" if m else "0" for m in line), 2) for line in modules]
        cols = [int("".join("1" if line[c] else "0" for line in modules), 2) for c in range(count)]
        best, best_score = 0, 0
        for pattern in range(8):
            row_mask, col_mask = _mask_lines(self.version, pattern)
            score = penalty([r ^ m for r, m in zip(rows, row_mask, strict=True)],
                            [c ^ m for c, m in zip(cols, col_mask, strict=True)], count)
            if pattern == 0 or score < best_score:
                best, best_score = pattern, score
        return best


def qr_modules(payload: str) -> list[list[bool]]:
    """The QR matrix (error correction M), module for module ReportLab's; True = dark."""
    code = _Encoder(None, QRErrorCorrectLevel.M)
    code.addData(payload)
    code.version = code.calculate_version()
    code.dataCache = _codewords(code)
    code.make()
    return [[bool(module) for module in line] for line in code.modules]


def reportlab_modules(payload: str) -> list[list[bool]]:
    """The same matrix from ReportLab's unmodified encoder (the reference the tests compare to)."""
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(payload)
    code.make()
    count = code.getModuleCount()
    return [[bool(code.isDark(row, col)) for col in range(count)] for row in range(count)]
