"""End to end on a real SQLite database with the real reference data: demo data, intake of a
group of 3, verification, a handover batch, reception - all driven through the desk's pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from i18n import Translator
from repatriation.bootstrap import Services, build_services
from repatriation.config import Settings
from repatriation.domain.clock import FixedClock
from repatriation.domain.enums import BatchStatus, CaseStatus, VerificationKind, VerificationOutcome
from repatriation.domain.handover import Official
from repatriation.services.intake_flow import IntakeStep
from tests.ui.conftest import acknowledge_every_arrival, on_next_dialog, wait_idle
from tests.ui.fakes import OFFICER, FakePrompter
from ui.application import build_context
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.table_models.base import KEY_ROLE

pytestmark = pytest.mark.slow


@pytest.fixture
def real(qapp, tmp_path: Path) -> Iterator[tuple[Services, AppContext, FakePrompter]]:
    settings = Settings(data_dir=tmp_path / "desk", language="en", gate_code="CN-LAOCAI")
    services = build_services(settings, clock=FixedClock(datetime(2026, 3, 2, 9, 30)))
    prompter = FakePrompter()
    ctx = build_context(services, Translator("en"), OFFICER, prompter)
    yield services, ctx, prompter
    ctx.tasks.shutdown()
    services.close()


def test_demo_intake_verification_handover_reception(qtbot, real) -> None:
    services, ctx, prompter = real
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    wait_idle(qtbot, ctx)

    # 1. Demo data through the settings page.
    window.show_section("settings")
    window.settings.load_demo()
    qtbot.waitUntil(lambda: window.cases.model.total == 200, timeout=20000)

    # 2. Intake of a group of three at the Lao Cai gate.
    wizard = window.new_intake()
    wizard.steps[IntakeStep.RETURN].group.setChecked(True)
    wizard.next()
    wizard.next()  # the post's usual gate is preselected
    group = wizard.steps[IntakeStep.GROUP]
    group.quick.setPlainText("Giàng Thị Sua, F, 14\nLò Văn Sử, M, 2011-04-02\nVàng Thị Dợ, F, 12")
    wizard.next()
    assert wizard.step() is IntakeStep.REVIEW
    with qtbot.waitSignal(wizard.registered, timeout=10000) as registered:
        wizard.accept()
    refs = list(registered.args[0].references)
    assert len(refs) == 3 and all(r.startswith("LC-2026-") for r in refs)
    qtbot.waitUntil(
        lambda: (
            window.stack.currentWidget() is window.case
            and window.case.case is not None
            and window.case.case.reference == refs[0]
        ),
        timeout=10000,
    )
    qtbot.waitUntil(lambda: window.cases.model.total == 203, timeout=10000)

    # 3. Verification for each: request, confirmed reply, then ready for handover.
    for ref in refs:
        with qtbot.waitSignal(window.case.case_shown, timeout=10000):
            window.open_case(ref)
        on_next_dialog(
            lambda d: (
                d.requested_to.setCurrentText("Công an tỉnh Lào Cai"),
                d.kind.setCurrentIndex(d.kind.findData(VerificationKind.POLICE_IDENTITY)),
                d._try_accept(),
            )
        )
        with qtbot.waitSignal(window.case.case_shown, timeout=10000):
            window.case.request_verification()
        on_next_dialog(
            lambda d: (
                d.outcome.setCurrentIndex(d.outcome.findData(VerificationOutcome.CONFIRMED)),
                d._try_accept(),
            )
        )
        with qtbot.waitSignal(window.case.case_shown, timeout=10000):
            window.case.record_reply()
        on_next_dialog(
            lambda d: (
                d.target.setCurrentIndex(d.target.findData(CaseStatus.AWAITING_HANDOVER)),
                d._try_accept(),
            )
        )
        with qtbot.waitSignal(window.case.case_shown, timeout=10000):
            window.case.change_status()
        assert window.case.case.status is CaseStatus.AWAITING_HANDOVER
    assert not [d for d in services.verifications.due(OFFICER, 30) if d.case_reference in refs]

    # 4. The handover session: both sides, the three persons, mark handed over.
    window.show_section("handover")
    handover = window.handover
    handover.new_batch()
    for ref in refs:
        handover.add_member(ref)
    handover.official_model.append_row(Official("Nguyễn Văn Bình", "Thiếu tá", side="vn"))
    handover.official_model.append_row(Official("Li Ming", "", "Hekou", side="foreign"))
    prompter.confirm_answers.append(True)
    handover.mark_handed_over()
    qtbot.waitUntil(
        lambda: handover.batch is not None and handover.batch.status is BatchStatus.HANDED_OVER, timeout=10000
    )
    wait_idle(qtbot, ctx)
    batch = services.handovers.get(OFFICER, handover.batch.reference)
    assert batch.case_references == tuple(refs)

    # 5. Reception acknowledges each child; they move into care.
    window.show_section("reception")
    reception = window.reception
    acknowledge_every_arrival(qtbot, reception, len(refs))
    wait_idle(qtbot, ctx)
    for ref in refs:
        case = services.cases.get(OFFICER, ref)
        assert case.status is CaseStatus.IN_CARE and case.batch_reference == batch.reference
        assert case.reception is not None and case.reception.facility == "Trung tâm CTXH tỉnh Lào Cai"
    shown = {
        reception.in_care.model().index(r, 0).data(KEY_ROLE)
        for r in range(reception.in_care.model().rowCount())
    }
    assert set(refs) <= shown
    assert [c for c in prompter.calls if c[0] == "error"] == []
    actions = {e.action for e in services.cases.history(OFFICER, refs[0])}
    assert {
        "verification_requested",
        "verification_replied",
        "status_changed",
        "reception_recorded",
    } <= actions
