"""Reference data content: code lists, the 2025 province merger, gates, agencies, search."""

from __future__ import annotations

from datetime import date

import pytest

from repatriation.domain.enums import Corridor, PlaceKind
from repatriation.domain.errors import NotFoundError
from repatriation.domain.text import fold
from repatriation.reference import (
    NEW_SCHEME,
    OLD_SCHEME,
    ReferenceData,
    load_reference_data,
)

# domain.md 7.1, typed in from Resolution 202/2025/QH15 coverage (short names).
MERGERS = {
    "Tuyên Quang": {"Tuyên Quang", "Hà Giang"},
    "Lào Cai": {"Lào Cai", "Yên Bái"},
    "Thái Nguyên": {"Thái Nguyên", "Bắc Kạn"},
    "Phú Thọ": {"Phú Thọ", "Vĩnh Phúc", "Hòa Bình"},
    "Bắc Ninh": {"Bắc Ninh", "Bắc Giang"},
    "Hưng Yên": {"Hưng Yên", "Thái Bình"},
    "Hải Phòng": {"Hải Phòng", "Hải Dương"},
    "Ninh Bình": {"Ninh Bình", "Hà Nam", "Nam Định"},
    "Quảng Trị": {"Quảng Trị", "Quảng Bình"},
    "Đà Nẵng": {"Đà Nẵng", "Quảng Nam"},
    "Quảng Ngãi": {"Quảng Ngãi", "Kon Tum"},
    "Gia Lai": {"Gia Lai", "Bình Định"},
    "Khánh Hòa": {"Khánh Hòa", "Ninh Thuận"},
    "Lâm Đồng": {"Lâm Đồng", "Đắk Nông", "Bình Thuận"},
    "Đắk Lắk": {"Đắk Lắk", "Phú Yên"},
    "Hồ Chí Minh": {"Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"},
    "Đồng Nai": {"Đồng Nai", "Bình Phước"},
    "Tây Ninh": {"Tây Ninh", "Long An"},
    "Cần Thơ": {"Cần Thơ", "Sóc Trăng", "Hậu Giang"},
    "Vĩnh Long": {"Vĩnh Long", "Bến Tre", "Trà Vinh"},
    "Đồng Tháp": {"Đồng Tháp", "Tiền Giang"},
    "Cà Mau": {"Cà Mau", "Bạc Liêu"},
    "An Giang": {"An Giang", "Kiên Giang"},
}
UNCHANGED = {"Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh",
             "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng"}
# domain.md 4.3: gate -> (old province, new province), by name.
GATE_PROVINCES = {
    "CN-THANHTHUY": ("Hà Giang", "Tuyên Quang"),
    "CN-LAOCAI": ("Lào Cai", "Lào Cai"),
    "LA-CHALO": ("Quảng Bình", "Quảng Trị"),
    "LA-BOY": ("Kon Tum", "Quảng Ngãi"),
    "KH-HOALU": ("Bình Phước", "Đồng Nai"),
    "KH-BINHHIEP": ("Long An", "Tây Ninh"),
    "KH-HATIEN": ("Kiên Giang", "An Giang"),
    "KH-MOCBAI": ("Tây Ninh", "Tây Ninh"),
}


@pytest.fixture(scope="module")
def ref() -> ReferenceData:
    return load_reference_data()


def _short(name: str) -> str:
    return name.removeprefix("Tỉnh ").removeprefix("Thành phố ")


def test_ethnic_groups_are_the_54_gso_groups_plus_foreigner_and_unknown(ref: ReferenceData):
    codes = [g.code for g in ref.ethnic_groups]
    assert len(codes) == 56 == len(set(codes))
    assert set(codes) == {f"{i:02d}" for i in range(1, 55)} | {"55", "99"}
    assert ref.ethnic("08").name_vi == "H'Mông"
    assert ref.ethnic("05").name_en == "Khmer"
    assert all(g.name_vi and g.name_en for g in ref.ethnic_groups)


def test_unknown_codes_raise_not_found(ref: ReferenceData):
    for lookup, code in ((ref.ethnic, "77"), (ref.gate, "CN-NOWHERE"), (ref.province, "N99"),
                         (ref.agency, "VN-NOBODY")):
        with pytest.raises(NotFoundError):
            lookup(code)


def test_63_old_and_34_new_provinces_each_old_in_exactly_one_new(ref: ReferenceData):
    assert len(ref.provinces_old) == 63 and len(ref.provinces_new) == 34
    assert {p.scheme for p in ref.provinces_old} == {OLD_SCHEME}
    assert {p.scheme for p in ref.provinces_new} == {NEW_SCHEME}
    new_codes = {p.code for p in ref.provinces_new}
    assert all(p.successor_code in new_codes for p in ref.provinces_old)
    assert all(p.successor_code is None for p in ref.provinces_new)
    # Every new unit absorbs at least one old one.
    assert {p.successor_code for p in ref.provinces_old} == new_codes


def test_merges_of_resolution_202_hold(ref: ReferenceData):
    constituents: dict[str, set[str]] = {}
    for old in ref.provinces_old:
        new = ref.new_province_for_old(old.code)
        constituents.setdefault(_short(new.name), set()).add(_short(old.name))
    for new_name, olds in MERGERS.items():
        assert constituents[new_name] == olds, new_name
    for name in UNCHANGED:
        assert constituents[name] == {name}
    assert len(MERGERS) + len(UNCHANGED) == 34


def test_codes_are_official_and_schemes_do_not_collide(ref: ReferenceData):
    # "15" is Yen Bai in the old list and Lao Cai in the new one: the prefix keeps them apart.
    assert _short(ref.province("15").name) == "Yên Bái"
    assert _short(ref.province("N15").name) == "Lào Cai"
    assert ref.province("N15").gso_code == "15"
    assert _short(ref.new_province_for_old("02").name) == "Tuyên Quang"
    assert _short(ref.new_province_for_old("91").name) == "An Giang"
    with pytest.raises(NotFoundError):
        ref.new_province_for_old("N15")


def test_gates_cover_three_corridors_with_valid_provinces(ref: ReferenceData):
    for corridor in (Corridor.CHINA, Corridor.CAMBODIA, Corridor.LAO):
        assert len(ref.gates_for(corridor)) >= 8
    assert ref.gates_for(Corridor.OTHER) == ()
    kinds = {g.kind for g in ref.gates}
    assert {PlaceKind.GATE, PlaceKind.AUXILIARY_GATE, PlaceKind.BORDER_MARKER} <= kinds
    for gate in ref.gates:
        assert gate.code.startswith(f"{gate.corridor.value}-")
        assert gate.province_old and gate.province_new
        assert ref.new_province_for_old(gate.province_old).code == gate.province_new
    for code, (old_name, new_name) in GATE_PROVINCES.items():
        gate = ref.gate(code)
        assert _short(ref.province(gate.province_old or "").name) == old_name
        assert _short(ref.province(gate.province_new or "").name) == new_name


def test_gate_validity_dates(ref: ReferenceData):
    def codes(corridor: Corridor, on: date) -> set[str]:
        return {g.code for g in ref.gates_for(corridor, on)}

    assert ref.gate("CN-TRALINH").valid_from == date(2023, 12, 28)
    before, after = codes(Corridor.CHINA, date(2023, 12, 27)), codes(Corridor.CHINA, date(2023, 12, 28))
    assert "CN-TRALINH-MAIN" in before and "CN-TRALINH" not in before
    assert "CN-TRALINH" in after and "CN-TRALINH-MAIN" not in after
    assert ref.gate("KH-TANNAM").valid_from == date(2025, 12, 8)
    assert ref.gate("KH-TANNAM").kind is PlaceKind.GATE
    assert ref.gate("KH-TANNAM-AUX").kind is PlaceKind.AUXILIARY_GATE
    before, after = codes(Corridor.CAMBODIA, date(2025, 12, 7)), codes(Corridor.CAMBODIA, date(2025, 12, 8))
    assert "KH-TANNAM-AUX" in before and "KH-TANNAM" not in before
    assert "KH-TANNAM" in after and "KH-TANNAM-AUX" not in after
    # Without a date every version is listed; long-standing gates have no start date.
    assert {"CN-TRALINH", "CN-TRALINH-MAIN"} <= {g.code for g in ref.gates_for(Corridor.CHINA)}
    assert "KH-MOCBAI" in codes(Corridor.CAMBODIA, date(2000, 1, 1))
    assert ref.gate("CN-XINCAI-M450").kind is PlaceKind.BORDER_MARKER
    assert ref.gate("CN-BANVUOC").kind is PlaceKind.AUXILIARY_GATE


def test_counterpart_local_names_are_in_the_counterparts_script_or_empty(ref: ReferenceData):
    # Only names published by the counterpart are kept; the rest stay empty (Latin is printed).
    script = {Corridor.CHINA: (0x4E00, 0x9FFF), Corridor.CAMBODIA: (0x1780, 0x17FF),
              Corridor.LAO: (0x0E80, 0x0EFF)}
    for gate in ref.gates:
        assert gate.counterpart_name.isascii()
        low, high = script.get(gate.corridor, (0, -1))
        assert all(low <= ord(c) <= high for c in gate.counterpart_name_local), gate.code
    assert ref.gate("CN-LAOCAI").counterpart_name_local == "河口"
    assert ref.gate("KH-MOCBAI").counterpart_name_local == "បាវិត"


def test_agencies_are_dated_across_the_2025_reform(ref: ReferenceData):
    def on(day: date) -> set[str]:
        return {a.code for a in ref.agencies_on(day, "VN")}

    assert ref.agency("VN-PROV-DOLISA").valid_to == date(2025, 2, 28)
    assert ref.agency("VN-PROV-DOH").valid_from == date(2025, 3, 1)
    feb, mar = on(date(2025, 2, 28)), on(date(2025, 3, 1))
    assert {"VN-PROV-DOLISA", "VN-DIST-POLICE", "VN-MOLISA"} <= feb
    assert not {"VN-PROV-DOH", "VN-MOH-BTXH"} & feb
    assert {"VN-PROV-DOH", "VN-MOH-BTXH"} <= mar
    assert not {"VN-PROV-DOLISA", "VN-DIST-POLICE", "VN-MOLISA"} & mar
    assert "VN-PROV-BDBP" in on(date(2025, 6, 27)) and "VN-PROV-BCH-BDBP" in on(date(2025, 6, 28))
    countries = {a.country for a in ref.agencies}
    assert {"VN", "CN", "KH", "LA"} <= countries
    assert {a.code for a in ref.agencies_on(date(2026, 1, 1), "KH")} >= {"KH-NCCT", "KH-MOSVY"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [("meo", "08"), ("Mèo", "08"), ("hmong", "08"), ("man", "09"), ("khmer krom", "05"),
     ("yao", "09"), ("bru", "23"), ("nuoc ngoai", "55")],
)
def test_ethnic_search_by_alternative_name(ref: ReferenceData, query: str, expected: str):
    assert expected in ref.ethnic_codes_matching(fold(query))


def test_ethnic_search_is_precise_and_blank_matches_nothing(ref: ReferenceData):
    assert ref.ethnic_codes_matching("hmong") == ("08",)
    assert ref.ethnic_codes_matching("") == ()
    assert ref.ethnic_codes_matching("zzzz") == ()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ha giang", {"02", "N08"}),
        ("kien giang", {"91", "N91"}),
        ("sai gon", {"79", "N79"}),
        ("yen bai", {"15", "N15"}),
    ],
)
def test_province_search_spans_both_schemes(ref: ReferenceData, query: str, expected: set[str]):
    assert set(ref.province_codes_matching(query)) == expected


def test_province_search_by_new_name_finds_the_new_unit_and_its_namesake(ref: ReferenceData):
    found = set(ref.province_codes_matching(fold("Tuyên Quang")))
    assert found == {"08", "N08"}
    assert ref.province_codes_matching(" ") == ()


def test_reference_data_satisfies_the_services_port(ref: ReferenceData):
    from repatriation.services.ports import ReferenceLookup

    port: ReferenceLookup = ref
    assert port.version == ref.version
    assert port.gate("CN-LAOCAI").name_vi == "Lào Cai"
