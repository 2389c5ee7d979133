"""Dialogs: each returns its result through a typed accessor after ``exec()``."""
