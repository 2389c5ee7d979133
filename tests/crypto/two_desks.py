"""Two desks set up separately through the real first-run path (vault, supervisor, real keys).

A border post and a reception centre, each with its own encrypted data directory, signed in
with the password set at first run; they swap key cards, compare safety numbers and verify.
All names, numbers and dates are fictitious.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from repatriation.bootstrap import build_services
from repatriation.config import load_settings
from repatriation.crypto.keys import entry_keys
from repatriation.domain.actors import Actor
from repatriation.domain.care import ConsentRecord
from repatriation.domain.case import Case
from repatriation.domain.enums import (
    AgeConfidence,
    ConsentScope,
    ConsentSubject,
    Corridor,
    ReturnChannel,
    Sex,
)
from repatriation.domain.key_directory import AgencyKind
from repatriation.domain.people import BirthInfo, Person
from repatriation.services.bundles import ExportRequest
from repatriation.services.cases import CaseDraft
from repatriation.vault import PasswordCredentials
from tests.installer.kit import answers, cheap_first_run

PASSWORD = "mật khẩu rất dài 2026"
KEY_PASSPHRASE = "apple-banana-cherry-delta"


@dataclass
class Desk:
    """One desk opened after its first run."""

    name: str
    data_dir: Path
    services: Any
    actor: Actor

    @property
    def bundles(self) -> Any:
        return self.services.exchange.bundles

    @property
    def keystore(self) -> Any:
        return self.bundles.keys.unlock(KEY_PASSPHRASE)

    def case(self, reference: str) -> Case:
        with self.services.uow_factory() as uow:
            case: Case = uow.cases.get(reference)
            return case

    def cases(self) -> dict[str, Case]:
        """Every case, by global id."""
        with self.services.uow_factory() as uow:
            refs = uow.cases.references_with_prefix("")
            return {c.global_id: c for c in (uow.cases.get(r) for r in refs)}

    def open_case(self, family: str, middle: str, given: str, born: date | None = None,
                  sex: Sex = Sex.FEMALE) -> Case:
        person = Person(family_name=family, middle_name=middle, given_name=given, sex=sex,
                        birth=BirthInfo(born, confidence=AgeConfidence.DECLARED) if born
                        else BirthInfo())
        draft = CaseDraft(person=person, channel=ReturnChannel.OFFICIAL_HANDOVER,
                          corridor=Corridor.CHINA, received_on=date(2026, 2, 18))
        case: Case = self.services.cases.open_case(self.actor, draft)
        for subject in (ConsentSubject.CHILD, ConsentSubject.REPRESENTATIVE):
            case = self.services.cases.add_consent(self.actor, case.reference, ConsentRecord(
                subject, ConsentScope.SHARE_WITH_AGENCIES, True, date(2026, 2, 19),
                given_by="fictitious"))
        return case

    def send(self, to: Desk, out: Path, *references: str) -> Path:
        """Export these cases to ``to`` (a key verified in our directory)."""
        key = _key_id(to.bundles.keys.card())
        self.bundles.export_bundle(self.actor, ExportRequest(references=references,
                                                             recipients=(key,)),
                                   keystore=self.keystore, out_path=out)
        return out

    def receive(self, bundle: Path) -> Any:
        return self.bundles.import_bundle(self.actor, bundle, keystore=self.keystore)

    def close(self) -> None:
        self.services.close()


def _key_id(card: str) -> str:
    from repatriation.crypto.keys import parse_card

    return parse_card(card).keys.key_id


def set_up_desk(root: Path, name: str, code: str, kind: str) -> Desk:
    """The first-run path of a fresh data directory, then a normal sign-in."""
    data_dir = root / name
    given = answers(language="vi", profile=_profile(name, code, kind))
    cheap_first_run(data_dir).complete(given)
    settings = load_settings(data_dir)
    services = build_services(settings, credentials=PasswordCredentials("chi.huy", PASSWORD))
    actor = services.accounts.authenticate("chi.huy", PASSWORD)
    return Desk(name, data_dir, services, actor)


def _profile(name: str, code: str, kind: str) -> Any:
    from repatriation.services.first_run_answers import PostProfile

    return PostProfile(f"{name} (fictitious)", code, "CN", None, kind)


def introduce(receiver: Desk, sender: Desk, kind: AgencyKind) -> None:
    """``receiver`` adds ``sender``'s card as ``kind``, compares safety numbers, verifies."""
    keys = receiver.bundles.keys
    entry = keys.add(receiver.actor, sender.bundles.keys.card(), kind=kind)
    # The number read aloud from the sender's screen equals the one on the receiver's.
    assert entry_keys(entry).fingerprint() == sender.bundles.keys.safety_number()
    keys.verify(receiver.actor, entry.key_id)
