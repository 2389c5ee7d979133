"""Settings: where data lives, which database, the post profile; stored beside the data."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from platformdirs import user_data_dir

from repatriation.domain.errors import ValidationError
from repatriation.files import atomic_write_bytes

APP_NAME = "RepatriationDesk"
SETTINGS_FILE = "settings.json"
SQLITE_FILE_NAME = "repatriation.sqlite3"  # the embedded database inside the data directory
ENV_DATA_DIR = "REPATRIATION_DATA_DIR"


def default_data_dir() -> Path:
    """The platform's per-user data directory (or ``$REPATRIATION_DATA_DIR``)."""
    override = os.environ.get(ENV_DATA_DIR)
    return Path(override) if override else Path(user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class Settings:
    """Everything the composition root needs to build the services."""

    data_dir: Path
    database_url: str | None = None  # None: the embedded SQLite file in data_dir
    post_code: str = "LC"  # prefix of case references, e.g. LC-2026-000001
    agency_kind: str = "border_post"  # what this desk is: border_post or reception_centre
    post_name: str = "Đồn Biên phòng Cửa khẩu Quốc tế Lào Cai (demo)"
    gate_code: str | None = None
    corridor: str = "CN"
    language: str = "vi"
    idle_lock_minutes: int = 5

    @property
    def reference_override_dir(self) -> Path:
        """Where a post puts its own deadline rules or holiday overrides."""
        return self.data_dir / "reference"

    @property
    def attachments_dir(self) -> Path:
        """Where attachment files are stored."""
        return self.data_dir / "attachments"


_FILE_FIELDS = (
    "database_url",
    "post_code",
    "agency_kind",
    "post_name",
    "gate_code",
    "corridor",
    "language",
    "idle_lock_minutes",
)


def load_settings(data_dir: Path | None = None) -> Settings:
    """Read ``settings.json`` from the data directory; defaults where it is absent."""
    directory = Path(data_dir) if data_dir else default_data_dir()
    settings = Settings(data_dir=directory)
    path = directory / SETTINGS_FILE
    if not path.exists():
        return settings
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ValidationError("settings_unreadable", path=str(path)) from None
    if not isinstance(stored, dict):
        raise ValidationError("settings_unreadable", path=str(path))
    known = {k: v for k, v in stored.items() if k in _FILE_FIELDS}
    return replace(settings, **known)


def save_settings(settings: Settings) -> None:
    """Write the settings atomically."""
    data = {k: v for k, v in asdict(settings).items() if k in _FILE_FIELDS}
    payload = json.dumps(data, ensure_ascii=False, indent=2).encode()
    atomic_write_bytes(settings.data_dir / SETTINGS_FILE, payload)
