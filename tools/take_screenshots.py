"""Take the desk's screenshots for docs/screenshots/ on demo data (all names are fictitious).

Run under Xvfb at the border-post laptop's resolution:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tools/take_screenshots.py

It builds a throw-away SQLite desk in a temporary folder with a fixed clock, seeds demo data,
walks each page and saves one PNG per page (re-compressed to a palette when over 300 KB).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from i18n import Translator  # noqa: E402
from repatriation.bootstrap import Services, build_services  # noqa: E402
from repatriation.config import Settings  # noqa: E402
from repatriation.domain.clock import FixedClock  # noqa: E402
from repatriation.domain.enums import (  # noqa: E402
    CaseStatus,
)
from repatriation.services.intake_flow import IntakeStep  # noqa: E402
from repatriation.services.results import CaseQuery  # noqa: E402
from tools.screenshot_scenario import (  # noqa: E402
    OFFICER,
    POST_NAME,
    publish_shown_releases,
    scenario,
)
from ui.application import build_context, prepare_app  # noqa: E402
from ui.dialogs.sign_in_dialog import SignInDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402

MAX_BYTES = 300 * 1024


class SilentPrompter:
    """Answers yes and never opens a window (the tool runs unattended)."""

    secret: str | None = None

    def confirm(self, title: str, text: str, *, ok_label: str = "") -> bool:
        """Agree."""
        return True

    def inform(self, title: str, text: str) -> None:
        """Say nothing."""

    def warn(self, title: str, text: str) -> None:
        """Say nothing."""

    def error(self, title: str, text: str, details: str = "") -> None:
        """Report on stderr (a screenshot run must not show errors)."""
        print(f"error shown: {text} ({details})", file=sys.stderr)

    def ask_secret(self, title: str, label: str) -> str | None:
        """The demo key store's passphrase, once the bundle shots set it."""
        return self.secret

    def open_file(self, title: str, filters: str) -> Path | None:
        """Choose nothing."""
        return None

    def open_files(self, title: str, filters: str) -> list[Path]:
        """Choose nothing."""
        return []

    def save_file(self, title: str, suggested: str, filters: str) -> Path | None:
        """Choose nothing."""
        return None

    def choose_directory(self, title: str, start: Path | None = None) -> Path | None:
        """Choose nothing."""
        return None

    def show_pdf(self, title: str, data: bytes, name: str) -> None:
        """Show nothing."""


def settle(app: QApplication, until: Callable[[], bool] = lambda: True, timeout: float = 20.0) -> None:
    """Process events until ``until()`` holds and the event queue is drained."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if until():
            break
    for _ in range(20):
        app.processEvents()


def save(widget: QWidget, path: Path) -> None:
    """Grab the widget and keep the PNG under 300 KB."""
    pixmap = widget.grab()
    pixmap.save(str(path), "PNG")
    if path.stat().st_size > MAX_BYTES:
        from PIL import Image

        Image.open(path).convert("RGB").quantize(colors=256).save(path, optimize=True)
    print(f"{path.name}: {pixmap.width()}x{pixmap.height()}, {path.stat().st_size // 1024} KB")


def shot_arguments(description: str | None) -> argparse.Namespace:
    """--out, --lang and --prefix (shared with tools/take_key_screenshots.py); makes --out."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", default="vi", help="UI language (vi, en, zh_CN, km, lo)")
    parser.add_argument("--prefix", default="", help="file name prefix (docs/screenshots/i18n: 'km-')")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    return args


def main() -> int:
    """Build the demo desk and save every screenshot."""
    args = shot_arguments(__doc__)
    app = prepare_app([])
    translator = Translator(args.lang)
    with tempfile.TemporaryDirectory(prefix="desk-shots-") as folder:
        settings = Settings(
            data_dir=Path(folder), language=args.lang, gate_code="CN-LAOCAI", post_name=POST_NAME
        )
        from forms.renderer import ReportLabFormRenderer

        services = build_services(
            settings, clock=FixedClock(datetime(2026, 3, 2, 9, 30)), renderer=ReportLabFormRenderer()
        )
        try:
            opened = scenario(services)
            shoot(app, services, translator, opened, args.out, args.prefix)
        finally:
            services.close()
        if not args.prefix:
            shoot_bundles(app, translator, args.out, Path(folder) / "posts")
    return 0


def shoot_bundles(app: QApplication, translator: Translator, out: Path, root: Path) -> None:
    """Export dialog at post LC, then the import preview of that real bundle at post HK."""
    from repatriation.domain.key_directory import AgencyKind
    from tests.crypto.service_kit import OFFICER, PASSPHRASE, introduce, make_post, now, sample_case
    from ui.bundle_adapter import DeskBundles
    from ui.context import AppContext
    from ui.dialogs.export_bundle_dialog import ExportBundleDialog
    from ui.dialogs.import_bundle_dialog import ImportBundleDialog
    from ui.dialogs.key_directory_dialog import KeyDirectoryDialog
    from ui.tasks import TaskRunner

    target, prompter = root / "to_centre.rdbundle", SilentPrompter()
    prompter.secret = PASSPHRASE
    prompter.save_file = prompter.open_file = lambda *_: target  # type: ignore[method-assign]
    lc = make_post(root, "lc", FixedClock(now()), "Đồn Biên phòng CKQT Lào Cai")
    hk = make_post(root, "hk", FixedClock(now()), "Trung tâm CTXH Lào Cai (demo)")
    hk_id, _ = introduce(lc, hk), introduce(hk, lc)
    with lc.services.uow_factory() as uow:  # at LC, HK's key belongs to a reception centre
        store = uow.bundle_store
        store.put_entry(dataclasses.replace(store.directory_entry(hk_id),  # type: ignore[type-var]
                                            kind=AgencyKind.RECEPTION_CENTRE))
        uow.commit()
    refs = [f"LC-2026-0000{n}" for n in (11, 12, 13)]
    for ref in refs:
        lc.add_case(sample_case(ref, lc))
    hk.add_case(sample_case("LC-2026-000013", lc))  # shows as an update in the preview
    tasks = TaskRunner()  # one runner for both desks' contexts
    lc_ctx, hk_ctx = (AppContext(services=p.services, tasks=tasks, prompter=prompter,
                                 translator=translator, actor=OFFICER) for p in (lc, hk))
    try:
        export = ExportBundleDialog(lc_ctx, lc_desk := DeskBundles(lc.bundles, translator), refs)
        export.show()
        settle(app, lambda: export.items.count() > 0)
        save(export, out / "bundle_export.png")
        export.export()
        settle(app, lambda: export.exported is not None)
        importer = ImportBundleDialog(hk_ctx, DeskBundles(hk.bundles, translator))
        importer.show()
        importer.choose()
        settle(app, importer.import_button.isEnabled)
        save(importer, out / "bundle_import.png")
        keys = KeyDirectoryDialog(lc_ctx, lc_desk)
        keys.show()
        settle(app, lambda: keys.table.rowCount() > 0)
        save(keys, out / "key_directory.png")
    finally:
        tasks.shutdown()
        for post in (lc, hk):
            post.services.close()


def shoot_corrections(app: QApplication, window: MainWindow,
                      save_as: Callable[[QWidget, str], None]) -> None:
    """The corrections of a case field by field, the correction dialog and the documents dialog."""
    from repatriation.domain.enums import DocumentKind
    from ui.dialogs.correction_dialog import CorrectionDialog
    from ui.dialogs.documents_dialog import DocumentsDialog
    from ui.pages import case_corrections

    page, ctx = window.case, window.ctx
    page.view.tabs.setCurrentIndex(8)
    settle(app)
    save_as(window, "19-case-corrections.png")
    assert page.case is not None
    dialog = CorrectionDialog(ctx.labels, page.case, case_corrections.editable_fields(page), ctx.today(),
                              case_corrections.choices(page), window)
    dialog.reason.setText("Giấy khai sinh do gia đình mang đến")
    dialog.show()
    settle(app)
    save_as(dialog, "20-correction-dialog.png")
    dialog.close()
    papers = DocumentsDialog(ctx.labels, page.case, case_corrections.choices(page)["country"], window)
    for kind, number, country in ((DocumentKind.PASSPORT, "C0274361", "CN"),
                                  (DocumentKind.BIRTH_CERTIFICATE, "112/2011", "VN")):
        papers.kind.setCurrentIndex(papers.kind.findData(kind))
        papers.number.setText(number)
        papers.country.setCurrentIndex(papers.country.findData(country))
        papers.add_button.click()
    papers.show()
    papers.add_button.setFocus()
    settle(app)
    save_as(papers, "21-documents-dialog.png")
    papers.close()


def shoot_day(
    app: QApplication,
    services: Services,
    translator: Translator,
    window: MainWindow,
    opened: dict[str, str],
    save_as: Callable[[QWidget, str], None],
) -> None:
    """The rest of the day: consent explained, care recorded, history in words, minutes, statistics."""
    from ui.dialogs.consent_dialog import ConsentDialog
    from ui.dialogs.pdf_preview_dialog import PdfPreviewDialog

    idle = lambda: window.ctx.tasks.idle  # noqa: E731
    rows = services.cases.list_cases(CaseQuery(status=CaseStatus.REINTEGRATION, limit=5), OFFICER).rows
    if rows:
        # A correction with its reason, so the Corrections tab shows old and new values.
        services.cases.correct(OFFICER, rows[0].reference, {"nationality": "CN", "aliases": ("A Mỷ",)},
                               "Giấy khai sinh do gia đình mang đến")
        window.open_case(rows[0].reference)
        settle(app, lambda: idle() and window.case.case is not None)
        window.case.view.tabs.setCurrentIndex(4)
        settle(app)
        save_as(window, "13-case-care.png")
        window.case.view.tabs.setCurrentIndex(5)
        settle(app)
        save_as(window, "14-case-consent.png")
        window.case.view.tabs.setCurrentIndex(9)  # 8 is the corrections, field by field
        settle(app)
        save_as(window, "15-case-history.png")
        shoot_corrections(app, window, save_as)
    consent = ConsentDialog(translator, services.clock.today(), True, window)
    consent.show()
    settle(app)
    save_as(consent, "16-consent-dialog.png")
    consent.close()
    data = services.documents.render(OFFICER, "handover_minutes", batch_ref=opened["batch"], language="zh_CN")
    preview = PdfPreviewDialog(translator, translator.gettext("Handover minutes {reference}").format(
        reference=opened["batch"]), data, opened["batch"], lambda _name: None, lambda *_: None, window)
    preview.show()
    settle(app)
    save_as(preview, "17-minutes-preview.png")
    preview.close()
    if any(key == "statistics" for key, _ in window.sections):
        window.show_section("statistics")
        settle(app, idle)
        publish_shown_releases(services, window.page("statistics"))
        window.page("statistics").refresh()  # type: ignore[attr-defined]
        settle(app, idle)
        save_as(window, "18-statistics.png")


def shoot(
    app: QApplication,
    services: Services,
    translator: Translator,
    opened: dict[str, str],
    out: Path,
    prefix: str = "",
) -> None:
    """Walk the pages in order and save one PNG each."""

    def shot(widget: QWidget, path: Path) -> None:
        save(widget, path.with_name(prefix + path.name))

    sign_in = SignInDialog(translator, services.accounts, services.settings.post_name)
    sign_in.username.setText(OFFICER.username)
    sign_in.resize(520, 300)
    sign_in.show()
    settle(app)
    shot(sign_in, out / "01-sign-in.png")
    sign_in.close()

    ctx = build_context(services, translator, OFFICER, SilentPrompter())  # type: ignore[arg-type]
    window = MainWindow(ctx)
    window.resize(1366, 768)
    window.show()
    idle = lambda: ctx.tasks.idle  # noqa: E731
    settle(app, lambda: window.cases.model.total > 0 and idle())
    shot(window, out / "02-cases.png")
    searched: list[object] = []
    window.cases.query_applied.connect(searched.append)
    window.cases.search.setText("meo")  # an alternative name of the HMong: matched via the ethnic list
    settle(app, lambda: bool(searched) and idle())
    shot(window, out / "03-cases-search.png")
    window.cases.search.clear()
    settle(app, idle)

    wizard = window.new_intake()
    wizard.steps[IntakeStep.RETURN].group.setChecked(True)
    wizard.next()
    wizard.next()
    group = wizard.steps[IntakeStep.GROUP]
    group.quick.setPlainText(
        "Gi\u00e0ng Th\u1ecb Sua, F, 14\nL\u00f2 V\u0103n S\u1eed, M, 2011-04-02\n"
        "V\u00e0ng Th\u1ecb D\u1ee3, F, 12"
    )
    group.add_quick()
    group.model.setData(group.model.index(0, 8), "hmn")
    settle(app)
    shot(wizard, out / "04-intake-group.png")
    wizard.next()
    language = wizard.steps[IntakeStep.LANGUAGE]
    language.model.setData(language.model.index(0, 9), "none")
    language.model.setData(language.model.index(0, 10), "hmn")
    settle(app)
    shot(wizard, out / "05-intake-language.png")
    wizard.reject()

    window.open_case(opened["chinese"])
    settle(app, lambda: idle() and window.case.case is not None)
    shot(window, out / "06-case-identity.png")
    window.case.view.tabs.setCurrentIndex(2)
    settle(app)
    shot(window, out / "07-case-verification.png")
    window.case.view.tabs.setCurrentIndex(8)
    settle(app)
    shot(window, out / "08-case-history.png")

    window.show_section("verification")
    settle(app, idle)
    shot(window, out / "09-verification-tracker.png")
    window.show_section("handover")
    window.handover.open_batch(opened["batch"])
    settle(app, lambda: idle() and window.handover.batch is not None)
    shot(window, out / "10-handover-session.png")
    window.show_section("reception")
    settle(app, lambda: idle() and window.reception.care_model.total > 0)
    first = window.reception.care_model.summary(0)
    if first is not None:
        window.reception.in_care.selectRow(0)
        window.reception.select(first.reference)
        settle(app, lambda: idle() and window.reception.selected is not None)
    shot(window, out / "11-reception.png")
    window.show_section("settings")
    settle(app, idle)
    shot(window, out / "12-settings.png")
    shoot_day(app, services, translator, window, opened, lambda w, name: shot(w, out / name))
    window.close()
    ctx.tasks.shutdown()


if __name__ == "__main__":
    sys.exit(main())
