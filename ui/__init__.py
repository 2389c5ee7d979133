"""The desk: the PySide6 application officers use (pages, dialogs, wizards, table models)."""

from ui.compat import guard_none_refcount

guard_none_refcount()
