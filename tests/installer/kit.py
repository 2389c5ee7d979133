"""Shared helpers for the installer tests: cheap key-derivation costs and a fixed set of answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from repatriation.bootstrap import build_services
from repatriation.config import Settings
from repatriation.crypto import keystore
from repatriation.crypto.key_adapter import PostKeyCrypto
from repatriation.crypto.keyslots import KdfParams
from repatriation.crypto.passwords import Argon2Params, Argon2PasswordHasher
from repatriation.domain.key_directory import AgencyKind
from repatriation.first_run import FirstRun
from repatriation.services.accounts import AccountService
from repatriation.services.bundle_keys import KeyService
from repatriation.services.first_run_answers import FirstRunAnswers, PostProfile
from repatriation.storage.database import Engine

# Real Argon2id, minimal cost: the tests check behaviour, not the cost (bench/ measures that).
CHEAP_VAULT = KdfParams(memory_kib=19 * 1024, iterations=2, lanes=1)
CHEAP_KEYSTORE = keystore.KdfParams(memory_kib=8192, iterations=1, lanes=1)
CHEAP_HASH = Argon2Params(memory_kib=19 * 1024, iterations=2, lanes=1)


def cheap_build(settings: Settings, *, engine: Engine | None = None) -> Any:
    """``build_services`` with a cheap password hasher."""
    services = build_services(settings, engine=engine)
    services.accounts = AccountService(
        services.uow_factory, services.clock, hasher=Argon2PasswordHasher(CHEAP_HASH)
    )
    return services


def cheap_keys(services: Any) -> KeyService:
    """The real key service with a cheap key-store KDF."""
    return KeyService(
        services.uow_factory,
        services.clock,
        services.settings.data_dir,
        PostKeyCrypto(CHEAP_KEYSTORE),
        own_kind=AgencyKind(services.settings.agency_kind),
    )


def cheap_first_run(data_dir: Path, **kwargs: Any) -> FirstRun:
    """A ``FirstRun`` on ``data_dir`` using the real services at low KDF cost."""
    kwargs.setdefault("keys_for", cheap_keys)
    return FirstRun(Settings(data_dir=data_dir), build=cheap_build, vault_kdf=CHEAP_VAULT, **kwargs)


def answers(**changes: Any) -> FirstRunAnswers:
    """Fictitious answers (made-up post and people)."""
    values: dict[str, Any] = {
        "language": "km",
        "profile": PostProfile(" Đồn Biên phòng Thử Nghiệm ", "tn", "KH", "KH-MOCBAI"),
        "username": "Chi.Huy",
        "password": "mật khẩu rất dài 2026",
        "display_name": " Nguyễn Văn Thử ",
        "key_passphrase": "apple-banana-cherry-delta",
    }
    values.update(changes)
    return FirstRunAnswers(**values)
