"""Wizards: Qt shells whose navigation is decided in ``repatriation.services``."""
