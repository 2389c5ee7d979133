"""Read the shipped data files (or a post's overrides), check the manifest and decode strictly."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from repatriation.domain.codec import from_jsonable
from repatriation.domain.deadlines import DeadlineRule
from repatriation.domain.enums import VerificationKind
from repatriation.domain.errors import DomainError, ValidationError
from repatriation.reference.calendars import HolidayFile, OverrideFile
from repatriation.reference.models import Agency, BorderGate, EthnicGroup, Province

log = logging.getLogger(__name__)

T = TypeVar("T")

MANIFEST = "manifest.json"
ETHNIC = "ethnic_groups.json"
PROVINCES = "provinces.json"
GATES = "border_gates.json"
AGENCIES = "agencies.json"
RULES = "deadline_rules.json"
OVERRIDES = "holiday_overrides.json"
HOLIDAY_FILES = {"VN": "holidays_vn.json", "CN": "holidays_cn.json",
                 "KH": "holidays_kh.json", "LA": "holidays_la.json"}
DATA_FILES = (ETHNIC, PROVINCES, GATES, AGENCIES, RULES, OVERRIDES, *HOLIDAY_FILES.values())
# Rules may name a verification kind the domain does not define yet; they are skipped (and
# logged) until it does, instead of being forced onto a kind whose rule they would shadow.
PENDING_KINDS = frozenset({"exit_visa"})

_ENTRY_INDEX = re.compile(r"^\$\.(?:entries|holidays)\[(\d+)\]")


class ReferenceDataError(DomainError):
    """A data file is missing, altered, malformed or inconsistent; names the file and entry."""

    code = "reference_data"


@dataclass(frozen=True)
class EthnicFile:
    """``ethnic_groups.json``."""

    schema: int
    source: str
    entries: tuple[EthnicGroup, ...]


@dataclass(frozen=True)
class ProvinceFile:
    """``provinces.json``."""

    schema: int
    source: str
    entries: tuple[Province, ...]


@dataclass(frozen=True)
class GateFile:
    """``border_gates.json``; ``notes`` keeps the sourcing caveats per gate code."""

    schema: int
    source: str
    entries: tuple[BorderGate, ...]
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AgencyFile:
    """``agencies.json``."""

    schema: int
    source: str
    entries: tuple[Agency, ...]
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleFile:
    """``deadline_rules.json``."""

    schema: int
    source: str
    entries: tuple[DeadlineRule, ...]
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Manifest:
    """``manifest.json``: data version, generator versions and the SHA-256 of every file."""

    version: str
    generated_with: dict[str, str]
    files: dict[str, str]


@dataclass(frozen=True)
class RawFiles:
    """The decoded files of one load, plus the version string they amount to."""

    version: str
    ethnic: EthnicFile
    provinces: ProvinceFile
    gates: GateFile
    agencies: AgencyFile
    rules: RuleFile
    overrides: OverrideFile
    holidays: dict[str, HolidayFile]
    generated_with: dict[str, str]


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def shipped_bytes(name: str) -> bytes:
    """The bytes of a data file shipped in the package."""
    try:
        return resources.files("repatriation.reference").joinpath("data", name).read_bytes()
    except OSError as exc:
        raise ReferenceDataError(file=name, reason=f"unreadable: {exc.strerror}") from None


def _parse(name: str, data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReferenceDataError(file=name, reason=f"not JSON: {exc}") from None


def decode(cls: type[T], name: str, raw: Any) -> T:
    """Decode one file strictly, turning a codec error into one naming the file and entry."""
    try:
        return from_jsonable(cls, raw)
    except ValidationError as exc:
        path = str(exc.params.get("path", "$"))
        detail = exc.params.get("field") or exc.params.get("value") or exc.params.get("expected")
        raise ReferenceDataError(
            file=name, entry=_entry_label(raw, path), path=path,
            reason=f"{exc.code}: {detail}" if detail else exc.code,
        ) from None


def _entry_label(raw: Any, path: str) -> str:
    match = _ENTRY_INDEX.match(path)
    if not match or not isinstance(raw, dict):
        return ""
    items = raw.get("entries", raw.get("holidays"))
    index = int(match.group(1))
    if isinstance(items, list) and index < len(items) and isinstance(items[index], dict):
        item = items[index]
        return str(item.get("code") or item.get("date") or f"#{index}")
    return f"#{index}"


def _drop_pending_rules(raw: Any) -> Any:
    """Skip rules whose kind is announced in PENDING_KINDS but not yet in VerificationKind."""
    if not isinstance(raw, dict) or not isinstance(raw.get("entries"), list):
        return raw
    known = {k.value for k in VerificationKind}
    kept, skipped = [], set()
    for item in raw["entries"]:
        kind = item.get("kind") if isinstance(item, dict) else None
        if kind in PENDING_KINDS and kind not in known:
            log.info("deadline rule %s skipped: kind %r not in VerificationKind", item.get("code"),
                     kind)
            skipped.add(item.get("code"))
            continue
        kept.append(item)
    result = {**raw, "entries": kept}
    if isinstance(raw.get("notes"), dict):
        result["notes"] = {k: v for k, v in raw["notes"].items() if k not in skipped}
    return result


def read_files(override_dir: Path | None) -> RawFiles:
    """Read every data file, preferring ``override_dir``; shipped ones must match the manifest."""
    manifest = decode(Manifest, MANIFEST, _parse(MANIFEST, shipped_bytes(MANIFEST)))
    overridden: list[tuple[str, str]] = []
    parsed: dict[str, Any] = {}
    for name in DATA_FILES:
        local = override_dir / name if override_dir is not None else None
        if local is not None and local.is_file():
            data = local.read_bytes()
            overridden.append((name, sha256_hex(data)))
        else:
            data = shipped_bytes(name)
            expected = manifest.files.get(name)
            if expected != sha256_hex(data):
                # Editing a shipped file without rebuilding the manifest is a release error:
                # refuse rather than normalise addresses under a version that lies.
                raise ReferenceDataError(file=name, reason="hash differs from manifest.json "
                                         "(run tools/build_reference.py --manifest)")
        parsed[name] = _parse(name, data)
    if override_dir is not None:
        _warn_unknown(override_dir)
    version = manifest.version
    if overridden:
        digest = sha256_hex("".join(f"{n}:{h};" for n, h in overridden).encode())[:8]
        version = f"{version}+local.{digest}"
    return RawFiles(
        version=version,
        ethnic=decode(EthnicFile, ETHNIC, parsed[ETHNIC]),
        provinces=decode(ProvinceFile, PROVINCES, parsed[PROVINCES]),
        gates=decode(GateFile, GATES, parsed[GATES]),
        agencies=decode(AgencyFile, AGENCIES, parsed[AGENCIES]),
        rules=decode(RuleFile, RULES, _drop_pending_rules(parsed[RULES])),
        overrides=decode(OverrideFile, OVERRIDES, parsed[OVERRIDES]),
        holidays={cc: decode(HolidayFile, name, parsed[name])
                  for cc, name in HOLIDAY_FILES.items()},
        generated_with=dict(manifest.generated_with),
    )


def _warn_unknown(override_dir: Path) -> None:
    for path in sorted(override_dir.glob("*.json")):
        if path.name not in DATA_FILES:
            log.warning("reference override %s ignored: not a reference data file name", path)
