"""The import inbox in the desk: received changes shown ours | theirs, applied only by decision.

Two posts with real keys and databases; the sender edits a case the receiver already holds.
All names and dates are fictitious.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from i18n import Translator
from repatriation.domain.clock import FixedClock
from repatriation.services.bundles import ExportRequest
from tests.crypto.service_kit import OFFICER, Post, now, sample_case, two_posts
from tests.ui.conftest import wait_idle
from tests.ui.fakes import FakePrompter
from ui.context import AppContext
from ui.dialogs.inbox_dialog import InboxDialog
from ui.tasks import TaskRunner

REF = "LC-2026-000001"


def _send(a: Post, out: Path) -> Path:
    key = a.keys.directory()[0].key_id
    a.bundles.export_bundle(OFFICER, ExportRequest((REF,), (key,)), keystore=a.keystore,
                            out_path=out)
    return out


@pytest.fixture
def received(qapp: object, tmp_path: Path) -> Iterator[tuple[Post, AppContext]]:
    a, b = two_posts(tmp_path, FixedClock(now()))
    a.add_case(sample_case(REF, a))
    b.bundles.import_bundle(OFFICER, _send(a, tmp_path / "1.rdbundle"), keystore=b.keystore)
    with a.services.uow_factory() as uow:
        case = uow.cases.get(REF)
        person = dataclasses.replace(case.person, given_name="Thi Mao")
        uow.cases.save(dataclasses.replace(case, notes="edited at the sender", person=person))
        uow.commit()
    b.bundles.import_bundle(OFFICER, _send(a, tmp_path / "2.rdbundle"), keystore=b.keystore)
    runner = TaskRunner()
    ctx = AppContext(services=b.services, tasks=runner, prompter=FakePrompter(),  # type: ignore[arg-type]
                     translator=Translator("en"), actor=OFFICER)
    yield b, ctx
    runner.shutdown()
    for post in (a, b):
        post.services.close()


def test_the_officer_applies_one_change_and_declines_the_other(qtbot, received) -> None:
    b, ctx = received
    dialog = InboxDialog(ctx, b.bundles.inbox)
    qtbot.addWidget(dialog)
    wait_idle(qtbot, ctx)
    rows = {dialog.table.item(i, 1).text(): i for i in range(dialog.table.rowCount())}
    assert set(rows) == {"Notes", "Given name"}  # words, never a field path or JSON
    given = rows["Given name"]
    cells = [dialog.table.item(given, c).text() for c in range(4)]
    assert cells == [REF, "Given name", "Thi Mau", "Thi Mao"]
    assert b.case(REF).person.given_name == "Thi Mau"  # nothing applied before a decision
    assert not dialog.accept_button.isEnabled()

    dialog.select_rows([given])
    dialog.accept_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10000)
    assert b.case(REF).person.given_name == "Thi Mao"
    dialog.select_rows([0])
    dialog.decline_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=10000)
    assert b.case(REF).notes == "fictitious note"
    assert REF in dialog.changes.cases
    declined = b.bundles.inbox.changes(OFFICER, states=("declined",))
    assert [c.field for c in declined] == ["notes"]
    assert dialog.summary.text() == "0 changes wait for a decision."
