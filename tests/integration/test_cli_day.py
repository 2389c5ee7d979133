"""Headless parity: a whole day at the post through the CLI, on one real data directory."""

from __future__ import annotations

import json
from pathlib import Path

import pypdf
import pytest

from repatriation.domain.actors import Role
from tests.cli_kit import SUPERVISOR_PASSWORD, demo_desk, encrypted_desk, run_cli

GROUP = (
    "family_name,middle_name,given_name,sex,date_of_birth,channel,corridor,received_on,gate_code\n"
    "Giàng,Thị,Mai,F,2012-05-01,official_handover,CN,2026-03-01,CN-LAOCAI\n"
    "Giàng,Thị,Hoa,F,2014-02-11,official_handover,CN,2026-03-01,CN-LAOCAI\n"
    "Giàng,A,Pao,M,2010-09-20,official_handover,CN,2026-03-01,CN-LAOCAI\n"
)


USER = ("--user", "chief")  # every step as a signed-in officer, as on the desk


def _cli(*args: str) -> tuple[int, str, str]:
    return run_cli(*args, password=SUPERVISOR_PASSWORD)


def _ok(data: str, *args: str) -> dict:
    code, out, err = run_cli("--data-dir", data, "--lang", "en", *args, *USER, password=SUPERVISOR_PASSWORD)
    assert code == 0, err
    return json.loads(out) if out.strip() else {}


def test_a_day_at_the_post_headless(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = str(tmp_path / "desk")
    encrypted_desk(tmp_path / "desk")  # "chief" is its supervisor
    group = tmp_path / "group.csv"
    group.write_text(GROUP, encoding="utf-8")
    assert run_cli("--data-dir", data, "cases", "import", str(group), *USER,
                   password=SUPERVISOR_PASSWORD)[0] == 0
    refs = [r["reference"] for r in _ok(data, "cases", "list")]
    assert len(refs) == 3

    case = _ok(data, "verifications", "request", refs[0], "--kind", "police_identity",
               "--to", "Công an tỉnh Lào Cai", "--sent-on", "2026-03-01")  # fmt: skip
    (request,) = case["verifications"]
    case = _ok(data, "verifications", "reply", refs[0], request["request_id"], "--outcome", "confirmed")
    assert case["verifications"][0]["outcome"] == "confirmed"

    batch = _ok(data, "batches", "plan", *(a for r in refs for a in ("--case", r)), "--gate", "CN-LAOCAI",
                "--corridor", "CN")  # fmt: skip
    ref = batch["reference"]
    _ok(data, "batches", "official", ref, "--side", "vn", "--name", "Nguyễn Văn Bình", "--rank", "Thiếu tá")
    _ok(data, "batches", "official", ref, "--side", "foreign", "--name", "Wang Wei", "--unit", "Hekou")
    for r, method in zip(refs[:2], ("signature", "thumbprint"), strict=True):
        _ok(data, "batches", "sign", ref, r, "--method", method, "--health", "Khỏe")
    code, _, err = _cli("--data-dir", data, "--lang", "en", "batches", "hand-over", ref, *USER)
    assert code != 0 and "have not signed the minutes" in err and refs[2] in err  # refused, in words
    _ok(data, "batches", "sign", ref, refs[2], "--method", "mark")
    done = _ok(data, "batches", "hand-over", ref)
    assert done["status"] == "handed_over" and len(done["officials"]) == 2

    minutes = tmp_path / "minutes.pdf"
    code, _, err = _cli("--data-dir", data, "forms", "render", "--form", "handover_minutes", *USER,
                           "--batch", ref, "--lang", "zh_CN", "-o", str(minutes))  # fmt: skip
    assert code == 0, err
    assert "Nguyễn Văn Bình" in "".join(p.extract_text() for p in pypdf.PdfReader(minutes).pages)

    mai = refs[0]
    case = _ok(data, "cases", "receive", mai, "--facility", "Trung tâm CTXH tỉnh Lào Cai")
    assert case["status"] == "in_care"
    code, _, err = _cli("--data-dir", data, "--lang", "en", "cases", "consent", mai,
                           "--scope", "services", "--representative", "given", *USER)  # fmt: skip
    assert code != 0 and "representative" in err
    case = _ok(data, "cases", "consent", mai, "--scope", "services", "--child", "given",
               "--representative", "given", "--representative-name", "Giàng A Sử (father)")  # fmt: skip
    assert {c["subject"] for c in case["consents"]} == {"child", "representative"}
    _ok(data, "cases", "family", mai, "--found", "--safe", "yes", "--notes", "Cha mẹ ở Bát Xát")
    _ok(data, "cases", "refer", mai, "--to", "Bệnh viện tỉnh Lào Cai", "--reason", "Khám sức khỏe")
    case = _ok(data, "cases", "status", mai, "reintegration")
    assert [f["status"] for f in case["follow_ups"]] == ["due", "due", "due"]  # planned, not done
    case = _ok(data, "cases", "follow-up", mai, "--months", "3", "--result", "done",
               "--visited-on", "2026-06-05")  # fmt: skip
    assert case["follow_ups"][0]["status"] == "done" and case["follow_ups"][0]["done_on"] == "2026-06-05"


def test_demo_tells_the_whole_story(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    desk = demo_desk(tmp_path / "desk", cases=120)
    batches = json.loads(desk.ok(Role.SUPERVISOR, "batches", "list"))
    handed = [b for b in batches if b["status"] == "handed_over"]
    assert handed and any(b["status"] == "planned" for b in batches)
    for batch in handed:
        assert {o["side"] for o in batch["officials"]} == {"vn", "foreign"}
        assert all(m["signature"] != "not_taken" for m in batch["members"])
    member = handed[0]["members"][0]["case_reference"]
    case = json.loads(desk.ok(Role.SUPERVISOR, "cases", "show", member))
    assert case["batch_reference"] == handed[0]["reference"] and case["reception"] is not None
    assert {c["subject"] for c in case["consents"]} >= {"representative"}
    listed = json.loads(desk.ok(Role.SUPERVISOR, "cases", "list"))
    reintegrated = [r["reference"] for r in listed if r["status"] in ("reintegration", "closed")]
    shown = [json.loads(desk.ok(Role.SUPERVISOR, "cases", "show", r)) for r in reintegrated[:5]]
    assert any(f["status"] == "done" for c in shown for f in c["follow_ups"])
    assert all(c["family_assessment"] is not None for c in shown)
