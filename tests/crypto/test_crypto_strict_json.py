"""Strict JSON: the refusals Python's json module does not make, and nothing else escapes."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repatriation.domain.bundle_errors import BundleError, SchemaError, TooDeepError, TooLargeError
from repatriation.domain.strict_json import canonical_json, loads_strict


def _load(data: bytes, max_bytes: int = 10_000, max_depth: int = 32) -> object:
    return loads_strict(data, what="doc.json", max_bytes=max_bytes, max_depth=max_depth)


@pytest.mark.parametrize(("document", "reason"), [
    (b'{"a": 1, "a": 2}', "duplicate_key"),
    (b'{"a": NaN}', "non_finite_number"),
    (b'[Infinity]', "non_finite_number"),
    (b'[-Infinity]', "non_finite_number"),
    (b'[1e999]', "non_finite_number"),
    (b'{"a": 1', "invalid_json"),
    (b'\xff\xfe', "not_utf8"),
    (b'["\\ud800"]', "lone_surrogate"),
    (b'[' + b'9' * 5000 + b']', "number_too_long"),
])
def test_refusals(document: bytes, reason: str) -> None:
    with pytest.raises(SchemaError) as caught:
        _load(document)
    assert caught.value.params["reason"] == reason
    assert caught.value.params["what"] == "doc.json"


def test_depth_and_size_caps() -> None:
    assert _load(b"[" * 32 + b"]" * 32) is not None
    with pytest.raises(TooDeepError):
        _load(b"[" * 33 + b"]" * 33)
    with pytest.raises(TooDeepError):
        _load(b'{"a":' * 40 + b"1" + b"}" * 40)
    with pytest.raises(TooDeepError):  # deeper than the C parser's recursion limit
        _load(b"[" * 100_000 + b"]" * 100_000, max_bytes=10**6)
    with pytest.raises(TooLargeError):
        _load(b"[" + b"1," * 6000 + b"1]")


def test_canonical_form_is_stable() -> None:
    value = {"b": [1, "Nguyễn"], "a": {"z": None, "y": True}}
    encoded = canonical_json(value)
    assert encoded == '{"a":{"y":true,"z":null},"b":[1,"Nguyễn"]}'.encode()
    assert _load(encoded) == value
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


@given(st.binary(max_size=300))
@settings(max_examples=500)
def test_random_bytes_raise_nothing_but_bundle_errors(data: bytes) -> None:
    with contextlib.suppress(BundleError):
        _load(data, max_depth=8)


@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children,
                                                                       max_size=4),
    max_leaves=20,
))
@settings(max_examples=100)
def test_round_trip_of_valid_documents(value: object) -> None:
    encoded = canonical_json(value)
    assert _load(encoded, max_bytes=10**6) == json.loads(encoded)


def test_error_paths_name_the_failing_node() -> None:
    with pytest.raises(SchemaError) as bad_text:
        _load(b'{"a":[1,{"b":"\\udc00"}]}')
    assert bad_text.value.where == "$.a[1].b"
    with pytest.raises(TooDeepError) as too_deep:
        _load(b'{"x":[[[1]]]}', max_depth=3)
    assert too_deep.value.where == "$.x[0][0]"


def test_wide_tree_under_a_deep_prefix_does_not_build_a_path_per_node() -> None:
    # Fuzz smoke RSS spikes: a path string per node (30 keys of 40 chars each) took 288 MB for this
    # 600 KB document; with lazy paths the check allocates nothing per node beyond a small tuple.
    import tracemalloc

    key = b'"' + b"k" * 40 + b'":'
    document = b"{" + key
    document = document * 30 + b"[" + b",".join([b"[]"] * 200_000) + b"]" + b"}" * 30
    tracemalloc.start()
    try:
        _load(document, max_bytes=1 << 20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 120 * 1024 * 1024, peak
