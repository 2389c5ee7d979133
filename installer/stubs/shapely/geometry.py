"""Stub geometry: importable, but any use says so (never reached offline, see the package docstring)."""

from __future__ import annotations

from typing import Any


class _Unavailable:
    """Refuses to be built: the polygon check is not part of the packaged desk."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("shapely is not packaged: online ward geocoding is unavailable")


class Polygon(_Unavailable):
    """Stand-in for ``shapely.geometry.Polygon``."""


class Point(_Unavailable):
    """Stand-in for ``shapely.geometry.Point``."""
