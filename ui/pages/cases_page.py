"""The case list: search as you type, filters, server-side sort, badges, keyboard navigation.

Search text is sent to ``CaseService.list_cases`` (diacritic-insensitive, and matching ethnic
and province names); keystrokes are coalesced so that at most one query runs at a time and the
last text typed always gets its answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from i18n import N_
from repatriation.domain.enums import CaseStatus, Corridor, ReturnChannel, Sex
from repatriation.services.results import AgeBand, CasePage, CaseQuery, CaseSort, Changes
from ui.context import AppContext
from ui.qt_helpers import combo_enum, fill_combo, set_widths, setup_table
from ui.table_models.base import KEY_ROLE
from ui.table_models.case_table_model import CaseColumn, CaseTableModel
from ui.widgets.badge_delegate import BadgeDelegate

# 0 ms still merges keys that arrive in one event-loop turn (a paste, a held key); a query in
# flight merges the keys typed meanwhile. A longer delay only adds to every keystroke's answer,
# now that the search itself takes ~10-20 ms at 100,000 cases.
SEARCH_DEBOUNCE_MS = 0
# Rows per query: the 20-odd rows a 768 px screen shows, with room to scroll before the next page
# (each of the 200 rows fetched before cost ~0.05 ms to build and to redact).
PAGE_ROWS = 50
# Sized for the 1366x768 laptops at the posts; gate and batch are on the case page.
COLUMN_WIDTHS = {
    CaseColumn.REFERENCE: 135, CaseColumn.SEX: 80, CaseColumn.AGE: 45, CaseColumn.CORRIDOR: 80,
    CaseColumn.CHANNEL: 125, CaseColumn.STATUS: 155, CaseColumn.SCREENING: 125, CaseColumn.RECEIVED: 85,
    CaseColumn.DEADLINE: 155,
}  # fmt: skip
HIDDEN_COLUMNS = (CaseColumn.GATE, CaseColumn.BATCH)
AGE_BANDS: tuple[tuple[str, AgeBand], ...] = (
    (N_("Under 6"), AgeBand(0, 5)),
    (N_("6 to 11"), AgeBand(6, 11)),
    (N_("12 to 15"), AgeBand(12, 15)),
    (N_("16 to 17"), AgeBand(16, 17)),
    (N_("18 and over"), AgeBand(18, 120)),
)


class CasesPage(QWidget):
    """Every case, filtered and searched; Enter or double-click opens one."""

    case_activated = Signal(str)
    new_intake = Signal()
    query_applied = Signal(object)  # CasePage shown (tests and the bench wait on it)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._sort, self._descending = CaseSort.RECEIVED_ON, True
        self._generation = 0
        self._in_flight = False
        self._dirty = False
        self.model = CaseTableModel(ctx.labels, ctx.today, page_size=PAGE_ROWS)
        self.model.page_wanted.connect(self._fetch_page)
        self.model.sort_wanted.connect(self._on_sort)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self._build()
        ctx.tasks.data_changed.connect(self._on_data_changed)
        self.refresh()

    # -- layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        tr = self.ctx.translator.gettext
        labels = self.ctx.labels
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(tr("Search by name, alias, ethnic group or province (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_text)
        self.search.returnPressed.connect(self._focus_table)
        self.search.installEventFilter(self)
        self.corridor = self._combo(tr("All corridors"), labels.choices(Corridor))
        self.channel = self._combo(tr("All channels"), labels.choices(ReturnChannel))
        self.status = self._combo(tr("All statuses"), labels.choices(CaseStatus))
        self.sex = self._combo(tr("Any sex"), labels.choices(Sex))
        self.age = self._combo(tr("Any age"), [(tr(label), band) for label, band in AGE_BANDS])
        self.overdue = QCheckBox(tr("Overdue only"), self)
        self.overdue.toggled.connect(self.refresh)
        self.new_button = QPushButton(tr("New intake"), self)
        self.new_button.clicked.connect(self.new_intake.emit)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")
        filters = QHBoxLayout()
        for widget in (self.corridor, self.channel, self.status, self.sex, self.age, self.overdue):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        self.table = QTableView(self)
        # No proxy: sorting is done in SQL, and a proxy doubles the Python calls of every paint.
        self.table.setModel(self.model)
        setup_table(self.table, stretch_column=CaseColumn.NAME)
        # Newest first is already the query's order: set the indicator without a second query.
        self.model.blockSignals(True)
        self.table.horizontalHeader().setSortIndicator(CaseColumn.RECEIVED, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.model.blockSignals(False)
        badges = BadgeDelegate(self.table)
        self.table.setItemDelegateForColumn(CaseColumn.STATUS, badges)
        self.table.setItemDelegateForColumn(CaseColumn.DEADLINE, badges)
        set_widths(self.table, {int(column): width for column, width in COLUMN_WIDTHS.items()})
        for column in HIDDEN_COLUMNS:
            self.table.setColumnHidden(column, True)
        self.table.doubleClicked.connect(lambda index: self._activate(index.row()))
        QShortcut(
            QKeySequence(Qt.Key.Key_Return),
            self.table,
            lambda: self._activate(self.table.currentIndex().row()),
        )
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

    def _combo(self, everything: str, choices: Sequence[tuple[str, object]]) -> QComboBox:
        combo = QComboBox(self)
        # Shrink to a short minimum: longer translations (and the pseudo-locale) must still fit 1366 px.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        fill_combo(combo, [(everything, None), *choices])
        combo.currentIndexChanged.connect(self.refresh)
        return combo

    # -- querying ------------------------------------------------------------------------------

    def current_query(self, offset: int = 0) -> CaseQuery:
        return CaseQuery(
            text=self.search.text(),
            corridor=combo_enum(self.corridor, Corridor),
            channel=combo_enum(self.channel, ReturnChannel),
            status=combo_enum(self.status, CaseStatus),
            sex=combo_enum(self.sex, Sex),
            age_band=self.age.currentData(),
            overdue_only=self.overdue.isChecked(),
            sort=self._sort,
            descending=self._descending,
            offset=offset,
            limit=self.model.page_size,
        )

    def _on_text(self) -> None:
        self._debounce.start()

    def refresh(self) -> None:
        """Run the current query again (first page); later calls while one runs are merged."""
        if self._in_flight:
            self._dirty = True
            return
        self._in_flight, self._dirty = True, False
        self._generation += 1
        generation, query = self._generation, self.current_query()
        self.ctx.tasks.run_db(
            lambda: self.ctx.services.cases.list_cases(query, actor=self.ctx.actor),
            done=lambda page: self._show(page, generation),
            error=self._query_failed,
            owner=self,
        )

    def _show(self, page: CasePage, generation: int) -> None:
        self._in_flight = False
        if self._dirty:
            self.refresh()  # the officer typed on: the newer text wins, this answer is dropped
            return
        self.model.reset_with(page, generation)
        # Counting every match of a short search in 100,000 rows is capped by the service.
        exact = getattr(page, "total_exact", True)
        template = (
            ("{count} case", "{count} cases")
            if exact
            else ("more than {count} case", "more than {count} cases")
        )
        self.count_label.setText(self.ctx.translator.ngettext(*template, page.total).format(count=page.total))
        self.query_applied.emit(page)

    def _query_failed(self, error: BaseException) -> None:
        self._in_flight = False
        self.ctx.show_error(error)

    def _fetch_page(self, offset: int, generation: int) -> None:
        query = self.current_query(offset)
        self.ctx.tasks.run_db(
            lambda: self.ctx.services.cases.list_cases(query, actor=self.ctx.actor),
            done=lambda page: self.model.add_page(page, generation),
            error=lambda _exc: self.model.page_failed(offset, generation),
            owner=self,
        )

    def _on_sort(self, sort: CaseSort, descending: bool) -> None:
        self._sort, self._descending = sort, descending
        self.refresh()

    def _on_data_changed(self, changes: Changes) -> None:
        if changes.cases or changes.batches:
            self.refresh()

    # -- keyboard ------------------------------------------------------------------------------

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _focus_table(self) -> None:
        if self.model.rowCount() > 0:
            self.table.setFocus()
            self.table.selectRow(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down in the search box moves into the table, so the list is usable without a mouse.
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
        ):
            self._focus_table()
            return True
        return super().eventFilter(watched, event)

    def _activate(self, row: int) -> None:
        if row < 0:
            return
        reference = self.model.index(row, 0).data(KEY_ROLE)
        if reference:
            self.case_activated.emit(str(reference))
