"""Address normalisation across the 2025 reform (uses the pinned vietnamadminunits data)."""

from __future__ import annotations

import json
import socket
import sqlite3
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from repatriation.reference import ReferenceData, load_reference_data


@pytest.fixture(scope="module")
def ref() -> ReferenceData:
    return load_reference_data()


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """The library geocodes online in convert_address; normalisation must never do that."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def _province(ref: ReferenceData, code: str | None) -> str:
    assert code is not None
    return ref.province(code).name


@pytest.mark.parametrize(
    ("written", "province", "commune"),
    [
        # Examples checked by hand against the 2025 reform's published lists.
        ("Xã Bản Vược, Huyện Bát Xát, Tỉnh Lào Cai", "Tỉnh Lào Cai", "Xã Bát Xát"),
        ("Phường Châu Phú A, Thành phố Châu Đốc, Tỉnh An Giang", "Tỉnh An Giang",
         "Phường Châu Đốc"),
        ("Thị trấn Sa Pa, Thị xã Sa Pa, Lào Cai", "Tỉnh Lào Cai", "Phường Sa Pa"),
        ("Xã Thanh Thủy, Huyện Vị Xuyên, Tỉnh Hà Giang", "Tỉnh Tuyên Quang", "Xã Thanh Thủy"),
    ],
)
def test_old_address_gets_both_schemes(ref: ReferenceData, written: str, province: str,
                                       commune: str):
    match = ref.normalise_address(written)
    addr = match.address
    assert not match.ambiguous and match.candidates == ()
    assert addr.as_written == written
    assert addr.reference_version == ref.version
    assert _province(ref, addr.province_new) == province
    assert addr.province_new == ref.new_province_for_old(addr.province_old or "").code
    assert addr.commune_old and addr.commune_new
    assert ref.commune_label(addr.commune_new) == f"{commune}, {province}"
    old_commune = written.split(",")[0].strip()
    assert ref.commune_label(addr.commune_old, "old").startswith(old_commune.replace("Thị trấn",
                                                                                     "Phường"))


def test_ban_vuoc_keeps_old_codes(ref: ReferenceData):
    addr = ref.normalise_address("Xã Bản Vược, Huyện Bát Xát, Tỉnh Lào Cai").address
    assert _province(ref, addr.province_old) == "Tỉnh Lào Cai"
    assert addr.province_old == "10" and addr.province_new == "N15"


def test_split_commune_is_ambiguous_not_guessed(ref: ReferenceData):
    match = ref.normalise_address("Thôn 3, Xã Tân Thạnh, Huyện Thới Lai, Thành phố Cần Thơ")
    assert match.ambiguous
    assert match.address.commune_new is None
    assert match.address.commune_old is not None
    assert _province(ref, match.address.province_new) == "Thành phố Cần Thơ"
    labels = {ref.commune_label(c) for c in match.candidates}
    assert len(labels) == len(match.candidates) >= 2
    assert all(label.endswith(", Thành phố Cần Thơ") for label in labels)


def _library_rows() -> tuple[dict[str, list[str]], sqlite3.Connection]:
    import vietnamadminunits

    data = Path(vietnamadminunits.__file__).parent / "data"
    table = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))
    divided = {k: [w["newWardKey"] for w in v] for p in table["DICT_PROVINCE_WARD_DIVIDED"].values()
               for k, v in p.items()}
    return divided, sqlite3.connect(f"file:{data / 'dataset.db'}?mode=ro", uri=True)


def test_every_sampled_split_commune_is_reported_with_all_its_parts(ref: ReferenceData):
    divided, conn = _library_rows()
    checked = 0
    for old_key in sorted(divided)[::12]:  # about 40 of the 471 split communes
        province_key, district_key, ward_key = old_key.split("_")
        row = conn.execute("SELECT ward, district, province FROM admin_units_legacy WHERE "
                           "provinceKey=? AND districtKey=? AND wardKey=?",
                           (province_key, district_key, ward_key)).fetchone()
        if row is None:
            continue
        match = ref.normalise_address(", ".join(row))
        assert match.ambiguous, row
        assert len(match.candidates) == len(set(divided[old_key])), row
        checked += 1
    conn.close()
    assert checked >= 30


def test_new_scheme_address(ref: ReferenceData):
    match = ref.normalise_address("Xã Bát Xát, Tỉnh Lào Cai")
    addr = match.address
    assert not match.ambiguous
    assert addr.province_new == "N15" and addr.commune_new
    assert ref.commune_label(addr.commune_new) == "Xã Bát Xát, Tỉnh Lào Cai"
    # Five old communes merged into it: the old province is known, the old commune is not.
    assert addr.province_old == "10" and addr.commune_old is None


def test_old_district_without_commune_is_not_read_as_a_new_commune(ref: ReferenceData):
    addr = ref.normalise_address("Huyện Bát Xát, Tỉnh Lào Cai").address
    assert (addr.province_old, addr.province_new) == ("10", "N15")
    assert addr.commune_old is None and addr.commune_new is None


@pytest.mark.parametrize(
    ("written", "old", "new"),
    [("Tỉnh Hà Giang", "02", "N08"), ("Lào Cai", None, "N15"), ("Điện Biên", "11", "N11"),
     ("tinh kien giang", "91", "N91")],
)
def test_province_only(ref: ReferenceData, written: str, old: str | None, new: str):
    addr = ref.normalise_address(written).address
    assert (addr.province_old, addr.province_new) == (old, new)
    assert addr.commune_old is None and addr.commune_new is None


def test_nfd_input_and_unparseable_text(ref: ReferenceData):
    nfd = unicodedata.normalize("NFD", "Xã Bản Vược,  Huyện Bát Xát, Tỉnh Lào Cai")
    match = ref.normalise_address(nfd)
    assert match.address.as_written == "Xã Bản Vược, Huyện Bát Xát, Tỉnh Lào Cai"
    assert match.address.province_new == "N15"
    for text in ("", "   ", "no such place 123"):
        empty = ref.normalise_address(text).address
        assert empty.province_old is None and empty.province_new is None
        assert empty.reference_version == ref.version


def test_island_district_becomes_a_special_zone(ref: ReferenceData):
    addr = ref.normalise_address("Huyện Côn Đảo, Tỉnh Bà Rịa - Vũng Tàu").address
    assert (addr.province_old, addr.province_new) == ("77", "N79")
    assert addr.commune_new and ref.commune_label(addr.commune_new).startswith("Đặc khu Côn Đảo")
