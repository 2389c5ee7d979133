"""repatriation.crypto package."""
