"""Shared helpers for the vault tests: a cheap KDF, fictitious cases, raw-byte canary search."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from repatriation.bootstrap import Services, build_services
from repatriation.config import Settings
from repatriation.domain.actors import Actor, Role
from repatriation.domain.enums import Corridor, ReturnChannel, Sex
from repatriation.domain.people import Person
from repatriation.services.cases import CaseDraft
from repatriation.vault import Credentials, KdfParams, open_engine_for

# The floor every slot must meet (19 MiB, t=2): production slots use 64 MiB, t=3, p=4.
FAST_KDF = KdfParams(memory_kib=19 * 1024, iterations=2, lanes=1)
PASSWORD = "correct horse battery"
OFFICER = Actor("tuan", Role.RECEPTION)
# A made-up token that appears nowhere else: any hit in raw bytes is a leak of personal data.
CANARY = "Zqxcanaryvy"


def draft(n: int, family: str = CANARY) -> CaseDraft:
    person = Person(family_name=family, middle_name="Thị", given_name=f"Lành {n}", sex=Sex.FEMALE)
    return CaseDraft(
        person=person,
        channel=ReturnChannel.RESCUE,
        corridor=Corridor.CHINA,
        received_on=date(2026, 2, 1),
        notes=f"{CANARY} note {n}",
    )


def services_for(data_dir: Path, credentials: Credentials | None) -> Services:
    settings = Settings(data_dir=data_dir)
    return build_services(settings, engine=open_engine_for(settings, credentials))


def canary_hits(paths: list[Path]) -> list[str]:
    """Files whose raw bytes contain the canary (any case, UTF-8 or UTF-16), like `strings` would."""
    needles = [CANARY.lower().encode(), CANARY.lower().encode("utf-16-le")]
    hits = []
    for path in paths:
        if path.exists():
            data = path.read_bytes().lower()
            if any(n in data for n in needles):
                hits.append(path.name)
    return hits
