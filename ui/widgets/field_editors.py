"""One editor widget per kind of correctable field (``intake_fields.IntakeField.kind``).

Each editor shows a value and gives it back typed, so the correction dialog compares and
sends values, never text to parse. Choices show words; the codes stay behind the items.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from repatriation.domain.fields import EXTRA_PREFIX
from repatriation.services.intake_fields import IntakeField
from ui.labels import SPOKEN_LANGUAGES, Labels
from ui.qt_helpers import compact, date_edit, fill_combo, from_qdate, set_combo_value, text_of, to_qdate


@dataclass(frozen=True)
class Editor:
    """A widget with its value's getter and setter."""

    widget: QWidget
    get: Callable[[], Any]
    put: Callable[[Any], None]


def _combo(parent: QWidget, choices: Sequence[tuple[str, Any]]) -> Editor:
    combo = QComboBox(parent)
    fill_combo(combo, choices)
    compact(combo, chars=18)

    def put(value: Any) -> None:
        if not set_combo_value(combo, value):  # a code the list lacks stays choosable
            combo.addItem(str(value), value)
            set_combo_value(combo, value)

    return Editor(combo, combo.currentData, put)


def _optional_date(parent: QWidget, today: date) -> Editor:
    box = QWidget(parent)
    known = QCheckBox(box)
    edit = date_edit(today, box)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(known)
    row.addWidget(edit, 1)
    known.toggled.connect(edit.setEnabled)

    def put(value: date | None) -> None:
        known.setChecked(value is not None)
        edit.setEnabled(value is not None)
        if value is not None:
            edit.setDate(to_qdate(value))

    return Editor(box, lambda: from_qdate(edit.date()) if known.isChecked() else None, put)


def _date(parent: QWidget, today: date) -> Editor:
    edit: QDateEdit = date_edit(today, parent)
    return Editor(edit, lambda: from_qdate(edit.date()),
                  lambda value: edit.setDate(to_qdate(value)))


def _age(parent: QWidget, labels: Labels) -> Editor:
    spin = QSpinBox(parent)
    spin.setRange(-1, 120)
    spin.setSpecialValueText(labels.gt("Not known"))  # -1 stands for no estimate
    return Editor(spin, lambda: None if spin.value() < 0 else spin.value(),
                  lambda value: spin.setValue(-1 if value is None else int(value)))


def _text(parent: QWidget, names: bool = False) -> Editor:
    line = QLineEdit(parent)
    if names:
        return Editor(line, lambda: tuple(n.strip() for n in text_of(line.text()).split(";") if n.strip()),
                      lambda value: line.setText("; ".join(value)))
    return Editor(line, lambda: text_of(line.text()).strip(), lambda value: line.setText(value or ""))


def _check(parent: QWidget) -> Editor:
    box = QCheckBox(parent)
    return Editor(box, box.isChecked, lambda value: box.setChecked(bool(value)))


def editor_for(spec: IntakeField, parent: QWidget, labels: Labels, today: date,
               choices: dict[str, Sequence[tuple[str, Any]]]) -> Editor:
    """The editor for ``spec``; ``choices`` holds the lists for ethnic, gate and country."""
    if spec.kind == "enum" and spec.enum is not None:
        return _combo(parent, labels.choices(spec.enum))
    if spec.kind in ("ethnic", "gate", "country"):
        return _combo(parent, choices[spec.kind])
    if spec.kind == "language":
        return _combo(parent, [(labels.spoken_language(c), c) for c in SPOKEN_LANGUAGES]
                      if spec.name == "preferred_language"
                      else [(labels.gt("(none)"), ""), *((labels.spoken_language(c), c)
                                                          for c in SPOKEN_LANGUAGES)])
    added = spec.path.startswith(EXTRA_PREFIX)  # a registry field: may be left without a value
    if spec.kind == "date":
        optional = spec.name == "date_of_birth" or added
        return _optional_date(parent, today) if optional else _date(parent, today)
    if spec.kind == "bool" and added:
        return _combo(parent, [(labels.gt("Not known"), None), (labels.gt("Yes"), True),
                               (labels.gt("No"), False)])
    if spec.kind == "int":
        return _age(parent, labels)
    if spec.kind == "bool":
        return _check(parent)
    return _text(parent, names=spec.kind == "names")
