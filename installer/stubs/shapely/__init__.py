"""Packaging stub of shapely (10 MB): only vietnamadminunits imports it, for online geocoding.

The desk parses addresses offline and converts them with its own tables; the library's
polygon check runs only after an ArcGIS lookup, which a border post cannot make. The frozen
build therefore ships this stub (``installer/app.spec``); development installs keep the real one.
"""
