"""Two posts with their own data directories, keys and directories, for bundle service tests.

All names, numbers and dates are fictitious.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from repatriation.bootstrap import Services, build_services
from repatriation.config import SQLITE_FILE_NAME, Settings
from repatriation.crypto.bundle_adapter import AgeBundles
from repatriation.crypto.key_adapter import PostKeyCrypto
from repatriation.crypto.keystore import KdfParams, KeyStore
from repatriation.domain.actors import Actor, Role
from repatriation.domain.care import ConsentRecord, Reception, Screening
from repatriation.domain.case import Case
from repatriation.domain.clock import FixedClock
from repatriation.domain.enums import (
    AgeConfidence,
    ConsentScope,
    ConsentSubject,
    Corridor,
    DocumentKind,
    ExploitationForm,
    ReturnChannel,
    ScreeningStatus,
    Sex,
)
from repatriation.domain.errors import NotFoundError
from repatriation.domain.key_directory import AgencyKind
from repatriation.domain.people import Attachment, BirthInfo, IdentityDocument, Person
from repatriation.services.bundle_keys import KeyService
from repatriation.services.bundles import BundleService
from repatriation.services.demo_desk import create_demo_accounts, mark_demo_desk

OFFICER = Actor("officer.test", Role.SUPERVISOR)
PASSPHRASE = "test passphrase for the post key"
FAST_KDF = KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)


@dataclass
class FakeAttachments:
    """An in-memory attachment store (the real one encrypts files under the vault key)."""

    files: dict[str, bytes] = field(default_factory=dict)

    def store(self, data: bytes, file_name: str, media_type: str,
              kind: str = "photo") -> Attachment:
        sha = hashlib.sha256(data).hexdigest()
        self.files[sha] = data
        return Attachment(sha, file_name, media_type, len(data), kind)

    def load(self, sha256_hex: str) -> bytes:
        try:
            return self.files[sha256_hex]
        except KeyError:
            raise NotFoundError("attachment_missing") from None

    def blocks(self, sha256_hex: str) -> Iterator[bytes]:
        yield self.load(sha256_hex)

    def sealer(self, sink: BinaryIO, sha256_hex: str) -> BinaryIO:
        return sink  # the fake keeps contents in clear

    def adopt(self, staged: Path, sha256_hex: str, size: int, file_name: str,
              media_type: str, kind: str = "photo") -> Attachment:
        self.files[sha256_hex] = staged.read_bytes()
        return Attachment(sha256_hex, file_name, media_type, size, kind)

    def contains(self, sha256_hex: str) -> bool:
        return sha256_hex in self.files

    def remove(self, sha256_hex: str) -> bool:
        return self.files.pop(sha256_hex, None) is not None


@dataclass
class Post:
    name: str
    data_dir: Path
    services: Services
    keys: KeyService
    bundles: BundleService
    attachments: FakeAttachments
    keystore: KeyStore

    def database_fingerprint(self) -> str:
        """SHA-256 of the SQLite file and its WAL: equal means byte-for-byte unchanged."""
        digest = hashlib.sha256()
        for suffix in ("", "-wal"):
            path = self.data_dir / f"{SQLITE_FILE_NAME}{suffix}"
            digest.update(path.read_bytes() if path.exists() else b"-")
        return digest.hexdigest()

    def add_case(self, case: Case) -> None:
        with self.services.uow_factory() as uow:
            uow.cases.add(case)
            uow.commit()

    def case(self, reference: str) -> Case:
        with self.services.uow_factory() as uow:
            return uow.cases.get(reference)

    def cli_sign_in(self) -> tuple[list[str], str]:
        """Make this post a demo desk with its demo accounts, so ``main.py`` runs on it.

        Returns the sign-in arguments (``--data-dir``, ``--user`` of the demo supervisor) and the
        password to put in ``$REPATRIATION_PASSWORD``: the CLI runs only as a signed-in account.
        """
        mark_demo_desk(self.data_dir)
        _, made = create_demo_accounts(self.services.accounts)
        boss = next(account for account in made if account.role is Role.SUPERVISOR)
        return ["--lang", "en", "--data-dir", str(self.data_dir), "--user", boss.username], boss.password


def make_post(root: Path, name: str, clock: FixedClock, agency: str | None = None) -> Post:
    data_dir = root / name
    data_dir.mkdir(parents=True)
    services = build_services(Settings(data_dir=data_dir, post_code=name[:2].upper()),
                              clock=clock)
    attachments = FakeAttachments()
    keys = KeyService(services.uow_factory, clock, data_dir, PostKeyCrypto(FAST_KDF))
    keys.generate(OFFICER, agency or f"{name} agency", PASSPHRASE)
    bundles = BundleService(services.uow_factory, clock, keys, crypto=AgeBundles(),
                            attachments=attachments, staging_parent=data_dir)
    return Post(name, data_dir, services, keys, bundles, attachments, keys.unlock(PASSPHRASE))


def introduce(receiver: Post, sender: Post, verify: bool = True,
              kind: AgencyKind = AgencyKind.BORDER_POST, country: str = "") -> str:
    """``receiver`` adds ``sender``'s key card (and checks the fingerprint); returns the key id."""
    entry = receiver.keys.add(OFFICER, sender.keys.card(), kind=kind, country=country)
    if verify:
        receiver.keys.verify(OFFICER, entry.key_id)
    return entry.key_id


def two_posts(root: Path, clock: FixedClock) -> tuple[Post, Post]:
    """Two posts that added and verified each other's key cards."""
    a = make_post(root, "lc", clock)
    b = make_post(root, "hk", clock)
    introduce(b, a)
    introduce(a, b)
    return a, b


def sample_case(reference: str, post: Post, photo: bytes | None = None,
                family_name: str = "Test") -> Case:
    photos: tuple[Attachment, ...] = ()
    if photo is not None:
        photos = (post.attachments.store(photo, "photo-1.jpg", "image/jpeg"),)
    consents = tuple(
        ConsentRecord(subject, scope, True, date(2026, 2, 20), given_by="fictitious")
        for subject in (ConsentSubject.CHILD, ConsentSubject.REPRESENTATIVE)
        for scope in (ConsentScope.SHARE_WITH_AGENCIES, ConsentScope.SHARE_ABROAD)
    )
    person = Person(
        family_name=family_name, given_name="Thi Mau", middle_name="Van",
        sex=Sex.FEMALE, birth=BirthInfo(date(2011, 5, 4), confidence=AgeConfidence.DOCUMENTED),
        ethnic_code="01", documents=(IdentityDocument(DocumentKind.CITIZEN_ID, "000111222333"),),
        photos=photos, place_of_birth="Fictitious commune",
    )
    return Case(
        reference=reference, person=person, channel=ReturnChannel.OFFICIAL_HANDOVER,
        corridor=Corridor.CHINA, received_on=date(2026, 2, 18), gate_code=None,
        post_code="LC", consents=consents,
        screening=Screening(ScreeningStatus.IDENTIFIED_VICTIM,
                            (ExploitationForm.FORCED_MARRIAGE,), date(2026, 2, 19), "officer"),
        reception=Reception("Fictitious social protection centre", date(2026, 2, 21)),
        health_notes="fictitious health note", exploitation_narrative="fictitious narrative",
        notes="fictitious note",
    )


def now() -> datetime:
    return datetime(2026, 3, 2, 9, 30)
