"""Noisy counts: discrete Laplace noise from OpenDP on every cell of a fixed grid, and its error bounds.

Why a fixed grid: with noise, the list of categories must not depend on the data (a listed code
would say that someone has it), so only dimensions with closed code lists qualify and every cell
of the grid is released, zeros included. Each case counts in exactly one cell (no multi-response
dimension), so adding or removing one case moves the vector of cells by 1 in L1; the privacy loss
of that change is what OpenDP's ``map(1)`` returns for the measurement, and that is what the
ledger records. Raising negative counts to 0 and taking every total as the sum of the published
cells is post-processing: it costs no privacy, keeps the table additive, and never moves a cell
further from its true count (the truth is never negative).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from repatriation.domain.suppression import TOTAL, Key

METHOD = "noise"  # the release ledger's name for this method
ALPHA = 0.05  # the stated bounds hold in at least 95 of 100 releases


@dataclass(frozen=True)
class NoiseBounds:
    """What a noisy release promises about its errors, each with probability at least 1 - alpha.

    ``cell``: every published cell is within ``cell`` of its true count. ``total_low`` and
    ``total_high``: the grand total (the sum of ``cells`` cells) is at most ``total_low`` below
    and at most ``total_high`` above the true total (above can be larger: raising negative cells
    to 0 only adds).
    """

    epsilon: float
    cells: int
    alpha: float
    cell: int
    total_low: int
    total_high: int


def measurement(epsilon: float) -> tuple[Callable[[list[int]], list[int]], float]:
    """OpenDP's discrete Laplace measurement on a vector of counts, and its privacy loss for one case.

    The scale is 1/epsilon: one case added or removed changes one cell by one (L1 distance 1).
    """
    import opendp.prelude as dp

    # The Laplace mechanism on integers is still under OpenDP's "contrib" flag (0.16).
    dp.enable_features("contrib")
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    mechanism = space >> dp.m.then_laplace(scale=1.0 / epsilon)
    return mechanism, float(mechanism.map(1))


def grid_keys(categories: Sequence[Sequence[str]]) -> list[Key]:
    """Every cell of the grid, in order."""
    return [tuple(key) for key in itertools.product(*categories)]


def noisy_values(
    cells: Mapping[Key, int], categories: Sequence[Sequence[str]], epsilon: float
) -> tuple[dict[Key, int], float]:
    """Noisy, non-negative cells of the whole grid and every total as their sum; the privacy loss."""
    keys = grid_keys(categories)
    mechanism, loss = measurement(epsilon)
    noisy = mechanism([cells.get(key, 0) for key in keys])
    published = {key: max(0, int(value)) for key, value in zip(keys, noisy, strict=True)}
    return with_totals(published, len(categories)), loss


def with_totals(cells: Mapping[Key, int], dimensions: int) -> dict[Key, int]:
    """Cells plus every total (``TOTAL`` at the totalled positions), each the sum of its cells."""
    values: dict[Key, int] = {}
    for key, value in cells.items():
        for kept in itertools.product((True, False), repeat=dimensions):
            wide = tuple(code if keep else TOTAL for code, keep in zip(key, kept, strict=True))
            values[wide] = values.get(wide, 0) + value
    return values


def cell_bound(epsilon: float, alpha: float = ALPHA) -> int:
    """The largest error of one noisy cell at confidence 1 - alpha (OpenDP's accuracy, floored)."""
    import opendp.prelude as dp

    # P[|noise| >= accuracy] = alpha; noise is an integer, so |noise| <= floor(accuracy) otherwise.
    accuracy = dp.discrete_laplacian_scale_to_accuracy(1.0 / epsilon, alpha)
    return math.floor(float(accuracy))


def bounds(epsilon: float, cells: int, alpha: float = ALPHA) -> NoiseBounds:
    """The stated error bounds of a noisy release of ``cells`` cells at privacy loss ``epsilon``.

    A published cell's error lies between the noise Z and max(Z, 0); summed over the cells, the
    total's error lies between sum(Z) and sum(max(Z, 0)). Each side gets alpha/2, read off the
    exact distributions of those sums (the discrete Laplace's, convolved ``cells`` times).
    """
    import numpy as np

    r = math.exp(-epsilon)  # the discrete Laplace with scale 1/epsilon: P(z) ~ r^|z|
    # Far enough out that what is cut off is below 1e-12; it is put on the last point, which
    # can only widen the upper bounds (the lower one is the same sum's, mirrored).
    reach = math.ceil(-math.log(1e-12 * (1 - r)) / epsilon) + 1
    z = np.arange(-reach, reach + 1)
    pmf = (1 - r) / (1 + r) * r ** np.abs(z)
    pmf[-1] += max(0.0, 1.0 - float(pmf.sum()))
    positive = np.zeros(reach + 1)
    positive[0] = float(pmf[: reach + 1].sum())  # every Z <= 0 counts as 0
    positive[1:] = pmf[reach + 1 :]
    return NoiseBounds(
        epsilon=epsilon, cells=cells, alpha=alpha, cell=cell_bound(epsilon, alpha),
        total_low=_upper_quantile(pmf, -reach, cells, alpha / 2),
        total_high=_upper_quantile(positive, 0, cells, alpha / 2),
    )


def _upper_quantile(pmf: Any, low: int, cells: int, alpha: float) -> int:
    """The smallest u with P(sum of ``cells`` draws > u) <= alpha; ``pmf`` starts at value ``low``."""
    import numpy as np

    size = cells * (len(pmf) - 1) + 1
    spectrum = np.fft.rfft(pmf, size) ** cells  # the sum's distribution, by FFT convolution
    total = np.clip(np.fft.irfft(spectrum, size), 0.0, None)
    above = np.cumsum(total[::-1])[::-1]  # above[i]: P(sum >= low * cells + i)
    i = int(np.argmax(above <= alpha)) if bool((above <= alpha).any()) else size
    # P(sum > u) = P(sum >= u + 1) <= alpha for u = value(i) - 1.
    return max(0, low * cells + i - 1)
