"""``self-test``: prove an installed build works end to end, headless, on a throwaway data directory.

It runs the first-run steps with made-up answers (vault, supervisor, post keys, settings),
re-opens the encrypted database as a fresh start would, seeds 5 fictitious demo cases, prints
one bilingual form, loads every language catalog and Babel locale the package ships, and runs
the statistics libraries (HiGHS with numpy, OpenDP) that a package could leave out. Each
check prints one line; the last line is ``OK`` and the exit code 0 only if all passed. The
real data directory is never touched.
"""

from __future__ import annotations

import argparse
import secrets
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cli.context import CliContext
from repatriation.config import Settings, load_settings
from repatriation.domain.credentials import PasswordCredentials
from repatriation.services.first_run_answers import (
    SUPPORTED_LANGUAGES,
    FirstRunAnswers,
    FirstRunResult,
    PostProfile,
)

if TYPE_CHECKING:
    from repatriation.bootstrap import ServicesBuilder
    from repatriation.services.first_run_ports import FirstRuns
    from repatriation.services.vault_ports import VaultPort

DEMO_CASES = 5
SELF_TEST_FORM = ("intake_report", "km")  # Khmer: exercises HarfBuzz shaping and the bundled fonts
BABEL_LOCALES = ("vi", "en", "zh_Hans_CN", "km", "lo")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``self-test``."""
    cmd = subparsers.add_parser(
        "self-test", help="check this installation on a temporary data directory; prints OK"
    )
    cmd.add_argument("--keep", type=Path, help="use (and keep) this empty directory instead")
    cmd.set_defaults(handler=run_self_test)


def _answers() -> FirstRunAnswers:
    # Fictitious post and random secrets: nothing here is ever used outside the temp directory.
    return FirstRunAnswers(
        language="vi",
        profile=PostProfile("Đồn Biên phòng Kiểm thử (self-test)", "ST", "CN", "CN-MONGCAI"),
        username="selftest.supervisor",
        password=secrets.token_urlsafe(18),
        display_name="Self-test",
        key_passphrase=secrets.token_urlsafe(18),
    )


def _first_run(data_dir: Path, first_runs: FirstRuns) -> tuple[FirstRunAnswers, FirstRunResult]:
    settings = Settings(data_dir=data_dir)
    if not first_runs.needs_first_run(settings):
        raise RuntimeError("the self-test directory is already set up")
    answers = _answers()
    result = first_runs.first_run(settings).complete(answers)
    if not result.recovery_key or first_runs.needs_first_run(load_settings(data_dir)):
        raise RuntimeError("first run did not finish")
    return answers, result


def _reopen_and_seed(data_dir: Path, answers: FirstRunAnswers, result: FirstRunResult,
                     build: ServicesBuilder, vaults: VaultPort) -> str:
    settings = load_settings(data_dir)
    unlocked = vaults.unlock(data_dir, PasswordCredentials(answers.username, answers.password))
    from forms.renderer import ReportLabFormRenderer

    services = build(settings, vault=unlocked, renderer=ReportLabFormRenderer())
    try:
        actor = services.accounts.authenticate(answers.username, answers.password)
        created = services.demo.seed(actor, DEMO_CASES)
        with services.uow_factory() as uow:
            refs = uow.cases.references_with_prefix(f"{settings.post_code}-DEMO")
            loaded = [uow.cases.get(ref) for ref in refs]
        if created != DEMO_CASES or len(loaded) != DEMO_CASES:
            raise RuntimeError(f"seeded {created}, found {len(loaded)}")
        if services.documents is None:
            raise RuntimeError("no form renderer")
        # The address library loads its data files (and, in the package, the shapely stub).
        services.reference.normalise_address("Xã Bản Lầu, Huyện Mường Khương, Tỉnh Lào Cai")
        form_id, language = SELF_TEST_FORM
        pdf = services.documents.render(actor, form_id, case_ref=refs[0], language=language)
        if not pdf.startswith(b"%PDF") or len(pdf) < 1000:
            raise RuntimeError("the form is not a PDF")
        return f"{DEMO_CASES} demo cases, {form_id} ({language}) {len(pdf)} bytes"
    finally:
        services.close()


def _catalogs() -> str:
    from babel import Locale
    from babel.dates import format_date

    from i18n import translator

    for language in SUPPORTED_LANGUAGES:
        for domain in ("messages", "forms"):
            catalog = translator(language, domain)
            if language != "en" and type(catalog).__name__ == "NullTranslations":
                raise RuntimeError(f"catalog {language}/{domain} missing")
    import datetime as dt

    from i18n.formatting import locale_for

    # The locales the desk formats with, then their parents: all must be in the (cut) CLDR data.
    locales = [str(locale_for(language)) for language in SUPPORTED_LANGUAGES] + list(BABEL_LOCALES)
    for name in locales:
        format_date(dt.date(2026, 3, 7), "full", locale=Locale.parse(name))
    return f"{len(SUPPORTED_LANGUAGES)} catalogs, CLDR {', '.join(locales[:5])}"


def _statistics() -> str:
    """The disclosure audit (HiGHS, which needs numpy) and noisy releases (OpenDP) load and compute."""
    from repatriation.domain.statistics_spec import Dimension
    from repatriation.domain.suppression import TOTAL, CellState, Key
    from repatriation.services.statistics_audit import AuditTable, exposures
    from repatriation.services.statistics_noise import bounds, noisy_values

    # "<5" boys beside 7 girls and a total of 10: the audit must see the boys pinned to 3.
    entries: dict[Key, tuple[CellState, int | None]] = {
        ("F",): (CellState.SHOWN, 7), ("M",): (CellState.PRIMARY, None), (TOTAL,): (CellState.SHOWN, 10),
    }
    found = exposures([AuditTable("self-test", (Dimension.SEX,), ("2026-01",), (("F", "M"),), entries, 5)])
    if not found:
        raise RuntimeError("the disclosure audit missed a withheld count pinned by its total")
    values, loss = noisy_values({("F",): 7, ("M",): 3}, (("F", "M"),), 0.5)
    if values[(TOTAL,)] != values[("F",)] + values[("M",)]:
        raise RuntimeError("a noisy table does not add up")
    return f"audit (HiGHS) pinned {len(found)}, noise (OpenDP) epsilon {loss:g} +-{bounds(loss, 2).cell}"


def run_self_test(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        return _run_in(args.keep / "data", ctx)
    with tempfile.TemporaryDirectory(prefix="repatriation-selftest-") as tmp:
        return _run_in(Path(tmp) / "data", ctx)


def _run_in(data_dir: Path, ctx: CliContext) -> int:
    done: list[tuple[FirstRunAnswers, FirstRunResult]] = []  # the first run's, for the reopen step

    def first_run() -> str:
        done.append(_first_run(data_dir, ctx.first_runs))
        return f"vault, supervisor, post key {done[-1][1].fingerprint[:11]}..."

    def reopen() -> str:
        answers, result = done[-1]
        return _reopen_and_seed(data_dir, answers, result, ctx.build, ctx.vaults)

    steps: tuple[tuple[str, Callable[[], str]], ...] = (
        ("catalogs", _catalogs),
        ("statistics", _statistics),
        ("first-run", first_run),
        ("reopen", reopen),
    )
    for name, step in steps:
        started = time.perf_counter()
        try:
            detail = step()
        except Exception as exc:
            ctx.out.write(f"FAIL {name}: {type(exc).__name__}: {exc}\n")
            return 1
        ctx.out.write(f"ok   {name}: {detail} ({time.perf_counter() - started:.1f} s)\n")
    ctx.out.write("OK\n")
    ctx.out.flush()
    return 0
