"""Small-cell suppression: primary "<k", complementary cells, and attacks that must all fail."""

from __future__ import annotations

import random

import pytest

from repatriation.domain.suppression import TOTAL, CellState, suppress
from tests.statistics.attack import differencing, full_table, integer_search, linear_algebra


def random_cells(rng: random.Random, shape: tuple[int, ...]) -> dict[tuple[str, ...], int]:
    import itertools

    axes = [[f"{chr(97 + d)}{i}" for i in range(n)] for d, n in enumerate(shape)]
    weights = [0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 9, 12]
    return {key: rng.choice(weights) for key in itertools.product(*axes)}


def test_a_known_table_is_suppressed_as_expected() -> None:
    cells = {("F", "CN"): 12, ("F", "KH"): 3, ("F", "LA"): 7,
             ("M", "CN"): 9, ("M", "KH"): 6, ("M", "LA"): 0}
    table = suppress(full_table(cells), [True, True], k=5)
    assert table.display(("F", "KH")) == "<5"
    assert table.states[("F", "KH")] is CellState.PRIMARY
    # Alone in its row and column, the 3 would follow from the totals: complements are chosen.
    assert differencing(table, [True, True]) == set()
    assert linear_algebra(table, [True, True]) == set()
    assert integer_search(table, [True, True]) == set()
    assert table.display(("M", "LA")) == "0"  # zeros are shown
    assert table.display((TOTAL, TOTAL)) == "37"
    withheld = {key for key in table.withheld if table.states[key] is CellState.SECONDARY}
    assert withheld and all(table.display(key) == "x" for key in withheld)


def test_nothing_small_is_withheld_needlessly() -> None:
    cells = {("a", "x"): 10, ("a", "y"): 20, ("b", "x"): 30, ("b", "y"): 40}
    table = suppress(full_table(cells), [True, True])
    assert table.withheld == frozenset()
    assert table.display(("b", TOTAL)) == "70"


def test_small_totals_are_suppressed_too() -> None:
    cells = {("a", "x"): 2, ("a", "y"): 1, ("b", "x"): 30, ("b", "y"): 40}
    table = suppress(full_table(cells), [True, True])
    assert table.display(("a", TOTAL)) == "<5"
    assert table.display(("a", "x")) == "<5"
    assert linear_algebra(table, [True, True]) == set()
    assert integer_search(table, [True, True]) == set()


def test_a_table_below_k_in_total_reveals_nothing() -> None:
    table = suppress(full_table({("a",): 3}), [True])
    assert table.display(("a",)) == "<5" and table.display((TOTAL,)) == "<5"
    assert integer_search(table, [True]) == set()


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("shape", [(4, 3), (3, 3, 2), (5,), (2, 2, 2, 2)])
def test_no_withheld_value_is_recoverable(seed: int, shape: tuple[int, ...]) -> None:
    rng = random.Random(seed * 31 + len(shape))
    cells = random_cells(rng, shape)
    additive = [True] * len(shape)
    table = suppress(full_table(cells), additive, k=5)
    primary = {key for key, v in table.values.items() if 0 < v < 5}
    assert primary <= table.withheld
    assert differencing(table, additive) == set()
    assert linear_algebra(table, additive) == set()
    if len(table.withheld) <= 14:
        assert integer_search(table, additive) == set()


@pytest.mark.parametrize("seed", range(15))
def test_multi_response_dimension_is_protected(seed: int) -> None:
    rng = random.Random(1000 + seed)
    # Persons in two groups; each has one or two forms (multi-response on position 1).
    forms = ["f1", "f2", "f3"]
    persons = []
    for group in ("g1", "g2"):
        for _ in range(rng.randint(3, 14)):
            persons.append((group, rng.sample(forms, rng.choice([1, 1, 2]))))
    values: dict[tuple[str, ...], int] = {}
    for group, chosen in persons:
        for key in ((group, TOTAL), (TOTAL, TOTAL)):
            values[key] = values.get(key, 0) + 1
        for form in chosen:
            for key in ((group, form), (TOTAL, form)):
                values[key] = values.get(key, 0) + 1
    additive = [True, False]
    table = suppress(values, additive, k=5)
    assert differencing(table, additive) == set()
    assert linear_algebra(table, additive) == set()
    if len(table.withheld) <= 12:
        assert integer_search(table, additive) == set()


def test_threshold_is_configurable_and_checked() -> None:
    cells = {("a",): 6, ("b",): 9}
    assert suppress(full_table(cells), [True], k=10).display(("a",)) == "<10"
    assert suppress(full_table(cells), [True], k=3).display(("a",)) == "6"
    with pytest.raises(ValueError):
        suppress(full_table(cells), [True], k=1)


def test_the_attacks_do_find_a_naive_suppression() -> None:
    """Negative control: primary suppression alone, or a weak complement, is broken."""
    from repatriation.domain.suppression import SuppressedTable

    cells = {("F", "CN"): 12, ("F", "KH"): 3, ("M", "CN"): 9, ("M", "KH"): 6}
    values = full_table(cells)
    only_primary = SuppressedTable(5, values, {key: CellState.PRIMARY if 0 < v < 5 else
                                               CellState.SHOWN for key, v in values.items()})
    assert ("F", "KH") in differencing(only_primary, [True, True])
    assert ("F", "KH") in linear_algebra(only_primary, [True, True])
    # A row of 1 + 5 = 6: withholding the 5 as "x" (so >= 5) still pins the "<5" to 1.
    weak_values = full_table({("a", "x"): 1, ("a", "y"): 5, ("b", "x"): 20, ("b", "y"): 20})
    weak = SuppressedTable(5, weak_values, {
        key: CellState.PRIMARY if key == ("a", "x") else
        CellState.SECONDARY if key in {("a", "y"), ("b", "x"), ("b", "y")} else CellState.SHOWN
        for key in weak_values})
    assert linear_algebra(weak, [True, True]) == set()
    assert ("a", "x") in integer_search(weak, [True, True])
    # The real algorithm protects the same table.
    assert integer_search(suppress(weak_values, [True, True]), [True, True]) == set()
