"""repatriation.domain package."""
