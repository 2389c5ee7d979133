"""Bundle dialogs: passphrase prompt on fakes, and a real export from one SQLite desk into another."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from i18n import Translator
from repatriation.bootstrap import build_services
from repatriation.config import Settings
from repatriation.domain.actors import Actor, Role
from repatriation.domain.clock import FixedClock
from repatriation.domain.key_directory import AgencyKind
from tests.crypto.service_kit import PASSPHRASE, introduce, make_post, now, sample_case
from tests.ui.fakes import OFFICER, FakeBundles, FakePrompter
from ui.application import build_context
from ui.bundle_adapter import DeskBundles
from ui.bundle_wiring import desk_exchange
from ui.context import AppContext
from ui.dialogs.export_bundle_dialog import ExportBundleDialog
from ui.dialogs.import_bundle_dialog import ImportBundleDialog
from ui.tasks import TaskRunner


def _refused(qtbot, importer: ImportBundleDialog, prompter: FakePrompter, path: Path,
             timeout: int) -> str:
    """Choose ``path`` in the import dialog and return the error the officer is shown."""
    qtbot.addWidget(importer)
    prompter.files.append(path)
    importer.choose()
    qtbot.waitUntil(lambda: any(c[0] == "error" for c in prompter.calls), timeout=timeout)
    return str(prompter.calls[-1])


def test_wrong_passphrase_is_told_then_the_right_one_opens(
    qtbot, ctx: AppContext, prompter, tmp_path
) -> None:
    bundles = FakeBundles()
    bundles.passphrase = "fictitious secret"
    prompter.secrets.extend(["wrong", "fictitious secret"])
    target = tmp_path / "in.rdbundle"
    target.write_bytes(b"bundle:LC-2026-000001")
    importer = ImportBundleDialog(ctx, bundles)
    assert "passphrase is not right" in _refused(qtbot, importer, prompter, target, 5000)
    assert importer.items.count() == 0 and not importer.import_button.isEnabled()
    prompter.files.append(target)
    importer.choose()
    qtbot.waitUntil(lambda: importer.items.count() == 1, timeout=5000)
    assert importer.import_button.isEnabled()


def test_cancelled_passphrase_exports_nothing(qtbot, ctx: AppContext, prompter, tmp_path) -> None:
    bundles = FakeBundles()
    bundles.passphrase = "fictitious secret"
    export = ExportBundleDialog(ctx, bundles, ["LC-2026-000001"])  # no answer: cancelled
    qtbot.addWidget(export)
    qtbot.waitUntil(lambda: export.items.count() == 1)
    prompter.files.append(tmp_path / "out.rdbundle")
    export.export()
    assert bundles.exported == [] and export.exported is None


@pytest.fixture
def desks(qapp, tmp_path: Path):
    clock = FixedClock(now())
    a, b = make_post(tmp_path, "lc", clock), make_post(tmp_path, "hk", clock)
    introduce(b, a)
    b_id = introduce(a, b)
    with a.services.uow_factory() as uow:  # at post A, post B is a reception centre
        store = uow.bundle_store
        store.put_entry(dataclasses.replace(store.directory_entry(b_id), kind=AgencyKind.RECEPTION_CENTRE))
        uow.commit()
    runner = TaskRunner()
    made = []
    for post in (a, b):
        prompter = FakePrompter()
        ctx = AppContext(services=post.services, tasks=runner, prompter=prompter,  # type: ignore[arg-type]
                         translator=Translator("en"), actor=OFFICER)
        made.append((post, ctx, prompter, DeskBundles(post.bundles, ctx.translator)))
    yield made
    runner.shutdown()
    for post in (a, b):
        post.services.close()


def test_real_export_then_import_through_the_dialogs_and_replay_refused(qtbot, desks, tmp_path) -> None:
    (a, a_ctx, a_prompter, a_desk), (b, b_ctx, b_prompter, b_desk) = desks
    refs = ["LC-2026-000011", "LC-2026-000012"]
    for ref in refs:
        a.add_case(sample_case(ref, a))
    for prompter in (a_prompter, b_prompter):
        prompter.secrets.extend([PASSPHRASE] * 3)  # more than needed: the count below is the check
    export = ExportBundleDialog(a_ctx, a_desk, refs)
    qtbot.addWidget(export)
    assert export.recipient.count() == 1 and "reception centre" in export.recipient.itemText(0)
    qtbot.waitUntil(lambda: export.items.count() > 2, timeout=10000)
    texts = [export.items.item(i).text() for i in range(export.items.count())]
    assert any(t.startswith("\u2717 Exploitation narrative") for t in texts)  # minimised for a centre
    assert all("_" not in t for t in texts if t.startswith("\u2717"))  # labels, not paths
    target = tmp_path / "to_hk.rdbundle"
    a_prompter.files.append(target)
    with qtbot.waitSignal(export.accepted, timeout=20000):
        export.export()
    assert export.exported == target and target.read_bytes().startswith(b"age-encryption.org/v1")
    assert a_prompter.calls[-1] == ("inform", "Export bundle", f"The bundle was saved to {target}.")

    importer = ImportBundleDialog(b_ctx, b_desk)
    qtbot.addWidget(importer)
    b_prompter.files.append(target)
    importer.choose()
    qtbot.waitUntil(lambda: importer.import_button.isEnabled(), timeout=20000)
    preview = [importer.items.item(i).text() for i in range(importer.items.count())]
    assert all(any(t.startswith(f"{ref} - new case") for t in preview) for ref in refs)
    with qtbot.waitSignal(b_ctx.tasks.data_changed, timeout=20000) as changed:
        importer.apply()
    assert set(refs) <= set(changed.args[0].cases)
    qtbot.waitUntil(lambda: b_prompter.kinds()[-1:] == ["inform"], timeout=5000)
    assert b_prompter.calls[-1][2].startswith("The bundle was imported: ")
    assert [b.case(ref).reference for ref in refs] == refs
    own, *known = a_desk.describe()
    assert own[0] == "This post (lc agency)" and len(own[1].split()) == 12  # safety number
    assert [label for label, _ in known] == ["hk agency"]
    # once per desk: the opened key store is kept for the session
    assert (a_prompter.secrets_asked, b_prompter.secrets_asked) == (1, 1)

    again = ImportBundleDialog(b_ctx, b_desk)
    assert "already imported" in _refused(qtbot, again, b_prompter, target, 20000)
    assert not again.import_button.isEnabled() and b_prompter.secrets_asked == 1


def test_the_desk_builds_the_bundle_service_on_first_use(qapp, tmp_path: Path) -> None:
    post = make_post(tmp_path, "lc", FixedClock(now()))
    calls: list[object] = []

    def build() -> object:
        calls.append(post.services)
        return post.bundles

    desk = desk_exchange(build, Translator("en"))
    assert calls == []
    assert desk.needs_passphrase() and calls == [post.services]
    assert desk.describe()[0][0] == "This post (lc agency)" and len(calls) == 1
    post.services.close()


def test_a_built_desk_context_carries_the_exchange_of_its_services(qapp, tmp_path: Path) -> None:
    desk_dir = tmp_path / "desk"
    services = build_services(Settings(data_dir=desk_dir, language="en"), clock=FixedClock(now()))
    ctx = build_context(services, Translator("en"), Actor("liaison.test", Role.LIAISON), FakePrompter())
    assert "exchange" not in vars(services)  # nothing built before first use
    assert ctx.bundles is ctx.keys and ctx.bundles is not None
    assert isinstance(ctx.bundles.needs_passphrase(), bool)  # first use builds the real services
    assert "exchange" in vars(services) and ctx.keys.inbox is services.exchange.inbox
    services.close()


def test_left_out_paths_are_named_by_their_part_of_the_case() -> None:
    from ui.bundle_adapter import section_label

    assert section_label("exploitation_narrative") == "Exploitation narrative"
    assert section_label("consents[].given_by") == section_label("consents[].scope") == "Consent"
    assert section_label("person.address") == "Address"
    assert section_label("person.family_name") is None  # shown as its path, never mislabelled
