"""The data files themselves: manifest hashes, NFC text, strict validation, override directory."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import repatriation.reference.loader as loader
from repatriation.domain.enums import Corridor, VerificationKind
from repatriation.reference import (
    ReferenceDataError,
    clear_reference_cache,
    load_reference_data,
)

DATA = Path(loader.__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]


def _json(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _write(directory: Path, name: str, doc: Any) -> None:
    (directory / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_manifest_lists_every_file_with_its_sha256():
    manifest = _json("manifest.json")
    assert re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", manifest["version"])
    assert set(manifest["files"]) == set(loader.DATA_FILES)
    on_disk = {p.name for p in DATA.glob("*.json")} - {"manifest.json"}
    assert on_disk == set(loader.DATA_FILES)
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == digest, name
    assert load_reference_data().version == manifest["version"]


def test_every_text_in_the_data_is_nfc():
    for name in loader.DATA_FILES:
        for text in _strings(_json(name)):
            assert unicodedata.normalize("NFC", text) == text, (name, text)


def test_generated_files_match_the_pinned_libraries():
    spec = importlib.util.spec_from_file_location("build_reference", ROOT / "tools" /
                                                  "build_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0


def test_load_is_cached():
    # Only the caching is asserted: a timed assert here failed on busy machines (0.3-0.5 s
    # under load) and proved nothing on a quiet one.
    clear_reference_cache()
    first = load_reference_data()
    assert load_reference_data() is first
    assert load_reference_data(None) is first


def test_tampered_shipped_file_is_refused(monkeypatch: pytest.MonkeyPatch):
    real = loader.shipped_bytes

    def tampered(name: str) -> bytes:
        data = real(name)
        return data.replace(b"Tr\xc3\xa0 L\xc4\xa9nh", b"Tra Linh") if name == "border_gates.json" else data

    monkeypatch.setattr(loader, "shipped_bytes", tampered)
    with pytest.raises(ReferenceDataError) as err:
        loader.read_files(None)
    assert err.value.params["file"] == "border_gates.json"
    assert "manifest" in str(err.value.params["reason"])


def test_override_dir_replaces_a_file_and_marks_the_version(tmp_path: Path):
    rules = _json("deadline_rules.json")
    rules["entries"].append({
        "code": "post_china_reply_30wd", "kind": "family_tracing", "amount": 30,
        "unit": "working", "legal_reference": "Post instruction 1/2026",
        "effective_from": "2026-01-01", "effective_to": None, "corridor": "CN",
        "before_event": False,
    })
    _write(tmp_path, "deadline_rules.json", rules)
    shipped = load_reference_data()
    local = load_reference_data(tmp_path)
    assert local is not shipped and load_reference_data(tmp_path) is local
    assert re.fullmatch(re.escape(shipped.version) + r"\+local\.[0-9a-f]{8}", local.version)
    rule = local.deadline_rules.find(VerificationKind.FAMILY_TRACING, Corridor.CHINA,
                                     date(2026, 3, 2))
    assert rule is not None and rule.code == "post_china_reply_30wd"
    assert rule.due_date(date(2026, 3, 2), local.calendar) > date(2026, 4, 1)
    assert shipped.deadline_rules.find(VerificationKind.FAMILY_TRACING, Corridor.CHINA,
                                       date(2026, 3, 2)) is None
    # Files that were not overridden are still the shipped ones.
    assert [g.code for g in local.gates] == [g.code for g in shipped.gates]


def test_holiday_overrides_add_remove_and_work(tmp_path: Path):
    _write(tmp_path, "holiday_overrides.json", {"schema": 1, "source": "test", "entries": [
        {"country": "VN", "date": "2026-03-02", "action": "add", "name": "Local day off",
         "reference": "Decision 1/2026"},
        {"country": "VN", "date": "2026-05-01", "action": "remove"},
        {"country": "VN", "date": "2026-03-07", "action": "work"},
        {"country": "CN", "date": "2026-03-03", "action": "add"},
    ]})
    shipped, local = load_reference_data(), load_reference_data(tmp_path)
    assert shipped.calendar.is_working_day(date(2026, 3, 2))
    assert not local.calendar.is_working_day(date(2026, 3, 2))
    assert local.calendar.is_working_day(date(2026, 5, 1))
    assert local.calendar.is_working_day(date(2026, 3, 7))  # a Saturday worked
    assert "3 overrides" in local.calendar.source
    assert not local.counterpart_calendar(Corridor.CHINA).is_working_day(date(2026, 3, 3))
    assert local.counterpart_calendar(Corridor.LAO).is_working_day(date(2026, 3, 3))


def _broken_gate(doc: dict[str, Any]) -> None:
    doc["entries"][3]["nickname"] = "x"


def _bad_successor(doc: dict[str, Any]) -> None:
    doc["entries"][0]["province_new"] = "N20"


def _bad_kind(doc: dict[str, Any]) -> None:
    doc["entries"][0]["kind"] = "checkpoint"


def _duplicate(doc: dict[str, Any]) -> None:
    doc["entries"].append(dict(doc["entries"][1]))


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [(_broken_gate, "unknown_field: nickname"), (_bad_successor, "successor"),
     (_bad_kind, "unknown_code"), (_duplicate, "duplicate")],
)
def test_bad_gate_file_is_refused_naming_file_and_entry(tmp_path: Path, mutate: Any, reason: str):
    doc = _json("border_gates.json")
    mutate(doc)
    _write(tmp_path, "border_gates.json", doc)
    with pytest.raises(ReferenceDataError) as err:
        load_reference_data(tmp_path)
    params = err.value.params
    assert params["file"] == "border_gates.json"
    assert params["entry"] in {e["code"] for e in doc["entries"]}
    assert reason in params["reason"]
    assert "border_gates.json" in str(err.value)


def test_overlapping_rules_and_bad_json_are_refused(tmp_path: Path):
    rules = _json("deadline_rules.json")
    clash = dict(rules["entries"][1], code="police_again", effective_from="2020-01-01")
    rules["entries"].append(clash)
    _write(tmp_path, "deadline_rules.json", rules)
    with pytest.raises(ReferenceDataError) as err:
        load_reference_data(tmp_path)
    assert err.value.params["entry"] == "police_again"
    assert "overlaps" in err.value.params["reason"]

    other = tmp_path / "other"
    other.mkdir()
    (other / "agencies.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ReferenceDataError) as err:
        load_reference_data(other)
    assert err.value.params["file"] == "agencies.json"


def test_unknown_override_file_is_ignored_with_a_warning(tmp_path: Path,
                                                         caplog: pytest.LogCaptureFixture):
    _write(tmp_path, "deadline_rule.json", {"oops": True})
    with caplog.at_level("WARNING"):
        data = load_reference_data(tmp_path)
    assert data.version == load_reference_data().version
    assert "deadline_rule.json" in caplog.text
