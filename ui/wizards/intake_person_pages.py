"""Intake pages about the persons: one full form, or a quick-add list for a group.

Then the language, interpreter and literacy of those who do not speak Vietnamese, and photos
(the review before registering is ``intake_review_page``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
)

from repatriation.domain.enums import AgeConfidence, Literacy, Sex
from repatriation.services import intake_flow as flow
from repatriation.services.intake_flow import IntakeAnswers, IntakeStep, PersonEntry
from ui.context import AppContext
from ui.labels import SPOKEN_LANGUAGES, suggested_language
from ui.qt_helpers import (
    combo_enum,
    date_edit,
    fill_combo,
    from_qdate,
    set_combo_value,
    setup_table,
    text_of,
    to_qdate,
)
from ui.table_models.person_entry_table_model import PersonColumn, PersonEntryTableModel
from ui.widgets.choice_delegate import ChoiceDelegate
from ui.wizards.intake_added_fields import AddedFieldEditors
from ui.wizards.intake_place_pages import IntakePage


def _ethnic_choices(ctx: AppContext) -> list[tuple[str, str]]:
    groups = getattr(ctx.services.reference, "ethnic_groups", ())
    return [(f"{g.name_vi} ({g.code})", g.code) for g in groups]


def _language_choices(ctx: AppContext) -> list[tuple[str, str]]:
    return [(ctx.labels.spoken_language(code), code) for code in SPOKEN_LANGUAGES]


class PersonPage(IntakePage):
    """Everything about one person; age from a date of birth or an estimate, shown live."""

    step = IntakeStep.PERSON

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, ctx.translator.gettext("The person"))
        labels = ctx.labels
        self.family_name, self.middle_name, self.given_name = (
            QLineEdit(self),
            QLineEdit(self),
            QLineEdit(self),
        )
        self.sex = QComboBox(self)
        fill_combo(self.sex, labels.choices(Sex))
        self.dob_known = QCheckBox(self.gt("Date of birth known"), self)
        self.date_of_birth = date_edit(ctx.today(), self)
        self.estimated_age = QSpinBox(self)
        self.estimated_age.setRange(0, 120)
        self.estimated_age.setValue(14)
        self.confidence = QComboBox(self)
        fill_combo(self.confidence, labels.choices(AgeConfidence), AgeConfidence.ESTIMATED_LOW)
        self.age_preview = QLabel(self)
        self.ethnic = QComboBox(self)
        fill_combo(self.ethnic, _ethnic_choices(ctx), "99")
        self.language = QComboBox(self)
        fill_combo(self.language, _language_choices(ctx), "vi")
        self.literacy = QComboBox(self)
        fill_combo(self.literacy, labels.choices(Literacy), Literacy.UNKNOWN)
        self.add_photos = QCheckBox(self.gt("Add photos from files"), self)
        self.add_photos.setVisible(ctx.attachments is not None)  # stored encrypted or not at all
        names = QHBoxLayout()
        for widget, hint in (
            (self.family_name, self.gt("Family name")),
            (self.middle_name, self.gt("Middle name")),
            (self.given_name, self.gt("Given name")),
        ):
            widget.setPlaceholderText(hint)
            names.addWidget(widget)
        age = QGridLayout()
        age.addWidget(self.dob_known, 0, 0)
        age.addWidget(self.date_of_birth, 0, 1)
        age.addWidget(QLabel(self.gt("or estimated age"), self), 1, 0)
        age.addWidget(self.estimated_age, 1, 1)
        age.addWidget(self.confidence, 1, 2)
        age.addWidget(self.age_preview, 2, 0, 1, 3)
        self.form.addRow(self.gt("Name"), names)
        self.form.addRow(self.gt("Sex"), self.sex)
        self.form.addRow(self.gt("Age"), age)
        self.form.addRow(self.gt("Ethnic group"), self.ethnic)
        self.form.addRow(self.gt("Language"), self.language)
        self.form.addRow(self.gt("Reading"), self.literacy)
        self.added = AddedFieldEditors(ctx, self, self.form)
        self.form.addRow("", self.add_photos)
        for signal in (
            self.dob_known.toggled,
            self.date_of_birth.dateChanged,
            self.estimated_age.valueChanged,
        ):
            signal.connect(self._update_age)
        self.ethnic.currentIndexChanged.connect(
            lambda: set_combo_value(
                self.language, suggested_language(str(self.ethnic.currentData()), self.language.currentData())
            )
        )
        self.finish_layout()

    def entry(self) -> PersonEntry:
        known = self.dob_known.isChecked()
        return PersonEntry(
            family_name=text_of(self.family_name.text()),
            middle_name=text_of(self.middle_name.text()),
            given_name=text_of(self.given_name.text()),
            sex=combo_enum(self.sex, Sex) or Sex.UNKNOWN,
            date_of_birth=from_qdate(self.date_of_birth.date()) if known else None,
            estimated_age=None if known else self.estimated_age.value(),
            age_confidence=None if known else combo_enum(self.confidence, AgeConfidence),
            ethnic_code=str(self.ethnic.currentData() or "99"),
            preferred_language=str(self.language.currentData() or "vi"),
            literacy=combo_enum(self.literacy, Literacy) or Literacy.UNKNOWN,
            extra_fields=self.added.values(),
        )

    def _update_age(self) -> None:
        known = self.dob_known.isChecked()
        self.date_of_birth.setEnabled(known)
        self.estimated_age.setEnabled(not known)
        self.confidence.setEnabled(not known)
        age = flow.age_on(
            self.entry(), self.intake.answers.received_on if self.wizard() else None, self.ctx.today()
        )
        self.age_preview.setText(
            self.ctx.translator.ngettext(
                "Age today: {count} year", "Age today: {count} years", age or 0
            ).format(count=age)
            if age is not None
            else ""
        )

    def load(self, answers: IntakeAnswers) -> None:
        entry = answers.persons[0] if answers.persons else PersonEntry()
        self.family_name.setText(entry.family_name)
        self.middle_name.setText(entry.middle_name)
        self.given_name.setText(entry.given_name)
        set_combo_value(self.sex, entry.sex)
        self.dob_known.setChecked(entry.date_of_birth is not None)
        if entry.date_of_birth:
            self.date_of_birth.setDate(to_qdate(entry.date_of_birth))
        if entry.estimated_age is not None:
            self.estimated_age.setValue(entry.estimated_age)
        set_combo_value(self.ethnic, entry.ethnic_code)
        set_combo_value(self.language, entry.preferred_language)
        set_combo_value(self.literacy, entry.literacy)
        self.added.load(entry.extra_fields)
        self.add_photos.setChecked(answers.add_photos)
        self._update_age()

    def commit(self, answers: IntakeAnswers) -> IntakeAnswers:
        previous = answers.persons[0] if answers.persons else PersonEntry()
        entry = replace(
            self.entry(),
            interpreter_needed=previous.interpreter_needed,
            interpreter_language=previous.interpreter_language,
            photo_paths=previous.photo_paths,
        )
        return replace(answers, persons=(entry,), add_photos=self.add_photos.isChecked())


class GroupPage(IntakePage):
    """Quick add: paste or type one person per line, then correct the table."""

    step = IntakeStep.GROUP

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(
            ctx,
            ctx.translator.gettext("The group"),
            ctx.translator.gettext(
                "One person per line: name, sex, age or date of birth (Giang Thi Sua, F, 14)."
            ),
        )
        self.quick = QPlainTextEdit(self)
        self.quick.setMaximumHeight(90)
        self.add_button = QPushButton(self.gt("Add to the list"), self)
        self.add_row_button = QPushButton(self.gt("Add an empty row"), self)
        self.remove_button = QPushButton(self.gt("Remove row"), self)
        self.add_photos = QCheckBox(self.gt("Add photos from files"), self)
        self.add_photos.setVisible(ctx.attachments is not None)  # stored encrypted or not at all
        self.model = PersonEntryTableModel(
            ctx.labels,
            ctx.today,
            lambda: self.intake.answers.received_on,
            dict((c, n) for n, c in _ethnic_choices(ctx)),
        )
        self.table = QTableView(self)
        self.table.setModel(self.model)
        setup_table(self.table)
        self.table.setItemDelegateForColumn(
            PersonColumn.SEX, ChoiceDelegate(ctx.labels.choices(Sex), self.table)
        )
        self.table.setItemDelegateForColumn(
            PersonColumn.ETHNIC, ChoiceDelegate(_ethnic_choices(ctx), self.table)
        )
        self.table.setItemDelegateForColumn(
            PersonColumn.LANGUAGE, ChoiceDelegate(_language_choices(ctx), self.table)
        )
        for column in (PersonColumn.LITERACY, PersonColumn.INTERPRETER):
            self.table.setColumnHidden(column, True)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.add_row_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.add_photos)
        self.body.addWidget(self.quick)
        self.body.addLayout(buttons)
        self.body.addWidget(self.table, 1)
        self.body.addWidget(self.problems)
        self.add_button.clicked.connect(self.add_quick)
        self.add_row_button.clicked.connect(lambda: self.model.append_row(PersonEntry()))
        self.remove_button.clicked.connect(lambda: self.model.remove_row_at(self.table.currentIndex().row()))

    def add_quick(self) -> None:
        persons, errors = flow.parse_quick_list(self.quick.toPlainText())
        for entry in persons:
            self.model.append_row(entry)
        if errors:
            self.problems.setText(
                "\n".join(
                    self.ctx.translator.gettext("Line {line} was not understood.").format(line=line)
                    for line, _code in errors
                )
            )
            self.problems.show()
            # Keep only the lines that were not understood, for the officer to correct.
            lines_typed = self.quick.toPlainText().splitlines()
            self.quick.setPlainText("\n".join(lines_typed[n - 1] for n, _ in errors))
        else:
            self.quick.clear()
            self.problems.hide()

    def load(self, answers: IntakeAnswers) -> None:
        self.model.set_rows([p for p in answers.persons if p.full_name] if answers.persons else [])
        self.add_photos.setChecked(answers.add_photos)

    def commit(self, answers: IntakeAnswers) -> IntakeAnswers:
        if self.quick.toPlainText().strip():
            self.add_quick()
        return replace(answers, persons=tuple(self.model.rows()), add_photos=self.add_photos.isChecked())


class LanguagePage(IntakePage):
    """For those who do not speak Vietnamese: interpreter and how well they read."""

    step = IntakeStep.LANGUAGE

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(
            ctx,
            ctx.translator.gettext("Language and reading"),
            ctx.translator.gettext(
                "Documents are read aloud and interpreted for anyone who cannot read them."
            ),
        )
        self.model = PersonEntryTableModel(ctx.labels, ctx.today, lambda: self.intake.answers.received_on)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        setup_table(self.table)
        self.table.setItemDelegateForColumn(
            PersonColumn.LANGUAGE, ChoiceDelegate(_language_choices(ctx), self.table)
        )
        self.table.setItemDelegateForColumn(
            PersonColumn.LITERACY, ChoiceDelegate(ctx.labels.choices(Literacy), self.table)
        )
        self.table.setItemDelegateForColumn(
            PersonColumn.INTERPRETER,
            ChoiceDelegate([(self.gt("Not needed"), ""), *_language_choices(ctx)], self.table),
        )
        shown = {PersonColumn.FAMILY, PersonColumn.GIVEN, PersonColumn.LANGUAGE, PersonColumn.LITERACY}
        for column in PersonColumn:
            self.table.setColumnHidden(column, column not in shown | {PersonColumn.INTERPRETER})
        self.body.addWidget(self.table, 1)
        self.body.addWidget(self.problems)

    def load(self, answers: IntakeAnswers) -> None:
        self.model.set_rows(answers.persons)

    def commit(self, answers: IntakeAnswers) -> IntakeAnswers:
        return replace(answers, persons=tuple(self.model.rows()))


class PhotosPage(IntakePage):
    """Choose photo files per person (JPEG or PNG; checked by content when registering)."""

    step = IntakeStep.PHOTOS

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, ctx.translator.gettext("Photos"))
        self.grid = QGridLayout()
        self.body.addLayout(self.grid)
        self.finish_layout()
        self._paths: list[tuple[str, ...]] = []
        self._labels: list[QLabel] = []

    def load(self, answers: IntakeAnswers) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._paths = [p.photo_paths for p in answers.persons]
        self._labels = []
        for row, entry in enumerate(answers.persons):
            name = QLabel(entry.full_name, self)
            count = QLabel(self)
            choose = QPushButton(self.gt("Choose photos..."), self)
            choose.clicked.connect(lambda _checked=False, r=row: self.choose(r))
            self.grid.addWidget(name, row, 0)
            self.grid.addWidget(count, row, 1)
            self.grid.addWidget(choose, row, 2)
            self._labels.append(count)
            self._show_count(row)

    def _show_count(self, row: int) -> None:
        count = len(self._paths[row])
        self._labels[row].setText(
            self.ctx.translator.ngettext("{count} photo", "{count} photos", count).format(count=count)
        )

    def choose(self, row: int) -> None:
        chosen = self.ctx.prompter.open_files(
            self.gt("Choose photos"), self.gt("Photos (*.jpg *.jpeg *.png)")
        )
        if chosen:
            self._paths[row] = (*self._paths[row], *(str(Path(p)) for p in chosen))
            self._show_count(row)

    def commit(self, answers: IntakeAnswers) -> IntakeAnswers:
        persons = tuple(
            replace(p, photo_paths=self._paths[i] if i < len(self._paths) else p.photo_paths)
            for i, p in enumerate(answers.persons)
        )
        return replace(answers, persons=persons)
