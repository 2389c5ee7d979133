"""Key exchange in the desk alone: print and save the post's card, add cards the CLI prints
(text and a QR picture of it), replace the post's key; every step through the real dialogs."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2
import pytest
import qrcode
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QPushButton

from i18n import Translator
from repatriation.crypto.keys import entry_keys, parse_card
from repatriation.domain.actors import Role
from repatriation.services.key_card_files import card_from_image, qr_texts
from tests.cli_kit import demo_desk
from tests.crypto.service_kit import PASSPHRASE
from tests.ui.conftest import on_next_dialog, wait_idle
from tests.ui.fakes import OFFICER
from ui.bundle_adapter import DeskBundles
from ui.context import AppContext
from ui.dialogs.key_directory_dialog import KeyDirectoryDialog
from ui.dialogs.own_key_card_dialog import OwnKeyCardDialog

CLI_KEY_PASSPHRASE = "passphrase of the cli desk key store"


def click(qtbot, button: QPushButton) -> None:
    assert button.isEnabled() and button.isVisible(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def open_own_card(qtbot, directory: KeyDirectoryDialog, act) -> None:
    """Click "This post's key card...", run ``act`` on the shown card dialog, then close it."""
    done: list[bool] = []

    def inside(shown: QDialog) -> None:
        assert isinstance(shown, OwnKeyCardDialog)
        try:
            act(shown)
        finally:
            done.append(True)
            shown.accept()

    on_next_dialog(inside, attempts=1000)
    click(qtbot, directory.own_button)
    qtbot.waitUntil(lambda: bool(done), timeout=20000)


def test_card_is_printed_and_saved_and_each_copy_adds_at_the_other_desk(
        qtbot, key_posts, tmp_path: Path) -> None:
    lc, hk, ctx, prompter, keys = key_posts
    directory = KeyDirectoryDialog(ctx, keys)
    qtbot.addWidget(directory)
    directory.show()
    wait_idle(qtbot, ctx)
    printed, saved = tmp_path / "printed.pdf", {k: tmp_path / f"card.{k}" for k in ("pdf", "png")}
    saved["txt"] = tmp_path / "card"  # no suffix typed: the desk adds it
    seen: list[str] = []

    def use(card: OwnKeyCardDialog) -> None:
        assert card.text.toPlainText() == lc.keys.card()
        assert card.number.text().split() == lc.keys.safety_number().split()
        assert qr_texts(_png(card.qr.pixmap().toImage()), "screen") == [lc.keys.card()]

        def to_file() -> QPrinter:  # the test machine has no printer: Qt's "print to file"
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(printed))
            return printer

        card.new_printer = to_file  # type: ignore[method-assign]
        on_next_dialog(lambda print_dialog: print_dialog.accept(), attempts=1000)  # Qt's own
        with qtbot.waitSignal(card.printed, timeout=20000):
            click(qtbot, card.print_button)
        for kind, button in (("pdf", card.pdf_button), ("png", card.png_button),
                             ("txt", card.text_button)):
            prompter.files.append(saved[kind])
            with qtbot.waitSignal(card.saved, timeout=20000):
                click(qtbot, button)
            seen.append(prompter.calls[-1][2])

    open_own_card(qtbot, directory, use)
    card = lc.keys.card()
    assert seen[0] == f"The key card was saved to {saved['pdf']}."
    # Every copy carries the card: the QR code read back from the printed and saved PDFs and
    # from the PNG, and the text file holds the line ``keys card`` prints.
    assert _pdf_qr(printed) == _pdf_qr(saved["pdf"]) == [card]
    assert card_from_image(saved["png"]) == card
    assert (tmp_path / "card.txt").read_text(encoding="ascii") == card + "\n"

    # At the other key_posts, the saved picture is added through "Add from QR picture...".
    hk_keys = DeskBundles(hk.bundles, ctx.translator)
    hk_ctx = AppContext(services=hk.services, tasks=ctx.tasks, prompter=prompter,  # type: ignore[arg-type]
                        translator=ctx.translator, actor=OFFICER)
    other = KeyDirectoryDialog(hk_ctx, hk_keys)
    qtbot.addWidget(other)
    other.show()
    other.kind.setCurrentIndex(other.kind.findData("border_post"))
    prompter.files.append(saved["png"])
    with qtbot.waitSignal(other.changed, timeout=20000):
        click(qtbot, other.image_button)
    qtbot.waitUntil(lambda: other.table.rowCount() == 1)
    entry = hk.keys.directory()[0]
    assert entry_keys(entry).fingerprint() == lc.keys.safety_number() and not entry.verified_out_of_band
    assert other.table.item(0, 2).text() == lc.keys.safety_number()


def test_replacing_the_key_asks_the_passphrase_and_shows_the_new_card(qtbot, key_posts) -> None:
    lc, _hk, ctx, prompter, keys = key_posts
    keys.unlock(PASSPHRASE)  # the session had opened the store (an export earlier)
    old_card, old_number = lc.keys.card(), lc.keys.safety_number()
    directory = KeyDirectoryDialog(ctx, keys)
    qtbot.addWidget(directory)
    directory.show()
    wait_idle(qtbot, ctx)
    result: dict[str, str] = {}

    def rotate(card: OwnKeyCardDialog) -> None:
        prompter.confirm_answers.append(False)  # declined: nothing asked, nothing changed
        click(qtbot, card.rotate_button)
        assert prompter.secrets_asked == 0 and lc.keys.card() == old_card
        prompter.secrets.append("not the passphrase")
        click(qtbot, card.rotate_button)
        qtbot.waitUntil(lambda: prompter.kinds()[-1] == "error", timeout=20000)
        result["wrong"] = prompter.calls[-1][1]
        assert card.text.toPlainText() == old_card
        prompter.secrets.append(PASSPHRASE)
        with qtbot.waitSignal(directory.changed, timeout=20000):
            click(qtbot, card.rotate_button)
        qtbot.waitUntil(lambda: card.text.toPlainText() != old_card, timeout=20000)
        result["shown"], result["number"] = card.text.toPlainText(), card.number.text()

    open_own_card(qtbot, directory, rotate)
    assert result["wrong"] == "The passphrase is not right."
    assert result["shown"] == lc.keys.card() != old_card
    assert result["number"].split() == lc.keys.safety_number().split() != old_number.split()
    assert prompter.calls[-1][0] == "inform" and lc.keys.safety_number() in prompter.calls[-1][2]
    # The old key still opens bundles for the grace period; the desk signs with the new one.
    store = lc.keys.unlock(PASSPHRASE)
    assert len(store.identities) == 2
    new_id = parse_card(lc.keys.card()).keys.key_id
    assert store.current.key_id == new_id == keys._store().current.key_id
    assert not keys.needs_passphrase()


def test_cards_the_cli_prints_add_in_the_desk_as_text_and_as_a_qr_picture(
        qtbot, key_posts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lc, _hk, ctx, prompter, keys = key_posts
    cli_desk = demo_desk(tmp_path / "cli", cases=1)
    monkeypatch.setenv("REPATRIATION_KEY_PASSPHRASE", CLI_KEY_PASSPHRASE)
    cli_desk.ok(Role.SUPERVISOR, "keys", "generate", "--agency", "Đồn Biên phòng Hữu Nghị (demo)")
    printed = cli_desk.ok(Role.LIAISON, "keys", "card", "--qr")  # the line, then the terminal QR
    first = printed.splitlines()[0]
    directory = KeyDirectoryDialog(ctx, keys)
    qtbot.addWidget(directory)
    directory.show()
    directory.kind.setCurrentIndex(directory.kind.findData("border_post"))
    directory.pasted.setPlainText(printed)  # pasted whole, as copied from the terminal
    with qtbot.waitSignal(directory.changed, timeout=20000):
        click(qtbot, directory.paste_button)
    qtbot.waitUntil(lambda: directory.table.rowCount() == 1)
    assert lc.keys.directory()[0].agency == "Đồn Biên phòng Hữu Nghị (demo)"

    # The CLI post replaces its key; its new card arrives as a PNG of the QR code.
    rotated = cli_desk.ok(Role.SUPERVISOR, "keys", "rotate").strip()
    card_json = cli_desk.ok(Role.LIAISON, "keys", "card", "--json")
    picture = tmp_path / "phone photo.png"
    qrcode.make(card_json).save(picture)  # the JSON form in the QR: the desk reads that too
    prompter.files.append(picture)
    with qtbot.waitSignal(directory.changed, timeout=20000):
        click(qtbot, directory.image_button)
    qtbot.waitUntil(lambda: directory.table.rowCount() == 2)
    added = {entry_keys(e).card(e.agency, e.kind) for e in lc.keys.directory()}
    assert added == {first, rotated}
    # The old key is retired from the desk: what it signed until now is still accepted.
    old_id = parse_card(first).keys.key_id
    directory.select(old_id)
    with qtbot.waitSignal(directory.changed, timeout=20000):
        click(qtbot, directory.retire_button)
    assert "replaced this key" in prompter.calls[-1][2]
    qtbot.waitUntil(lambda: "Replaced (older bundles accepted)" in [
        directory.table.item(i, 3).text() for i in range(directory.table.rowCount())])
    retired = lc.keys.entry(old_id)
    assert retired.valid_until is not None and retired.revoked_at is None
    directory.select(old_id)
    assert not directory.retire_button.isEnabled() and directory.revoke_button.isEnabled()
    # And the other way: the CLI adds the card the desk saved as a picture.
    sheet = tmp_path / "desk card.png"
    from ui.key_card_sheet import save_png
    dialog = OwnKeyCardDialog(ctx, keys, keys.own_card())
    qtbot.addWidget(dialog)
    save_png(sheet, dialog.sheet())
    out = cli_desk.ok(Role.LIAISON, "keys", "add", str(sheet), "--kind", "border_post")
    assert lc.keys.safety_number() in out


@pytest.mark.parametrize(("content", "expected"), [
    (b"plain text, not a picture", "is not a PNG, JPEG or BMP picture"),
    ("blank", "No key card QR code was found in 'bad.png'"),
    ("two", "holds 2 different key cards"),
])
def test_a_picture_without_one_card_is_refused_by_name_and_nothing_is_added(
        qtbot, key_posts, tmp_path: Path, content: object, expected: str) -> None:
    lc, hk, ctx, prompter, keys = key_posts
    picture = tmp_path / "bad.png"
    if content == "blank":
        qrcode.make("https://example.org/not-a-card").save(picture)
    elif content == "two":
        from PIL import Image
        both = Image.new("RGB", (1000, 500), "white")
        for index, card in enumerate((lc.keys.card(), hk.keys.card())):
            both.paste(qrcode.make(card).resize((480, 480)), (index * 500 + 10, 10))
        both.save(picture)
    else:
        picture.write_bytes(content)  # type: ignore[arg-type]
    directory = KeyDirectoryDialog(ctx, keys)
    qtbot.addWidget(directory)
    directory.show()
    directory.country.setText("CN")
    prompter.files.append(picture)
    click(qtbot, directory.image_button)
    qtbot.waitUntil(lambda: "error" in prompter.kinds(), timeout=20000)
    assert expected in prompter.calls[-1][1]
    assert lc.keys.directory() == []


LANGUAGES = ("vi", "en", "zh_CN", "km", "lo")


@pytest.mark.parametrize("language", LANGUAGES)
def test_key_dialogs_fit_the_laptop_screen_and_speak_the_language(
        qtbot, key_posts, language: str) -> None:
    from repatriation.domain.key_directory import AgencyKind
    from tests.ui.test_walk_languages import _problems
    from ui.application import prepare_app

    prepare_app()  # the vendored fonts and style, as the desk starts
    lc, hk, ctx, _prompter, _keys = key_posts
    lc.keys.add(OFFICER, hk.keys.card(), kind=AgencyKind.FOREIGN_COUNTERPART, country="CN")
    translator = Translator(language)
    local = AppContext(services=lc.services, tasks=ctx.tasks, prompter=ctx.prompter,
                       translator=translator, actor=OFFICER)
    keys = DeskBundles(lc.bundles, translator)
    directory = KeyDirectoryDialog(local, keys)
    card = OwnKeyCardDialog(local, keys, keys.own_card())
    problems: list[str] = []
    for dialog in (directory, card):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: directory.table.rowCount() == 1)
        directory.table.selectRow(0)
        problems += [f"{type(dialog).__name__}: {p}" for p in _problems(dialog, translator, set())]
        for hint in (dialog.minimumSizeHint(), dialog.sizeHint(), dialog.size()):
            if hint.width() > 1366 or hint.height() > 700:  # 768 less the title bar and panel
                problems.append(f"{type(dialog).__name__} {hint.width()}x{hint.height()}")
    assert problems == []
    wait_idle(qtbot, local)


def _png(image) -> bytes:
    from PySide6.QtCore import QBuffer, QIODevice
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def _pdf_qr(path: Path) -> list[str]:
    """The QR codes found on the PDF's only page, rendered at 100 dpi by PDFium."""
    document = pypdfium2.PdfDocument(path)
    try:
        assert len(document) == 1
        picture = document[0].render(scale=100 / 72).to_pil()
    finally:
        document.close()
    data = io.BytesIO()
    picture.save(data, "PNG")
    return qr_texts(data.getvalue(), path.name)
