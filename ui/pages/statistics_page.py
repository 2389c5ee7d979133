"""The statistics page: a table by any two dimensions, charts, and suppressed CSV/XLSX exports.

Statisticians and supervisors see exact counts (marked "inside the post only"); other roles see
the released, suppressed figures. Exports are always the released table: they leave the post.
The services come from the composition root through ``AppContext`` (``ctx.statistics``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from i18n import translator
from repatriation.domain.errors import ValidationError
from repatriation.domain.permissions import Capability, has_capability
from repatriation.domain.statistics_spec import Dimension, Measure, StatisticsSpec
from repatriation.domain.suppression import DEFAULT_K, TOTAL, Key
from repatriation.files import write_output
from repatriation.services import statistics_export as export
from repatriation.services.results import Changes
from repatriation.services.statistics import categories_for
from repatriation.services.statistics_labels import dimension_name, make_labeler
from repatriation.services.statistics_noise import METHOD as NOISE
from repatriation.services.statistics_noisy_releases import DEFAULT_EPSILON
from repatriation.services.statistics_periods import closed_periods, parse_period
from ui.context import AppContext
from ui.period_text import period_text, with_periods
from ui.qt_helpers import compact, fill_combo
from ui.widgets.bar_chart import BarChart, Series

DOMAIN = "statistics"
CORRIDORS = ("CN", "KH", "LA")
SUPPRESSION = "suppression"


@dataclass(frozen=True)
class Grid:
    """A table ready to show: texts per row and column (the last row and column are totals)."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class PageData:
    """What one refresh loaded (built on the database worker)."""

    exact: bool
    grid: Grid
    months: tuple[str, ...]
    monthly: Mapping[str, tuple[int | None, ...]]  # corridor -> per month
    monthly_texts: Mapping[str, tuple[str, ...]]
    corridors: tuple[tuple[str, int | None, str], ...]
    ethnic: tuple[tuple[str, int | None, str], ...]
    overdue: tuple[tuple[str, int], ...]


def _value(text: str) -> int | None:
    return int(text) if text.isdigit() else None


class StatisticsPage(QWidget):
    """Counts by dimensions with charts; refreshes itself when cases change."""

    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # The page is created only where the statistics services are wired (``ui/main_window.py``).
        self.service: Any = ctx.statistics
        self.releases: Any = ctx.releases
        self.noisy: Any = ctx.noisy_releases
        self.data: PageData | None = None
        _ = self.gt
        today = ctx.today()
        self.date_from = QDateEdit(QDate(today.year, 1, 1), self)
        self.date_to = QDateEdit(QDate(today.year, today.month, today.day), self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        names = [(dimension_name(_, d), d) for d in Dimension]
        self.rows = QComboBox(self)
        fill_combo(self.rows, names, Dimension.AGE_AT_RETURN)
        self.columns = QComboBox(self)
        fill_combo(self.columns, [(_("(none)"), None), *names], Dimension.SEX)
        self.period = QComboBox(self)  # the whole period a release (export) covers
        self.period.addItems(list(closed_periods(today)))
        self.method = QComboBox(self)  # how an export is protected: withheld counts or noise
        fill_combo(self.method, [(_("Suppression"), SUPPRESSION), (_("Noise (OpenDP)"), NOISE)],
                   SUPPRESSION)
        self.measure = QComboBox(self)
        fill_combo(
            self.measure, [(_("Cases"), Measure.CASES), (_("Persons"), Measure.PERSONS)], Measure.CASES
        )
        compact(self.rows, self.columns, chars=16)  # long dimension names must not widen the page
        refresh = QPushButton(_("Refresh"), self)
        refresh.clicked.connect(self.refresh)
        self.csv_button = QPushButton(_("Export CSV"), self)
        self.xlsx_button = QPushButton(_("Export XLSX"), self)
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        bar = QHBoxLayout()
        for label, widget in (
            (_("From"), self.date_from),
            (_("To"), self.date_to),
            (_("Rows"), self.rows),
            (_("Columns"), self.columns),
            (_("Count"), self.measure),
        ):
            bar.addWidget(QLabel(label, self))
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(refresh)
        # Exports leave the post: each is a release of one whole period, from the ledger.
        release_bar = QHBoxLayout()
        release_bar.addWidget(QLabel(_("Release"), self))
        release_bar.addWidget(self.period)
        if self.exact and self.noisy is not None:  # other roles export recorded releases only
            release_bar.addWidget(self.method)
        else:
            self.method.hide()
        for button in (self.csv_button, self.xlsx_button):
            release_bar.addWidget(button)
        release_bar.addStretch(1)
        self.note = QLabel(self)
        self.note.setObjectName("statisticsNote")
        self.table = QTableWidget(self)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.time_chart = BarChart(_("Cases received per month"), parent=self)
        self.corridor_chart = BarChart(_("By country"), parent=self)
        self.ethnic_chart = BarChart(_("By ethnic group"), horizontal=True, parent=self)
        self.overdue_chart = BarChart(_("Overdue verifications by country"), parent=self)
        charts = QGridLayout()
        charts.addWidget(self.time_chart, 0, 0)
        charts.addWidget(self.corridor_chart, 0, 1)
        charts.addWidget(self.ethnic_chart, 1, 0)
        charts.addWidget(self.overdue_chart, 1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(release_bar)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 2)
        layout.addLayout(charts, 3)
        ctx.tasks.data_changed.connect(self._on_data_changed)
        if self.service is not None:
            self.refresh()
        else:
            self.setEnabled(False)

    def gt(self, message: str) -> str:
        return translator(self.ctx.translator.language, DOMAIN).gettext(message)

    @property
    def exact(self) -> bool:
        """Whether the signed-in role sees exact counts."""
        return has_capability(self.ctx.actor.role, Capability.VIEW_EXACT_STATISTICS)

    def _dimensions(self) -> tuple[Dimension, ...]:
        dims = [Dimension(self.rows.currentData())]
        column = self.columns.currentData()
        if column is not None and column != dims[0]:
            dims.append(Dimension(column))
        return tuple(dims)

    def spec(self) -> StatisticsSpec:
        """The table asked for by the controls: the dates for exact counts, else the release period."""
        if not self.exact:
            return self.release_spec()
        start, end = _day(self.date_from.date()), _day(self.date_to.date())
        return StatisticsSpec(self._dimensions(), Measure(self.measure.currentData()), start, end)

    def release_spec(self, dimensions: tuple[Dimension, ...] | None = None) -> StatisticsSpec:
        """The release of the chosen whole period (releases count cases, with the standard bands)."""
        start, end = parse_period(self.period.currentText())
        return StatisticsSpec(dimensions or self._dimensions(), Measure.CASES, start, end)

    def refresh(self) -> None:
        spec, exact = self.spec(), self.exact
        self.ctx.tasks.run_db(lambda: self._load(spec, exact), done=self._show, owner=self)

    def _labeler(self) -> Callable[[Dimension, str], str]:
        return make_labeler(self.gt, self.ctx.services.reference, self.ctx.translator.language)

    def _texts(self, spec: StatisticsSpec, exact: bool) -> tuple[Callable[[Key], str], list[tuple[str, ...]]]:
        actor = self.ctx.actor
        if exact:
            values = self.service.exact_values(actor, spec)
            cells = {k: v for k, v in values.items() if TOTAL not in k}
            cats = [categories_for(spec, i, cells) for i in range(len(spec.dimensions))]
            return (lambda key: str(values.get(key, 0))), cats
        # Other roles see releases from the ledger only; a table not released yet shows nothing.
        released = self.releases.find(actor, spec)
        if released is None:
            return (lambda key: ""), [() for _ in spec.dimensions]
        return released.display, [tuple(c) for c in released.categories]

    def _load(self, spec: StatisticsSpec, exact: bool) -> PageData:
        label = with_periods(self._labeler(), self.ctx.translator)  # months in words on screen
        display, cats = self._texts(spec, exact)
        grid = _grid(spec, display, cats, label)
        month_spec = StatisticsSpec(
            (Dimension.MONTH, Dimension.CORRIDOR), spec.measure, spec.date_from, spec.date_to
        )
        month_display, month_cats = self._texts(month_spec, exact)
        months = tuple(month_cats[0])
        monthly_texts = {c: tuple(month_display((m, c)) for m in months) for c in CORRIDORS}
        monthly = {c: tuple(_value(t) for t in texts) for c, texts in monthly_texts.items()}
        one_way = []
        for dimension, partner in ((Dimension.CORRIDOR, Dimension.CHANNEL),
                                   (Dimension.ETHNIC_GROUP, Dimension.AGE_AT_RETURN)):
            # Exact: the one-way count; released: the margin of the release table it belongs to.
            dims = (dimension,) if exact else (dimension, partner)
            single = StatisticsSpec(dims, spec.measure, spec.date_from, spec.date_to)
            shown, single_cats = self._texts(single, exact)

            def text(code: str, shown: Callable[[Key], str] = shown, n: int = len(dims)) -> str:
                return shown((code,) if n == 1 else (code, TOTAL))

            rows = [(label(dimension, c), _value(text(c)), text(c)) for c in single_cats[0]]
            one_way.append(tuple(r for r in rows if r[2] not in ("0", "")))
        overdue: tuple[tuple[str, int], ...] = ()
        if exact:
            table = self.service.overdue_verifications(self.ctx.actor, StatisticsSpec((Dimension.CORRIDOR,)))
            overdue = tuple((label(Dimension.CORRIDOR, k[0]), n) for k, n in sorted(table.counts.items()))
        return PageData(exact, grid, months, monthly, monthly_texts, one_way[0], one_way[1], overdue)

    def _show(self, data: PageData) -> None:
        self.data = data
        _ = self.gt
        self.note.setText(
            _("Exact counts: for use inside the post only. Exports are releases of {period}, "
              "recorded in the release ledger.").format(period=self.period.currentText())
            if data.exact
            else _("Releases from the ledger ({period}); small counts are withheld.").format(
                period=self.period.currentText())
        )
        if not data.exact and not any(text for row in data.grid.cells for text in row):
            self.note.setText(_("No release of this table for {period} yet: statisticians and "
                                "supervisors publish releases.").format(period=self.period.currentText()))
        elif not data.exact:
            self.note.setText("\n".join((self.note.text(), *self._legend(data))))
        grid = data.grid
        self.table.setRowCount(len(grid.rows))
        self.table.setColumnCount(len(grid.columns))
        self.table.setHorizontalHeaderLabels(list(grid.columns))
        self.table.setVerticalHeaderLabels(list(grid.rows))
        for r, row in enumerate(grid.cells):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        label = self._labeler()
        self.time_chart.set_data(
            [period_text(m, self.ctx.translator) for m in data.months],
            [Series(label(Dimension.CORRIDOR, c), data.monthly[c], data.monthly_texts[c]) for c in CORRIDORS],
        )
        for chart, rows in ((self.corridor_chart, data.corridors), (self.ethnic_chart, data.ethnic)):
            chart.set_data(
                [r[0] for r in rows],
                [Series(_("Cases"), tuple(r[1] for r in rows), tuple(r[2] for r in rows))],
            )
        empty = (_("No cases in this period.") if data.exact
                 else _("Not in a release of this period: statisticians and supervisors publish "
                        "releases."))
        for chart in (self.time_chart, self.corridor_chart, self.ethnic_chart, self.overdue_chart):
            chart.empty_text = empty
        self.overdue_chart.setVisible(data.exact)
        self.overdue_chart.set_data(
            [r[0] for r in data.overdue], [Series(_("Cases"), tuple(r[1] for r in data.overdue))]
        )
        self.loaded.emit()

    def _legend(self, data: PageData) -> list[str]:
        """What each withheld mark shown in the table or a chart means (none: no line)."""
        _ = self.gt
        marks = {text for row in data.grid.cells for text in row}
        marks |= {row[2] for rows in (data.corridors, data.ethnic) for row in rows}
        marks |= {text for texts in data.monthly_texts.values() for text in texts}
        lines = [_("{mark}: a count from 0 to {top}, withheld").format(mark=mark, top=int(mark[1:]) - 1)
                 for mark in sorted(m for m in marks if m.startswith("<") and m[1:].isdigit())]
        if "x" in marks:
            lines.append(_("x: withheld so that a small count cannot be worked out from the totals"))
        return lines

    def export(self, fmt: str) -> None:
        """Save the release of the chosen period as CSV or XLSX (audited and recorded first)."""
        title = self.gt("Export CSV") if fmt == "csv" else self.gt("Export XLSX")
        spec, actor, label, gettext = self.release_spec(), self.ctx.actor, self._labeler(), self.gt
        name = f"statistics-{self.period.currentText()}-{'-'.join(spec.dimensions)}.{fmt}"
        path = self.ctx.prompter.save_file(title, name, f"*.{fmt}")
        if path is None:
            return
        saved = self.gt("The table was saved to {path}.").format(path=str(path))
        exact, releases, noisy = self.exact, self.releases, self.noisy
        method = self.method.currentData()

        def work() -> None:
            # Statisticians make the release (or get the recorded one); others export recorded ones.
            if exact and method == NOISE:
                released = noisy.publish(actor, spec, DEFAULT_EPSILON, purpose=fmt)
            else:
                released = releases.publish(actor, spec, DEFAULT_K, purpose=fmt) if exact else (
                    releases.find(actor, spec))
            if released is None:
                raise ValidationError("release_not_recorded", period=str(spec.date_from)[:4])
            if fmt == "csv":
                _write(path, export.to_csv(released, label, gettext))
            else:
                _write(path, export.to_xlsx(released, label, gettext=gettext))

        self.ctx.tasks.run_db(work, done=lambda _none: self.ctx.prompter.inform(title, saved), owner=self)

    def _on_data_changed(self, changes: Changes) -> None:
        if changes.cases and self.service is not None:
            self.refresh()


def _write(path: Path, data: bytes) -> None:
    write_output(path, data)  # atomic and 0600, as every export


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _grid(
    spec: StatisticsSpec,
    display: Callable[[Key], str],
    cats: list[Any],
    label: Callable[[Dimension, str], str],
) -> Grid:
    rows_dim = spec.dimensions[0]
    row_codes = (*cats[0], TOTAL)
    if len(spec.dimensions) == 1:
        column: tuple[tuple[str, ...], ...] = tuple((display((r,)),) for r in row_codes)
        return Grid(tuple(_name(label, rows_dim, r) for r in row_codes), ("",), column)
    cols_dim = spec.dimensions[1]
    col_codes = (*cats[1], TOTAL)
    cells = tuple(tuple(display((r, c)) for c in col_codes) for r in row_codes)
    return Grid(
        tuple(_name(label, rows_dim, r) for r in row_codes),
        tuple(_name(label, cols_dim, c) for c in col_codes),
        cells,
    )


def _name(label: Callable[[Dimension, str], str], dimension: Dimension, code: str) -> str:
    return "\u03a3" if code == TOTAL else label(dimension, code)
