"""Screenshots of key exchange in the desk: the key directory, this post's key card, the sheet.

Run under Xvfb at the border-post laptop's resolution, once per language:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tools/take_key_screenshots.py
    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tools/take_key_screenshots.py \
        --lang km --prefix km- --out docs/screenshots/i18n

Two throw-away posts with fictitious names; the second one's card is added at the first.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from i18n import Translator  # noqa: E402
from repatriation.domain.clock import FixedClock  # noqa: E402
from repatriation.domain.key_directory import AgencyKind  # noqa: E402
from tools.take_screenshots import SilentPrompter, save, settle, shot_arguments  # noqa: E402
from ui.application import prepare_app  # noqa: E402

POST = "\u0110\u1ed3n Bi\u00ean ph\u00f2ng CKQT L\u00e0o Cai (demo)"
CENTRE = "Trung t\u00e2m C\u00f4ng t\u00e1c x\u00e3 h\u1ed9i L\u00e0o Cai (demo)"
COUNTERPART = "\u6cb3\u53e3\u8fb9\u5883\u7ba1\u7406\u5927\u961f (demo)"


def main() -> int:
    """Build the two posts and save the screenshots."""
    args = shot_arguments(__doc__)
    app = prepare_app([])
    translator = Translator(args.lang)
    with tempfile.TemporaryDirectory(prefix="key-shots-") as folder:
        shoot(app, translator, Path(folder), args.out, args.prefix)
    return 0


def shoot(app: object, translator: Translator, root: Path, out: Path, prefix: str) -> None:
    """The directory with two counterparts, then this post's card and its printed sheet."""
    from tests.crypto.service_kit import OFFICER, make_post, now
    from ui.bundle_adapter import DeskBundles
    from ui.context import AppContext
    from ui.dialogs.key_directory_dialog import KeyDirectoryDialog
    from ui.dialogs.own_key_card_dialog import OwnKeyCardDialog
    from ui.key_card_sheet import save_png
    from ui.tasks import TaskRunner

    clock = FixedClock(now())
    lc = make_post(root, "lc", clock, POST)
    centre, counterpart = make_post(root, "tt", clock, CENTRE), make_post(root, "hk", clock,
                                                                         COUNTERPART)
    verified = lc.keys.add(OFFICER, centre.keys.card(), kind=AgencyKind.RECEPTION_CENTRE)
    lc.keys.verify(OFFICER, verified.key_id)
    lc.keys.add(OFFICER, counterpart.keys.card(), kind=AgencyKind.FOREIGN_COUNTERPART,
                country="CN")
    tasks = TaskRunner()
    ctx = AppContext(services=lc.services, tasks=tasks, prompter=SilentPrompter(),
                     translator=translator, actor=OFFICER)
    try:
        keys = DeskBundles(lc.bundles, translator)
        directory = KeyDirectoryDialog(ctx, keys)
        directory.show()
        settle(app, lambda: directory.table.rowCount() == 2)  # type: ignore[arg-type]
        directory.table.selectRow(1)
        settle(app)  # type: ignore[arg-type]
        save(directory, out / f"{prefix}key_directory.png")
        card = OwnKeyCardDialog(ctx, keys, keys.own_card())
        card.show()
        settle(app)  # type: ignore[arg-type]
        save(card, out / f"{prefix}key_card.png")
        save_png(out / f"{prefix}key_card_sheet.png", card.sheet())
        print(f"{prefix}key_card_sheet.png: the printed sheet (A4 at 150 dpi)")
        directory.close()
        card.close()
    finally:
        tasks.shutdown()
        for post in (lc, centre, counterpart):
            post.services.close()


if __name__ == "__main__":
    raise SystemExit(main())
