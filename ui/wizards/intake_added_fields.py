"""The intake's editors for the registered added fields (``domain/case_fields.py``) the role may edit."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QWidget

from repatriation.domain.fields import ExtraFields, Scalar
from repatriation.services.intake_fields import editable
from ui.context import AppContext
from ui.widgets.field_editors import Editor, editor_for


class AddedFieldEditors:
    """One editor per added field, as rows of the person's form; nothing when none is registered.

    The fields offered are those the correction dialog offers the same role
    (``intake_fields.editable``): a role that may not edit a field's class could not store it
    (``access.guard_new`` refuses the whole intake), so it is not asked for it.
    """

    def __init__(self, ctx: AppContext, parent: QWidget, form: QFormLayout) -> None:
        self.editors: dict[str, Editor] = {}
        for spec in editable(ctx.actor, added_only=True):
            # Added fields have no choice lists: text, whole number, yes/no or a date.
            editor = editor_for(spec, parent, ctx.labels, ctx.today(), {})
            editor.put(None)  # no value until one is given (a number reads "not known")
            label = ctx.labels.field(spec.name)
            form.addRow(label[:1].upper() + label[1:], editor.widget)
            self.editors[spec.name] = editor

    def values(self) -> ExtraFields:
        """What was filled in; a blank text or an unknown value is left out (no value)."""
        filled: dict[str, Scalar] = {}
        for name, editor in self.editors.items():
            value = editor.get()
            if value is not None and value != "":
                filled[name] = value
        return ExtraFields(filled)

    def load(self, values: ExtraFields) -> None:
        """Show ``values`` (going back to the page keeps what was typed)."""
        for name, editor in self.editors.items():
            editor.put(values.get(name))
