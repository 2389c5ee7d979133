"""The counterpart key directory in the desk: fakes for the flow, then the real key service."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from repatriation.crypto.keys import entry_keys
from tests.ui.conftest import wait_idle
from tests.ui.fakes import FakePrompter
from ui.context import AppContext
from ui.dialogs.key_directory_dialog import KeyDirectoryDialog
from ui.ports import CounterpartKey, OwnKeyCard

NUMBER = "12345 67890 12345 67890 12345 67890 12345 67890 12345 67890 12345 67890"


class FakeKeys:
    """An in-memory directory with two fictitious counterparts."""

    def __init__(self) -> None:
        self.rows = [
            CounterpartKey("a" * 32, "Fictitious Welfare Office", "counterpart agency", NUMBER,
                           verified=False, revoked=False),
            CounterpartKey("b" * 32, "Demo Reception Centre", "reception centre", NUMBER,
                           verified=True, revoked=False),
        ]
        self.calls: list[tuple[str, str]] = []

    def counterparts(self) -> list[CounterpartKey]:
        return list(self.rows)

    def add_card(self, actor: object, card_text: str, kind: str, country: str) -> CounterpartKey:
        raise AssertionError("not used here")

    def _set(self, key_id: str, **changes: bool) -> CounterpartKey:
        index = next(i for i, r in enumerate(self.rows) if r.key_id == key_id)
        self.rows[index] = dataclasses.replace(self.rows[index], **changes)
        return self.rows[index]

    def mark_verified(self, actor: object, key_id: str) -> CounterpartKey:
        self.calls.append(("verify", key_id))
        return self._set(key_id, verified=True)

    def revoke(self, actor: object, key_id: str) -> CounterpartKey:
        self.calls.append(("revoke", key_id))
        return self._set(key_id, revoked=True)

    def own_card(self) -> OwnKeyCard:
        return OwnKeyCard("vn-ctp-key:v2;fictitious", NUMBER, "Demo Post", "border post", "c" * 64)

    def card_in_file(self, path: Path) -> str:
        raise AssertionError("not used here")

    def rotate_own(self, actor: object, passphrase: str) -> OwnKeyCard:
        raise AssertionError("not used here")


def _states(dialog: KeyDirectoryDialog) -> list[str]:
    return [dialog.table.item(i, 3).text() for i in range(dialog.table.rowCount())]


def test_verify_asks_about_the_words_and_revoke_can_be_declined(
        qtbot, ctx: AppContext, prompter: FakePrompter) -> None:
    keys = FakeKeys()
    dialog = KeyDirectoryDialog(ctx, keys)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2)
    assert _states(dialog) == ["Not verified yet", "Verified"]
    assert not dialog.verify_button.isEnabled() and not dialog.revoke_button.isEnabled()
    dialog.select("b" * 32)
    assert not dialog.verify_button.isEnabled() and dialog.revoke_button.isEnabled()
    dialog.select("a" * 32)
    assert dialog.verify_button.isEnabled()
    with qtbot.waitSignal(dialog.changed):
        dialog.verify()
    asked = prompter.calls[-1]
    assert asked[0] == "confirm" and NUMBER in asked[2] and "Fictitious Welfare Office" in asked[2]
    qtbot.waitUntil(lambda: _states(dialog) == ["Verified", "Verified"])
    prompter.confirm_answers.append(False)
    dialog.select("b" * 32)
    dialog.revoke()
    wait_idle(qtbot, ctx)
    assert keys.calls == [("verify", "a" * 32)]  # declined: nothing revoked
    dialog.select("b" * 32)
    with qtbot.waitSignal(dialog.changed):
        dialog.revoke()
    qtbot.waitUntil(lambda: _states(dialog) == ["Verified", "Revoked"])
    assert keys.calls[-1] == ("revoke", "b" * 32)


def test_real_directory_add_a_card_verify_then_revoke(qtbot, key_posts, tmp_path: Path) -> None:
    lc, hk, ctx, prompter, keys = key_posts
    dialog = KeyDirectoryDialog(ctx, keys)
    qtbot.addWidget(dialog)
    wait_idle(qtbot, ctx)
    assert dialog.table.rowCount() == 0

    damaged = tmp_path / "damaged.txt"
    damaged.write_text(hk.keys.card()[:-12], encoding="utf-8")
    prompter.files.append(damaged)
    dialog.add()
    qtbot.waitUntil(lambda: "error" in prompter.kinds())
    assert "not a valid key card" in prompter.calls[-1][1]
    assert lc.keys.directory() == []  # nothing written

    card = tmp_path / "hk.card"
    card.write_text(hk.keys.card(), encoding="utf-8")
    # The officer says what the holder is: a foreign counterpart needs its country.
    assert dialog.kind.currentData() == "foreign_counterpart" and dialog.country.isEnabled()
    prompter.files.append(card)
    dialog.add()
    qtbot.waitUntil(lambda: prompter.kinds().count("error") == 2)
    assert lc.keys.directory() == []
    dialog.country.setText("cn")
    prompter.files.append(card)
    with qtbot.waitSignal(dialog.changed, timeout=10000):
        dialog.add()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    entry = lc.keys.directory()[0]
    assert (entry.kind.value, entry.country) == ("foreign_counterpart", "CN")
    number = entry_keys(entry).fingerprint()
    assert prompter.calls[-1][0] == "inform" and number in prompter.calls[-1][2]
    assert not entry.verified_out_of_band and _states(dialog) == ["Not verified yet"]

    prompter.files.append(card)
    dialog.add()  # the same card again is refused, and said so
    qtbot.waitUntil(lambda: prompter.kinds().count("error") == 3)
    assert "already in the key directory" in prompter.calls[-1][1]

    dialog.select(entry.key_id)
    with qtbot.waitSignal(dialog.changed, timeout=10000):
        dialog.verify()
    qtbot.waitUntil(lambda: _states(dialog) == ["Verified"])
    assert lc.keys.entry(entry.key_id).verified_out_of_band
    dialog.select(entry.key_id)
    with qtbot.waitSignal(dialog.changed, timeout=10000):
        dialog.revoke()
    qtbot.waitUntil(lambda: _states(dialog) == ["Revoked"])
    assert lc.keys.entry(entry.key_id).revoked_at is not None
    assert not dialog.revoke_button.isEnabled() and not dialog.verify_button.isEnabled()


class DescribedKeys(FakeKeys):
    """The fake directory also summarises itself for the settings page."""

    def describe(self) -> list[tuple[str, str]]:
        return [(row.agency + (" (revoked)" if row.revoked else ""), row.safety_number)
                for row in self.rows]


def test_settings_page_opens_the_directory_and_follows_its_changes(
        qtbot, ctx: AppContext, services) -> None:
    from ui.pages.settings_page import SettingsPage

    bare = SettingsPage(ctx)
    qtbot.addWidget(bare)
    assert bare.directory_button.isHidden() and bare.open_key_directory() is None
    keys = DescribedKeys()
    ctx.keys = keys
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    assert not page.directory_button.isHidden()
    assert "(revoked)" not in page.keys.text()
    dialog = page.open_key_directory()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2)
    dialog.select("b" * 32)
    with qtbot.waitSignal(dialog.changed):
        dialog.revoke()
    assert "Demo Reception Centre (revoked)" in page.keys.text()
    dialog.close()


def test_own_card_is_shown_with_its_qr_and_a_pasted_card_is_added(qtbot, key_posts) -> None:
    from PySide6.QtWidgets import QDialog

    from tests.ui.conftest import on_next_dialog
    from ui.dialogs.own_key_card_dialog import OwnKeyCardDialog

    lc, hk, ctx, _prompter, keys = key_posts
    dialog = KeyDirectoryDialog(ctx, keys)
    qtbot.addWidget(dialog)
    wait_idle(qtbot, ctx)
    seen: list[tuple[str, str, bool]] = []

    def look(shown: QDialog) -> None:
        assert isinstance(shown, OwnKeyCardDialog)
        seen.append((shown.text.toPlainText(), " ".join(shown.number.text().split()),
                     shown.qr.pixmap().isNull()))
        shown.accept()

    on_next_dialog(look, attempts=1000)
    dialog.show_own_card()
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    assert seen == [(lc.keys.card(), lc.keys.safety_number(), False)]
    # The JSON that ``keys card --json`` prints, pasted as it is, as a border post.
    dialog.kind.setCurrentIndex(dialog.kind.findData("border_post"))
    dialog.pasted.setPlainText(json.dumps({"card": hk.keys.card()}))
    with qtbot.waitSignal(dialog.changed, timeout=10000):
        dialog.add_pasted()
    entry = lc.keys.directory()[0]
    assert (entry.kind.value, entry.agency) == ("border_post", "hk agency")
    assert dialog.pasted.toPlainText() == ""
