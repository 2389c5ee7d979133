"""Fake services for the desk's pages: real use cases over the in-memory fake database."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from repatriation.config import Settings
from repatriation.domain.actors import Actor, Role
from repatriation.domain.clock import FixedClock
from repatriation.domain.errors import DomainError
from repatriation.domain.people import Attachment
from repatriation.reference import ReferenceData, load_reference_data
from repatriation.services.cases import CaseService
from repatriation.services.demo import DemoService
from repatriation.services.handovers import HandoverService
from repatriation.services.importing import ImportService
from repatriation.services.results import Changes
from repatriation.services.verifications import VerificationService
from tests.fakes import FakeDatabase
from ui.ports import BundleItem

OFFICER = Actor("officer.test", Role.BORDER_GUARD)


@dataclass
class FakeServices:
    """The shape of ``bootstrap.Services`` with the fake database behind it."""

    settings: Settings
    clock: FixedClock
    reference: ReferenceData
    db: FakeDatabase
    cases: CaseService
    verifications: VerificationService
    handovers: HandoverService
    imports: ImportService
    demo: DemoService
    # What a desk may run without: None hides the page or button (tests plug in fakes).
    documents: Any = None
    attachments: Any = None
    statistics: Any = None
    releases: Any = None
    noisy_releases: Any = None

    def close(self) -> None:
        return None


def fake_services(data_dir: Path, today: date = date(2026, 3, 2)) -> FakeServices:
    clock = FixedClock(datetime(today.year, today.month, today.day, 9, 30))
    reference = load_reference_data()
    db = FakeDatabase()
    return FakeServices(
        settings=Settings(data_dir=data_dir, language="en"),
        clock=clock,
        reference=reference,
        db=db,
        cases=CaseService(db.uow, reference, clock, "LC"),
        verifications=VerificationService(db.uow, reference, clock),
        handovers=HandoverService(db.uow, clock, "LC"),
        imports=ImportService(db.uow, reference, clock, "LC"),
        demo=DemoService(db.uow, reference, clock, "LC"),
    )


class FakePrompter:
    """Records every question; answers from queues the test fills."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []
        self.confirm_answers: list[bool] = []
        self.files: list[Path | None] = []
        self.pdfs: list[tuple[str, bytes, str]] = []  # (title, PDF bytes, suggested name) previewed
        self.secrets: list[str | None] = []  # answers to passphrase questions, in order
        self.secrets_asked = 0

    def confirm(self, title: str, text: str, *, ok_label: str = "") -> bool:
        self.calls.append(("confirm", title, text))
        return self.confirm_answers.pop(0) if self.confirm_answers else True

    def inform(self, title: str, text: str) -> None:
        self.calls.append(("inform", title, text))

    def warn(self, title: str, text: str) -> None:
        self.calls.append(("warn", title, text))

    def error(self, title: str, text: str, details: str = "") -> None:
        self.calls.append(("error", text, details))

    def ask_secret(self, title: str, label: str) -> str | None:
        self.secrets_asked += 1
        return self.secrets.pop(0) if self.secrets else None

    def open_file(self, title: str, filters: str) -> Path | None:
        return self.files.pop(0) if self.files else None

    def open_files(self, title: str, filters: str) -> list[Path]:
        return [p for p in (self.files.pop(0) if self.files else None,) if p is not None]

    def save_file(self, title: str, suggested: str, filters: str) -> Path | None:
        return self.files.pop(0) if self.files else None

    def choose_directory(self, title: str, start: Path | None = None) -> Path | None:
        return self.files.pop(0) if self.files else None

    def show_pdf(self, title: str, data: bytes, name: str) -> None:
        self.pdfs.append((title, data, name))

    def kinds(self) -> list[str]:
        return [c[0] for c in self.calls]


class FakeDocuments:
    """Renders a tiny but real PDF naming the form and the record."""

    def __init__(self) -> None:
        self.rendered: list[tuple[str, str | None, str | None, str]] = []

    def render(
        self,
        actor: Actor,
        form_id: str,
        *,
        case_ref: str | None = None,
        batch_ref: str | None = None,
        language: str = "vi",
    ) -> bytes:
        self.rendered.append((form_id, case_ref, batch_ref, language))
        return b"%PDF-1.4\n% " + f"{form_id} {batch_ref or case_ref}".encode() + b"\n%%EOF\n"


class FakeBundles:
    """Lists what it would include and writes a marker file."""

    def __init__(self) -> None:
        self.exported: list[tuple[tuple[str, ...], str, Path]] = []
        self.imported: list[Path] = []
        self.passphrase: str | None = None  # set: the key store is locked until it is given

    def needs_passphrase(self) -> bool:
        return self.passphrase is not None

    def unlock(self, passphrase: str) -> None:
        if passphrase != self.passphrase:
            raise DomainError("wrong_passphrase")
        self.passphrase = None

    def recipients(self) -> list[tuple[str, str]]:
        return [("age1post", "Post HG (demo)")]

    def plan_export(self, actor: Actor, case_refs: Any, recipient: str) -> list[BundleItem]:
        return [BundleItem(f"{ref}: identity, verifications", "health notes left out") for ref in case_refs]

    def export(self, actor: Actor, case_refs: Any, recipient: str, path: Path, progress: Any) -> Path:
        refs = tuple(case_refs)
        for done, _ in enumerate(refs, start=1):
            progress(done, len(refs), "export")
        path.write_bytes(b"bundle:" + ",".join(refs).encode())
        self.exported.append((refs, recipient, path))
        return path

    def preview_import(self, actor: Actor, path: Path) -> list[BundleItem]:
        return [BundleItem(ref, "new case") for ref in path.read_bytes().decode().split(":")[1].split(",")]

    def import_bundle(self, actor: Actor, path: Path, progress: Any) -> Changes:
        self.imported.append(path)
        progress(1, 1, "decrypt")
        return Changes(cases=frozenset({"LC-2026-000999"}))


class FakeAttachments:
    """Keeps contents in memory (the real store encrypts them on disk)."""

    def __init__(self) -> None:
        self.contents: dict[str, bytes] = {}

    def store(self, data: bytes, file_name: str, media_type: str, kind: str = "photo") -> Attachment:
        sha = hashlib.sha256(data).hexdigest()
        self.contents[sha] = data
        return Attachment(sha256=sha, file_name=file_name, media_type=media_type, size=len(data), kind=kind)

    def load(self, sha256_hex: str) -> bytes:
        if sha256_hex not in self.contents:
            raise DomainError("attachment_missing")
        return self.contents[sha256_hex]
