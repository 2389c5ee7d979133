"""The handover session: build the batch, record both sides and signatures, print, hand over.

Officials of both sides, belongings, health state and how each person signed (signature, mark
or thumbprint) are edited in place; the bilingual minutes open in the desk's own preview.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from repatriation.domain.enums import BatchStatus, Corridor, HandoverDirection, PlaceKind, SignatureMethod
from repatriation.domain.handover import BatchMember, HandoverBatch, Official
from repatriation.services.handovers import BatchDraft
from repatriation.services.results import Changes
from ui.context import AppContext
from ui.dialogs.case_picker_dialog import CasePickerDialog
from ui.pages.handover_view import HandoverView
from ui.print_signing import signing_unlock
from ui.qt_helpers import combo_enum, fill_combo, from_qdate, set_combo_value, set_widths, text_of, to_qdate
from ui.table_models.base import ROW_ROLE
from ui.table_models.batch_member_table_model import BatchMemberTableModel, MemberColumn
from ui.table_models.batch_table_model import BatchColumn, BatchTableModel
from ui.table_models.official_table_model import SIDES, OfficialColumn, OfficialTableModel
from ui.widgets.badge_delegate import BadgeDelegate
from ui.widgets.choice_delegate import ChoiceDelegate

# The counterpart's language on the bilingual minutes, per corridor.
COUNTERPART_LANGUAGE = {Corridor.CHINA: "zh_CN", Corridor.CAMBODIA: "km", Corridor.LAO: "lo"}


class HandoverPage(QWidget):
    """Batches newest first; the open batch is edited on the right."""

    case_activated = Signal(str)
    batch_loaded = Signal(object)  # HandoverBatch | None (tests wait on it)
    list_loaded = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.batch: HandoverBatch | None = None
        self.editable = True  # a planned (or new) batch may still be changed
        labels = ctx.labels
        self.view = HandoverView(ctx.translator, self)
        self.batch_model = BatchTableModel(labels)
        self.official_model = OfficialTableModel(labels)
        self.member_model = BatchMemberTableModel(labels)
        view = self.view
        view.batches.setModel(self.batch_model)
        view.batches.setItemDelegateForColumn(BatchColumn.STATUS, BadgeDelegate(view.batches))
        view.officials.setModel(self.official_model)
        view.officials.setItemDelegateForColumn(
            OfficialColumn.SIDE,
            ChoiceDelegate([(ctx.translator.gettext(t), s) for s, t in SIDES.items()], view),
        )
        view.members.setModel(self.member_model)
        view.members.setItemDelegateForColumn(
            MemberColumn.SIGNATURE,
            ChoiceDelegate([(t, m.value) for t, m in labels.choices(SignatureMethod)], view),
        )
        set_widths(
            view.batches,
            {BatchColumn.REFERENCE: 145, BatchColumn.STATUS: 105},
            hidden=(BatchColumn.DIRECTION, BatchColumn.CORRIDOR, BatchColumn.PLACE, BatchColumn.PERSONS),
            stretch=BatchColumn.PLANNED,
        )
        set_widths(
            view.officials,
            {OfficialColumn.SIDE: 85, OfficialColumn.NAME: 150, OfficialColumn.RANK: 75},
            stretch=OfficialColumn.UNIT,
        )
        set_widths(
            view.members,
            {MemberColumn.CASE: 135, MemberColumn.NAME: 165, MemberColumn.BELONGINGS: 130,
             MemberColumn.DOCUMENTS: 110, MemberColumn.HEALTH: 110, MemberColumn.SIGNATURE: 115},
            stretch=MemberColumn.WITNESS,
        )  # fmt: skip
        fill_combo(view.direction, labels.choices(HandoverDirection))
        fill_combo(view.corridor, [c for c in labels.choices(Corridor) if c[1] is not Corridor.OTHER])
        fill_combo(view.place_kind, labels.choices(PlaceKind))
        view.corridor.currentIndexChanged.connect(self._fill_gates)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(view)
        self._wire()
        ctx.tasks.data_changed.connect(self._on_data_changed)
        self.new_batch()
        self.refresh()

    def _wire(self) -> None:
        view = self.view
        view.new_button.clicked.connect(self.new_batch)
        view.batches.clicked.connect(lambda index: self.open_row(index.row()))
        view.add_vn_button.clicked.connect(lambda: self._add_official("vn"))
        view.add_foreign_button.clicked.connect(lambda: self._add_official("foreign"))
        view.remove_official_button.clicked.connect(
            lambda: self.official_model.remove_row_at(view.officials.currentIndex().row())
        )
        view.add_members_button.clicked.connect(self.add_members)
        view.remove_member_button.clicked.connect(
            lambda: self.member_model.remove_row_at(view.members.currentIndex().row())
        )
        # clicked(bool) would pass ``checked`` as the first argument: each slot is wrapped.
        view.save_button.clicked.connect(lambda: self.save())
        view.preview_button.clicked.connect(lambda: self.preview_minutes())
        view.handed_over_button.clicked.connect(lambda: self.mark_handed_over())
        view.cancel_batch_button.clicked.connect(lambda: self.cancel_batch())
        for model in (self.member_model, self.official_model):
            model.dataChanged.connect(self._update_state)
            model.rowsInserted.connect(self._update_state)
            model.rowsRemoved.connect(self._update_state)
            model.modelReset.connect(self._update_state)
        view.members.doubleClicked.connect(self._member_activated)

    # -- list ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        handovers = self.ctx.services.handovers
        actor = self.ctx.actor
        self.ctx.tasks.run_db(lambda: handovers.list_recent(actor), done=self._show_list, owner=self)

    def _show_list(self, batches: list[HandoverBatch]) -> None:
        self.batch_model.set_rows(batches)
        if self.batch is not None:
            fresh = next((b for b in batches if b.reference == self.batch.reference), None)
            if fresh is not None and fresh.revision != self.batch.revision:
                self.load(fresh)
        self.list_loaded.emit(len(batches))

    def _on_data_changed(self, changes: Changes) -> None:
        if changes.batches or changes.cases:
            self.refresh()

    def open_row(self, row: int) -> None:
        batch = self.batch_model.index(row, 0).data(ROW_ROLE)
        if isinstance(batch, HandoverBatch):
            self.load(batch)

    def open_batch(self, reference: str) -> None:
        """Show a batch by reference (from a case page)."""
        handovers = self.ctx.services.handovers
        actor = self.ctx.actor
        self.ctx.tasks.run_db(lambda: handovers.get(actor, reference), done=self.load, owner=self)

    # -- editor --------------------------------------------------------------------------------

    def new_batch(self) -> None:
        """Start an empty batch with the post's defaults."""
        settings = self.ctx.services.settings
        corridor = (
            Corridor(settings.corridor)
            if settings.corridor in {c.value for c in Corridor}
            else Corridor.CHINA
        )
        draft = HandoverBatch(
            reference="-",
            direction=HandoverDirection.INBOUND,
            corridor=corridor,
            planned_on=self.ctx.today(),
            gate_code=settings.gate_code,
        )
        self.batch = None
        self._fill(draft, {})
        self.view.heading.setText(self.ctx.translator.gettext("New batch"))

    def load(self, batch: HandoverBatch) -> None:
        """Show a stored batch; the members' names are read from their cases."""
        self.batch = batch
        cases, actor, refs = self.ctx.services.cases, self.ctx.actor, batch.case_references

        def names() -> dict[str, str]:
            return {ref: cases.get(actor, ref).person.full_name for ref in refs}

        self.ctx.tasks.run_db(names, done=lambda found: self._fill(batch, found), owner=self)

    def _fill(self, batch: HandoverBatch, names: dict[str, str]) -> None:
        view, labels = self.view, self.ctx.labels
        if batch.reference != "-":
            view.heading.setText(f"{batch.reference} \u00b7 {labels.enum(batch.status)}")
        set_combo_value(view.direction, batch.direction)
        set_combo_value(view.corridor, batch.corridor)
        self._fill_gates()
        view.planned_on.setDate(to_qdate(batch.planned_on))
        set_combo_value(view.place_kind, batch.place_kind)
        if batch.gate_code:
            set_combo_value(view.gate, batch.gate_code)
        view.place_detail.setText(batch.place_detail)
        view.interpreter.setText(batch.interpreter)
        view.remarks.setText(batch.remarks)
        self.official_model.set_rows(batch.officials)
        self.member_model.names = dict(names)
        self.member_model.set_rows(batch.members)
        planned = batch.status is BatchStatus.PLANNED
        self.official_model.read_only = self.member_model.read_only = not planned
        for widget in (
            view.direction, view.corridor, view.planned_on, view.place_kind, view.gate, view.place_detail,
            view.interpreter, view.remarks, view.add_vn_button, view.add_foreign_button,
            view.remove_official_button, view.add_members_button, view.remove_member_button,
            view.save_button,
        ):  # fmt: skip
            widget.setEnabled(planned)
        self.editable = planned
        # Handing over needs someone to hand over: never for an empty or new, unfilled batch.
        view.handed_over_button.setEnabled(planned and bool(batch.members))
        view.cancel_batch_button.setEnabled(planned and self.batch is not None)
        view.preview_button.setEnabled(self.batch is not None and self.ctx.documents is not None)
        view.state.setText(self._state_text(batch))
        self.batch_loaded.emit(self.batch)

    def _update_state(self) -> None:
        """Recount the unsigned persons as soon as a signature is chosen in the table."""
        self.view.state.setText(self._state_text(self.edited()))
        self.view.handed_over_button.setEnabled(self.editable and self.member_model.rowCount() > 0)

    def _state_text(self, batch: HandoverBatch) -> str:
        _ = self.ctx.translator.gettext
        if batch.status is BatchStatus.HANDED_OVER and batch.handed_over_at:
            return _("Handed over at {time}.").format(time=batch.handed_over_at.strftime("%d/%m/%Y %H:%M"))
        missing = [m for m in batch.members if m.signature is SignatureMethod.NOT_TAKEN]
        if missing:
            return self.ctx.translator.ngettext(
                "{count} person has not signed yet.", "{count} persons have not signed yet.", len(missing)
            ).format(count=len(missing))
        return ""

    def _fill_gates(self) -> None:
        corridor = combo_enum(self.view.corridor, Corridor) or Corridor.CHINA
        gates = self.ctx.services.reference.gates_for(corridor, self.ctx.today())
        current = self.view.gate.currentData()
        fill_combo(
            self.view.gate, [("", None), *((g.name_vi, g.code) for g in gates)], current
        )

    def _add_official(self, side: str) -> None:
        self.official_model.append_row(Official(full_name="", side=side))
        row = self.official_model.rowCount() - 1
        index = self.official_model.index(row, OfficialColumn.NAME)
        self.view.officials.setCurrentIndex(index)
        self.view.officials.edit(index)

    def add_members(self) -> None:
        corridor = combo_enum(self.view.corridor, Corridor) or Corridor.CHINA
        existing = [m.case_reference for m in self.member_model.rows()]
        dialog = CasePickerDialog(self.ctx, corridor, existing, self)
        if not dialog.exec():
            return
        for ref in dialog.chosen():
            self.add_member(ref, dialog.name_of(ref))

    def add_member(self, reference: str, name: str = "") -> None:
        if not self.member_model.has(reference):
            self.member_model.names[reference] = name
            self.member_model.append_row(BatchMember(case_reference=reference))

    def edited(self) -> HandoverBatch:
        """The batch as the form shows it now."""
        view = self.view
        place_kind = combo_enum(view.place_kind, PlaceKind) or PlaceKind.GATE
        base = self.batch or HandoverBatch(
            reference="-",
            direction=HandoverDirection.INBOUND,
            corridor=Corridor.CHINA,
            planned_on=date.today(),
        )
        return replace(
            base,
            direction=combo_enum(view.direction, HandoverDirection) or HandoverDirection.INBOUND,
            corridor=combo_enum(view.corridor, Corridor) or Corridor.CHINA,
            planned_on=from_qdate(view.planned_on.date()),
            place_kind=place_kind,
            gate_code=view.gate.currentData()
            if place_kind in (PlaceKind.GATE, PlaceKind.AUXILIARY_GATE)
            else None,
            place_detail=text_of(view.place_detail.text()),
            officials=tuple(o for o in self.official_model.rows() if o.full_name.strip()),
            members=tuple(self.member_model.rows()),
            interpreter=text_of(view.interpreter.text()),
            remarks=text_of(view.remarks.text()),
        )

    # -- actions -------------------------------------------------------------------------------

    def _changes(self, batch: HandoverBatch) -> Changes:
        return Changes(cases=frozenset(batch.case_references), batches=frozenset({batch.reference}))

    def save(self, then: Any = None) -> None:
        """Plan the new batch or save the open one; ``then(batch)`` runs after it is stored."""
        batch, handovers, actor = self.edited(), self.ctx.services.handovers, self.ctx.actor
        if self.batch is None:
            draft = BatchDraft(**{f: getattr(batch, f) for f in BatchDraft.__dataclass_fields__})

            def work() -> HandoverBatch:
                return handovers.plan_batch(actor, draft)
        else:

            def work() -> HandoverBatch:
                return handovers.update_batch(actor, batch)

        def stored(saved: HandoverBatch) -> None:
            self.batch = saved
            self.load(saved)
            if then is not None:
                then(saved)

        self.ctx.tasks.run_db(work, done=stored, changes=self._changes, owner=self)

    def mark_handed_over(self) -> None:
        _, ngettext = self.ctx.translator.gettext, self.ctx.translator.ngettext
        batch = self.edited()
        question = ngettext(
            "Record that {count} person was handed over now? The batch can no longer be changed.",
            "Record that {count} persons were handed over now? The batch can no longer be changed.",
            len(batch.members),
        ).format(count=len(batch.members))
        unsigned = sum(m.signature is SignatureMethod.NOT_TAKEN for m in batch.members)
        if unsigned:
            warning = ngettext(
                "Warning: {count} person has not signed the minutes (signature, mark or thumbprint).",
                "Warning: {count} persons have not signed the minutes (signature, mark or thumbprint).",
                unsigned,
            ).format(count=unsigned)
            question = f"{warning}\n\n{question}"
        if not self.ctx.prompter.confirm(_("Mark handed over"), question, ok_label=_("Mark handed over")):
            return
        handovers, actor, now = self.ctx.services.handovers, self.ctx.actor, self.ctx.services.clock.now()

        def mark(saved: HandoverBatch) -> None:
            self.ctx.tasks.run_db(
                lambda: handovers.mark_handed_over(actor, saved.reference, now),
                done=self.load,
                changes=self._changes,
                owner=self,
            )

        self.save(then=mark)

    def cancel_batch(self) -> None:
        if self.batch is None:
            return
        _ = self.ctx.translator.gettext
        if not self.ctx.prompter.confirm(_("Cancel batch"), _("Cancel this batch and release its persons?")):
            return
        handovers, actor, ref = self.ctx.services.handovers, self.ctx.actor, self.batch.reference
        self.ctx.tasks.run_db(
            lambda: handovers.cancel(actor, ref), done=self.load, changes=self._changes, owner=self
        )

    def _member_activated(self, index: QModelIndex) -> None:
        if index.column() <= MemberColumn.NAME:  # the reference or the name: open the case
            self.case_activated.emit(str(self.member_model.index(index.row(), 0).data()))

    def preview_minutes(self) -> None:
        documents = self.ctx.documents
        if self.batch is None or documents is None:
            return
        batch, actor = self.batch, self.ctx.actor
        form = "internal_handover" if batch.direction is HandoverDirection.INTERNAL else "handover_minutes"
        language = COUNTERPART_LANGUAGE.get(batch.corridor, "en")
        title = self.ctx.translator.gettext("Handover minutes {reference}").format(reference=batch.reference)
        unlock = signing_unlock(self.ctx)

        def render() -> bytes:
            unlock()
            return bytes(documents.render(actor, form, batch_ref=batch.reference, language=language))

        # The renderer reads the batch from the database, so it queues on the database worker.
        self.ctx.tasks.run_db(
            render,
            # The preview is modal: opened after the task ends, so the status bar is not left busy.
            done=lambda data: QTimer.singleShot(
                0, lambda: self.ctx.prompter.show_pdf(title, data, batch.reference)
            ),
            label=self.ctx.translator.gettext("Preparing the minutes..."),
            owner=self,
        )
