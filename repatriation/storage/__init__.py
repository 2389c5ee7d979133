"""repatriation.storage package."""
