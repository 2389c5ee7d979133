"""The access matrix on the desk: every page shows each role exactly the canaries it may view.

The desk runs on real services (SQLite, the real reference data) holding the canary case of
``tests/security/canary_kit.py``; for each role a main window visits every section, the case
page and the handover batch, and everything a person could read is collected: labels, fields,
combo boxes, lists and every cell of every table model. The supervisor's desk is the reference.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from i18n import Translator
from repatriation.bootstrap import Services, build_services
from repatriation.config import Settings
from repatriation.domain.actors import Actor, Role
from repatriation.domain.clock import FixedClock
from repatriation.domain.enums import ExploitationForm
from repatriation.domain.permissions import Action, allowed
from repatriation.domain.sensitivity import FieldClass
from tests.security.canary_kit import BATCH, HISTORY_FACILITY, REF, check, found, of_class, seed
from tests.ui.conftest import wait_idle
from tests.ui.fakes import FakePrompter
from ui.application import build_context
from ui.labels import Labels
from ui.main_window import MainWindow

# One desk per module: its tests run on one worker, in order.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("canary-desk")]
ROLES_TEXT: dict[Role, dict[str, str]] = {}


@pytest.fixture(scope="module")
def services(qapp: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    data = tmp_path_factory.mktemp("canary-desk") / "desk"
    settings = Settings(data_dir=data, language="en", gate_code="CN-LAOCAI")
    built = build_services(settings, clock=FixedClock(datetime(2026, 3, 2, 9, 30)))
    seed(built, Actor("chief", Role.SUPERVISOR))
    yield built
    built.close()


def _model_text(model: QAbstractItemModel, parent: QModelIndex | None = None) -> list[str]:
    parent = QModelIndex() if parent is None else parent
    tree = not isinstance(model, QAbstractListModel | QAbstractTableModel)
    columns = 1 if isinstance(model, QAbstractListModel) else max(1, model.columnCount(parent))
    out: list[str] = []
    for row in range(model.rowCount(parent)):
        for column in range(columns):
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = index.data(role)
                if value is not None:
                    out.append(str(value))
            if tree and column == 0 and model.hasChildren(index):
                out.extend(_model_text(model, index))
    return out


def seen_text(root: QWidget) -> str:
    """Everything a person could read in ``root`` and its children."""
    parts: list[str] = [root.windowTitle()]
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            parts.append(widget.text())
        elif isinstance(widget, QTextEdit | QPlainTextEdit):
            parts.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            parts.extend(widget.itemText(i) for i in range(widget.count()))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            parts.extend(_model_text(widget.model()))
        parts.append(widget.toolTip())
    return "\n".join(parts)


def desk_text(qtbot: object, services: Services, role: Role) -> tuple[dict[str, str], FakePrompter]:
    """Visit every section, the canary case and its batch as ``role``; what each page showed."""
    if role in ROLES_TEXT:
        return ROLES_TEXT[role], FakePrompter()
    prompter = FakePrompter()
    ctx = build_context(services, Translator("en"), Actor(f"user.{role.value}", role), prompter)
    window = MainWindow(ctx)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    texts: dict[str, str] = {}
    try:
        for key, _title in window.sections:
            window.show_section(key)
            wait_idle(qtbot, ctx)
            texts[key] = seen_text(window.stack.currentWidget())
        window.open_case(REF)
        wait_idle(qtbot, ctx)
        texts["case"] = seen_text(window.case)
        window.open_batch(BATCH)
        wait_idle(qtbot, ctx)
        texts["batch"] = seen_text(window.handover)
        texts["window"] = seen_text(window)
    finally:
        ctx.tasks.shutdown()
    ROLES_TEXT[role] = texts
    return texts, prompter


def _all(texts: dict[str, str]) -> str:
    return "\n".join(texts.values())


# The desk shows no free text of the child-private class (the narrative is not on any page);
# the forms of exploitation found at screening are its one child-private field on the case page.
def _exploitation_shown(texts: dict[str, str]) -> bool:
    return Labels(Translator("en")).enum(ExploitationForm.SEXUAL) in texts["case"]


def test_the_supervisor_desk_shows_every_class(qtbot, services: Services) -> None:
    texts = desk_text(qtbot, services, Role.SUPERVISOR)[0]
    shown = found(_all(texts))
    assert of_class(shown, FieldClass.SENSITIVE) and _exploitation_shown(texts)
    assert HISTORY_FACILITY in found(texts["case"]) and "Zqx1handoverhealth" in found(texts["batch"])


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.SUPERVISOR])
def test_each_page_shows_a_role_exactly_what_it_may_view(qtbot, services: Services,
                                                          role: Role, tmp_path: Path) -> None:
    reference = desk_text(qtbot, services, Role.SUPERVISOR)[0]
    texts, prompter = desk_text(qtbot, services, role)
    for page, text in texts.items():
        check(found(text), found(reference[page]), role, Action.VIEW)
    assert _exploitation_shown(texts) is allowed(role, Action.VIEW, FieldClass.CHILD_PRIVATE)
    if not allowed(role, Action.VIEW, FieldClass.BASIC):
        # Refused, with the typed refusal in words: no case row reached any page.
        errors = [c for c in prompter.calls if c[0] == "error"]
        assert errors and all("Traceback" not in c[2] for c in errors)
