"""Every page and the case dialogs in each of the five languages: within 1366x768, no code on screen.

Codes are what an officer must never read: snake_case values, gate codes (CN-LAOCAI), raw JSON;
"untranslated" is a visible text that is an English msgid whose catalog has another translation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QTableView,
    QTabWidget,
    QWidget,
)

from i18n import Translator
from repatriation.bootstrap import Services, build_services
from repatriation.config import Settings
from repatriation.domain.clock import FixedClock
from tests.ui.conftest import wait_idle
from tests.ui.fakes import OFFICER, FakePrompter
from ui.application import build_context, prepare_app
from ui.dialogs.care_dialogs import FamilyAssessmentDialog, NotesDialog, ReferralDialog
from ui.dialogs.consent_dialog import ConsentDialog
from ui.dialogs.correction_dialog import CorrectionDialog
from ui.dialogs.documents_dialog import DocumentsDialog
from ui.dialogs.family_dialog import FamilyDialog
from ui.dialogs.follow_up_dialog import FollowUpDialog
from ui.dialogs.reception_dialog import ReceptionDialog
from ui.dialogs.screening_dialog import ScreeningDialog
from ui.dialogs.support_dialog import SupportDialog
from ui.dialogs.transition_dialog import TransitionDialog
from ui.dialogs.verification_reply_dialog import VerificationReplyDialog
from ui.dialogs.verification_request_dialog import VerificationRequestDialog
from ui.main_window import MainWindow
from ui.pages import case_corrections

pytestmark = pytest.mark.slow
LANGUAGES = ("vi", "en", "zh_CN", "km", "lo")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
ROOT = Path(__file__).resolve().parents[2]


def _msgids() -> set[str]:
    with (ROOT / "i18n" / "messages.pot").open("rb") as handle:
        return {m.id for m in read_po(handle) if isinstance(m.id, str) and m.id}


MSGIDS = _msgids()


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    data_dir = tmp_path_factory.mktemp("walk") / "desk"
    settings = Settings(data_dir=data_dir, language="vi", gate_code="CN-LAOCAI")
    built = build_services(settings, clock=FixedClock(datetime(2026, 3, 2, 9, 30)))
    built.demo.seed(OFFICER, 60)
    yield built
    built.close()


def _texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for everything visible on ``root``."""
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        name = type(widget).__name__
        if isinstance(widget, QLabel | QAbstractButton):
            yield name, widget.text()
        elif isinstance(widget, QGroupBox):
            yield name, widget.title()
        elif isinstance(widget, QComboBox):
            yield from ((name, widget.itemText(i)) for i in range(widget.count()))
        elif isinstance(widget, QTabWidget):
            yield from ((name, widget.tabText(i)) for i in range(widget.count()))
        elif isinstance(widget, QTableView) and widget.model() is not None:
            model = widget.model()
            for column in range(model.columnCount()):
                if not widget.isColumnHidden(column):
                    yield "header", str(model.headerData(column, Qt.Orientation.Horizontal))
                    for row in range(min(model.rowCount(), 5)):
                        yield "cell", str(model.index(row, column).data() or "")


def _problems(root: QWidget, translator: Translator, gates: set[str]) -> list[str]:
    found = []
    for where, raw in _texts(root):
        text = raw.replace("&", "")
        if not text or "/" in text or "\\" in text:  # paths (data folder) are the officer's own
            continue
        if SNAKE.search(text) or any(code in text for code in gates) or text.lstrip().startswith("{"):
            found.append(f"code in {where}: {text!r}")
        elif translator.language != "en" and text in MSGIDS and translator.gettext(text) != text:
            found.append(f"untranslated in {where}: {text!r}")
    return found


def _fits(widget: QWidget) -> str:
    hint = widget.minimumSizeHint()
    if hint.width() <= 1366 and hint.height() <= 768:
        return ""
    return f"{type(widget).__name__} {hint.width()}x{hint.height()}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_and_dialog_fits_and_speaks_the_language(qtbot, services: Services, language: str) -> None:
    prepare_app()  # the vendored fonts and style, as the desk starts
    translator = Translator(language)
    ctx = build_context(services, translator, OFFICER, FakePrompter())
    gates = {g.code for corridor in ("CN", "KH", "LA") for g in _all_gates(services, corridor)}
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    wait_idle(qtbot, ctx, 20000)
    problems: list[str] = []
    for key, _title in window.sections:
        window.show_section(key)
        wait_idle(qtbot, ctx, 20000)
        page = window.stack.currentWidget()
        problems += [f"[{key}] {p}" for p in _problems(page, translator, gates)]
        if misfit := _fits(window):
            problems.append(f"[{key}] window {misfit}")
    first = window.cases.model.index(0, 0).data()
    with qtbot.waitSignal(window.case.case_shown, timeout=10000):
        window.open_case(str(first))
    tabs = window.case.view.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        problems += [f"[case tab {index}] {p}" for p in _problems(window.case, translator, gates)]
    if misfit := _fits(window):
        problems.append(f"[case] window {misfit}")
    today = date(2026, 3, 2)
    case = window.case.case
    dialogs = [
        ConsentDialog(translator, today),
        FollowUpDialog(translator, case.follow_ups, today),
        FamilyAssessmentDialog(translator, today),
        ReferralDialog(translator, today),
        NotesDialog(translator, "", "", ""),
        ReceptionDialog(translator, today, ["Trung tâm CTXH tỉnh Lào Cai"], "officer"),
        SupportDialog(translator, today),
        ScreeningDialog(translator, case.screening, today),
        TransitionDialog(translator, case.status, today),
        VerificationRequestDialog(translator, today, "Đồn BP", ["Công an tỉnh Lào Cai"]),
        VerificationReplyDialog(translator, today, "V1"),
        CorrectionDialog(ctx.labels, case, case_corrections.editable_fields(window.case), today,
                         case_corrections.choices(window.case)),
        DocumentsDialog(ctx.labels, case, case_corrections.choices(window.case)["country"]),
        FamilyDialog(ctx.labels, case),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        problems += [f"[{type(dialog).__name__}] {p}" for p in _problems(dialog, translator, gates)]
        if misfit := _fits(dialog):
            problems.append(misfit)
    wizard = window.new_intake()
    problems += [f"[intake] {p}" for p in _problems(wizard, translator, gates)]
    if misfit := _fits(wizard):
        problems.append(misfit)
    wizard.reject()
    wait_idle(qtbot, ctx, 20000)
    ctx.tasks.shutdown()
    assert problems == [], "\n".join(problems)


def _all_gates(services: Services, corridor: str):
    from repatriation.domain.enums import Corridor

    return services.reference.gates_for(Corridor(corridor), date(2026, 3, 2))
