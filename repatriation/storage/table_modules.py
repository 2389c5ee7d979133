"""Imports every module that declares tables so that ``Base.metadata`` is complete for Alembic."""

from __future__ import annotations

import importlib
import pkgutil

import repatriation.storage as storage_package

_TABLE_MODULE_SUFFIX = "_tables"


def load_all() -> None:
    """Import ``tables`` and every ``*_tables`` module of the storage package."""
    importlib.import_module("repatriation.storage.tables")
    for module in pkgutil.iter_modules(storage_package.__path__):
        if module.name.endswith(_TABLE_MODULE_SUFFIX):
            importlib.import_module(f"repatriation.storage.{module.name}")
