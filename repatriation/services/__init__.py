"""repatriation.services package."""
