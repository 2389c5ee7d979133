"""Two desks: a bundle carries the sender's signed checkpoint; a log cut back later is caught.

Desk "lc" sends a bundle to desk "hk". Then lc's log is cut back (tail deleted, head row
rewritten) and its own checkpoint file deleted too, so lc's own ``audit verify`` sees nothing.
hk still holds the checkpoint from the bundle: exported with ``audit export-checkpoints`` and
given to lc's ``audit verify --checkpoints`` (the real CLI), it shows the cut; and lc's next
bundle is flagged when hk imports it.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

from repatriation.crypto.bundle_adapter import AgeBundles
from repatriation.domain import audit_checkpoint as cp
from repatriation.domain.clock import FixedClock
from repatriation.services.audit import record_action
from repatriation.services.bundles import BundleService, ExportRequest
from tests.cli_kit import run_cli
from tests.crypto.service_kit import OFFICER, Post, introduce, make_post, now, sample_case


def _with_checkpoints(post: Post) -> Post:
    bundles = BundleService(post.services.uow_factory, post.services.clock,
                            post.keys, crypto=AgeBundles(), attachments=post.attachments,
                            staging_parent=post.data_dir,
                            checkpoints=post.services.checkpoints)
    return dataclasses.replace(post, bundles=bundles)


def _send(a: Post, b: Post, reference: str, out: Path) -> None:
    b_id = next(e.key_id for e in a.keys.directory())
    a.bundles.export_bundle(OFFICER, ExportRequest(references=(reference,), recipients=(b_id,)),
                            keystore=a.keystore, out_path=out)


def test_the_receiving_desk_catches_a_log_cut_back_after_its_bundle(tmp_path: Path) -> None:
    clock = FixedClock(now())
    a = _with_checkpoints(make_post(tmp_path, "lc", clock))
    b = _with_checkpoints(make_post(tmp_path, "hk", clock))
    lc, lc_password = a.cli_sign_in()  # the CLI runs only as a signed-in account
    hk, hk_password = b.cli_sign_in()
    with sqlite3.connect(a.data_dir / "repatriation.sqlite3") as db:
        keep = db.execute("SELECT max(sequence) FROM audit_log").fetchone()[0] + 10
    introduce(b, a)
    introduce(a, b)
    a.add_case(sample_case("LC-2026-000001", a))
    a.add_case(sample_case("LC-2026-000002", a, family_name="Other"))
    with a.services.uow_factory() as uow:
        for i in range(40):
            record_action(uow, OFFICER, clock.now(), "case_viewed", "case", f"LC-2026-{i:06d}")
        uow.commit()
    _send(a, b, "LC-2026-000001", tmp_path / "one.vnbundle")
    sent = cp.parse(a.services.checkpoints.latest_signed().text())  # type: ignore[union-attr]
    assert sent.reason == "bundle" and a.services.checkpoints.signed_by(
        sent, a.keystore.current.public.ed25519)
    report = b.bundles.import_bundle(OFFICER, tmp_path / "one.vnbundle", keystore=b.keystore)
    assert report.checkpoint_problem is None
    assert [r.checkpoint for r in b.services.checkpoints.received()] == [sent]

    # The cut: every entry after `keep` goes, the head row is rewritten, the checkpoint file deleted.
    with sqlite3.connect(a.data_dir / "repatriation.sqlite3") as db:
        db.execute("DELETE FROM audit_log WHERE sequence > ?", (keep,))
        head = db.execute("SELECT entry_hash FROM audit_log WHERE sequence = ?", (keep,)).fetchone()[0]
        db.execute("UPDATE audit_head SET sequence = ?, head_hash = ?", (keep, head))
    (a.data_dir / "audit-checkpoints.txt").unlink()
    assert a.services.audit.verify(OFFICER).broken is None  # nothing left at lc to tell

    seen = tmp_path / "seen-from-lc.jsonl"
    assert run_cli(*hk, "audit", "export-checkpoints", "--from", sent_key(a), "-o", str(seen),
                   password=hk_password)[0] == 0
    code, out, err = run_cli(*lc, "audit", "verify", "--checkpoints", str(seen), password=lc_password)
    assert code == 1
    # Signing in to verify writes one entry after `keep`; the checkpoint hk kept is further on.
    report_json = json.loads(out)
    assert report_json["broken"]["problem"] == "cut_back" and report_json["broken"]["sequence"] == keep + 2
    assert f"covered entry {sent.sequence}: entries from {keep + 2} on were cut off" in err

    # lc's next bundle says its log is shorter than before: hk flags it on import.
    _send(a, b, "LC-2026-000002", tmp_path / "two.vnbundle")
    report = b.bundles.import_bundle(OFFICER, tmp_path / "two.vnbundle", keystore=b.keystore)
    assert report.checkpoint_problem is not None
    assert report.checkpoint_problem.earlier_sequence == sent.sequence
    code, _, err = run_cli(*hk, "audit", "received", password=hk_password)
    assert code == 1 and "the sender's log was" in err

    # A forged line in the export is refused, not trusted.
    forged = seen.read_text().replace(sent.head_hash, "ab" * 32)
    (tmp_path / "forged.jsonl").write_text(forged)
    code, _, err = run_cli(*lc, "audit", "verify", "--checkpoints", str(tmp_path / "forged.jsonl"),
                           password=lc_password)
    assert code == 1 and "does not carry this post's valid signature" in err


def sent_key(post: Post) -> str:
    return post.keystore.current.key_id[:16]
