"""Every bundle and key refusal has officer wording, the same in the desk and the CLI, in every language."""

from __future__ import annotations

import inspect

import pytest

import repatriation.domain.bundle_errors as crypto_errors
from cli.errors import MESSAGES as CLI_MESSAGES
from cli.errors import describe
from i18n import Translator
from i18n.bundle_errors import BUNDLE_MESSAGES
from repatriation.domain.bundle_errors import BundleError, TamperedError, WrongKeyError
from ui.error_text import MESSAGES as UI_MESSAGES
from ui.error_text import describe_error

BUNDLE_CODES = sorted(
    cls.code
    for _, cls in inspect.getmembers(crypto_errors, inspect.isclass)
    if issubclass(cls, BundleError)
)


def test_the_scan_finds_the_bundle_error_classes() -> None:
    assert {"wrong_key", "tampered", "replayed", "unsupported_version", "too_deep"} <= set(BUNDLE_CODES)


@pytest.mark.parametrize("code", BUNDLE_CODES)
def test_every_bundle_code_has_wording_in_the_desk_and_the_cli(code: str) -> None:
    assert code in BUNDLE_MESSAGES
    assert UI_MESSAGES[code] == CLI_MESSAGES[code] == BUNDLE_MESSAGES[code]


def test_the_cli_says_the_cause_and_logs_where_it_failed(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="cli.errors")
    text = describe(TamperedError("payload", "chunk 3"), Translator("en"))
    assert text == "The bundle was changed after it was signed: it is refused."  # no code on screen
    assert "refused: tampered what=payload where=chunk 3" in caplog.text  # -v shows it for support


@pytest.mark.parametrize("language", ["vi", "zh_CN", "km", "lo"])
def test_the_wording_is_translated(language: str) -> None:
    english = describe(WrongKeyError("age_header"), Translator("en"))
    translated = describe(WrongKeyError("age_header"), Translator(language))
    assert translated != english and "wrong_key" not in translated
    desk = describe_error(WrongKeyError("age_header"), Translator(language))
    assert desk.message == translated
    assert "wrong_key" in desk.details
