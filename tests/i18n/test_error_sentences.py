"""Every error code the core and the CLI raise has its own translated sentence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cli import account_commands, vault_commands
from cli.errors import MESSAGES, describe
from i18n import Translator
from repatriation.domain.errors import DomainError, ImportRowError
from ui.error_text import MESSAGES as DESK_MESSAGES

ROOT = Path(__file__).resolve().parents[2]
# Classes whose first argument is the code (bundle errors carry a part name there instead).
CODED = ("ValidationError", "NotFoundError", "ConflictError", "TransitionError", "PermissionDenied",
         "StorageError", "VaultError", "AuthError", "KeyStoreError", "AttachmentError", "BackupError",
         "DomainError")
RAISED = re.compile(r"\b(" + "|".join(CODED) + r')\(\s*"([a-z_]+)"')


def _raised_codes() -> set[str]:
    codes: set[str] = set()
    for package in ("repatriation", "cli"):
        for path in (ROOT / package).rglob("*.py"):
            codes.update(code for _, code in RAISED.findall(path.read_text(encoding="utf-8")))
    return codes


def test_every_raised_code_has_a_sentence_in_the_cli_and_the_desk() -> None:
    cli_known = set(MESSAGES) | set(vault_commands.MESSAGES) | set(account_commands.MESSAGES)
    codes = _raised_codes()
    assert len(codes) > 120
    assert sorted(codes - cli_known) == []
    assert sorted(codes - set(DESK_MESSAGES) - set(vault_commands.MESSAGES)
                  - set(account_commands.MESSAGES)) == []


@pytest.mark.parametrize("language", ["vi", "en", "zh_CN", "km", "lo"])
def test_no_sentence_reads_refused_code_key_value(language: str) -> None:
    translator = Translator(language)
    for code in sorted(_raised_codes()):
        params = {"path": "/x", "folder": "/x", "reference": "R", "case": "C", "batch": "B",
                  "request": "Q", "code": "01", "value": "v", "field": "f"}
        text = describe(DomainError(code, **params), translator)
        assert "Refused (" not in text, (code, text)
        assert not any(f"{key}=" in text for key in params), (code, text)
        assert "[" not in text and "{" not in text, (code, text)  # no code, no unfilled placeholder
    row = describe(ImportRowError(row=3, column="notes", reason="too_long"), translator)
    assert "3" in row and "notes" in row and "too_long" not in row
