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

import pytest

from repatriation.crypto import checkpoint as cp
from repatriation.services.audit import record_action
from repatriation.services.bundles import BundleService, ExportRequest
from repatriation.services.clock import FixedClock
from repatriation.storage.bundle_tables import sql_bundle_store_for
from repatriation.storage.inbox_tables import sql_inbox_store_for
from tests.crypto.service_kit import OFFICER, Post, introduce, make_post, now, sample_case


def _with_checkpoints(post: Post) -> Post:
    bundles = BundleService(post.services.uow_factory, sql_bundle_store_for, post.services.clock,
                            post.keys, attachments=post.attachments, staging_parent=post.data_dir,
                            inbox_for=sql_inbox_store_for, checkpoints=post.services.checkpoints)
    return dataclasses.replace(post, bundles=bundles)


def _send(a: Post, b: Post, reference: str, out: Path) -> None:
    b_id = next(e.key_id for e in a.keys.directory())
    a.bundles.export_bundle(OFFICER, ExportRequest(references=(reference,), recipients=(b_id,)),
                            keystore=a.keystore, out_path=out)


def test_the_receiving_desk_catches_a_log_cut_back_after_its_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import main as entry

    clock = FixedClock(now())
    a = _with_checkpoints(make_post(tmp_path, "lc", clock))
    b = _with_checkpoints(make_post(tmp_path, "hk", clock))
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
    assert sent.reason == "bundle" and sent.signed_by(a.keystore.current.public.ed25519)
    report = b.bundles.import_bundle(OFFICER, tmp_path / "one.vnbundle", keystore=b.keystore)
    assert report.checkpoint_problem is None
    assert [r.checkpoint for r in b.services.checkpoints.received()] == [sent]

    # The cut: every entry after 10 goes, the head row is rewritten, the checkpoint file deleted.
    with sqlite3.connect(a.data_dir / "repatriation.sqlite3") as db:
        db.execute("DELETE FROM audit_log WHERE sequence > 10")
        head = db.execute("SELECT entry_hash FROM audit_log WHERE sequence = 10").fetchone()[0]
        db.execute("UPDATE audit_head SET sequence = 10, head_hash = ?", (head,))
    (a.data_dir / "audit-checkpoints.txt").unlink()
    assert a.services.audit.verify(OFFICER).broken is None  # nothing left at lc to tell

    lc = ["--lang", "en", "--data-dir", str(a.data_dir)]
    hk = ["--lang", "en", "--data-dir", str(b.data_dir)]
    seen = tmp_path / "seen-from-lc.jsonl"
    assert entry.main([*hk, "audit", "export-checkpoints", "--from", sent_key(a), "-o", str(seen)]) == 0
    assert entry.main([*lc, "audit", "verify", "--checkpoints", str(seen)]) == 1
    captured = capsys.readouterr()
    report_json = json.loads(captured.out)
    assert report_json["broken"]["problem"] == "cut_back" and report_json["broken"]["sequence"] == 11
    assert f"covered entry {sent.sequence}: entries from 11 on were cut off" in captured.err

    # lc's next bundle says its log is shorter than before: hk flags it on import.
    _send(a, b, "LC-2026-000002", tmp_path / "two.vnbundle")
    report = b.bundles.import_bundle(OFFICER, tmp_path / "two.vnbundle", keystore=b.keystore)
    assert report.checkpoint_problem is not None
    assert report.checkpoint_problem.earlier_sequence == sent.sequence
    assert entry.main([*hk, "audit", "received"]) == 1
    assert "the sender's log was" in capsys.readouterr().err

    # A forged line in the export is refused, not trusted.
    forged = seen.read_text().replace(sent.head_hash, "ab" * 32)
    (tmp_path / "forged.jsonl").write_text(forged)
    assert entry.main([*lc, "audit", "verify", "--checkpoints", str(tmp_path / "forged.jsonl")]) == 1
    assert "does not carry this post's valid signature" in capsys.readouterr().err


def sent_key(post: Post) -> str:
    return post.keystore.current.key_id[:16]
