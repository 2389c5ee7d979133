"""Repatriation Desk: domain core, use cases, storage and crypto (no Qt, no ReportLab)."""
