"""The access matrix, end to end: on every output path, each role sees exactly the canaries the matrix allows.

One demo desk per module (one account per role) holds the canary case. Each output path is
taken the way production takes it: the CLI commands through ``main.main`` signed in with
``--user``, every form in every language through ``DocumentService``, a bundle to each kind of
recipient, statistics, the import inbox, and the services the desk pages call. A supervisor's output is the
reference: another role's output must hold exactly the supervisor's markers that the matrix
lets that role use for the action; a role the matrix refuses gets a typed refusal. The desk's
pages and dialogs are checked in ``tests/ui/test_canary_desk.py``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from forms.renderer import ReportLabFormRenderer
from repatriation import bootstrap as bootstrap_module
from repatriation.bootstrap import Services, build_services
from repatriation.config import Settings
from repatriation.crypto.age_recipients import ScryptIdentity
from repatriation.crypto.passwords import Argon2Params, Argon2PasswordHasher
from repatriation.domain.actors import Actor, Role
from repatriation.domain.enums import VerificationKind, VerificationOutcome
from repatriation.domain.errors import PermissionDenied
from repatriation.domain.permissions import Action, Capability, allowed, has_capability
from repatriation.domain.sensitivity import FieldClass
from repatriation.domain.statistics_spec import Dimension, StatisticsSpec
from repatriation.services.documents import FORM_SUBJECT_CLASS, DocumentService
from repatriation.services.verifications import VerificationDraft
from tests.cli_kit import Desk, demo_desk
from tests.crypto.age_helpers import decrypt_bytes
from tests.security.canary_kit import (
    BATCH,
    CLASSES,
    HISTORY_FACILITY,
    REF,
    ROLES,
    check,
    found,
    of_class,
    seed,
)

KEY_PASSPHRASE = "post key passphrase for the canary desk"
FORMS = ("intake_report", "reception_record", "verification_request", "verification_reply",
         "referral_summary", "handover_minutes", "internal_handover")
LANGUAGES = ("vi", "en", "zh_CN", "km", "lo")
BASIC, SENSITIVE, PRIVATE = FieldClass.BASIC, FieldClass.SENSITIVE, FieldClass.CHILD_PRIVATE


# One desk per module: its tests run on one worker, in order.
pytestmark = pytest.mark.xdist_group("canary")


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Desk, Services]]:
    with pytest.MonkeyPatch.context() as patch:
        # The cheapest Argon2 allowed (the floor): the production cost is tested in test_accounts.py.
        patch.setattr(bootstrap_module, "password_hasher",
                      lambda: Argon2PasswordHasher(Argon2Params(19 * 1024, 2, 1)))
        patch.setenv("REPATRIATION_KEY_PASSPHRASE", KEY_PASSPHRASE)
        cli_desk = demo_desk(tmp_path_factory.mktemp("canary") / "desk", cases=0)
        services = build_services(Settings(data_dir=cli_desk.data),
                                  renderer=ReportLabFormRenderer())
        seed(services, actor(Role.SUPERVISOR))
        cli_desk.ok(Role.SUPERVISOR, "keys", "generate", "--agency", "Canary post")
        yield cli_desk, services
        services.close()


def actor(role: Role) -> Actor:
    return Actor(f"demo.{role.value.replace('_', '-')}", role)


def refused_in_cli(result: tuple[int, str, str], role: Role) -> None:
    code, out, err = result
    assert code == 2 and f"({role.value})" in err and "Traceback" not in err
    assert not found(out + err)


# -- the CLI ------------------------------------------------------------------------------------


def test_cases_show_holds_exactly_what_each_role_may_view(desk: tuple[Desk, Services]) -> None:
    cli, _ = desk
    reference = found(cli.ok(Role.SUPERVISOR, "cases", "show", REF))
    assert of_class(reference, SENSITIVE) and of_class(reference, PRIVATE)
    for role in ROLES:
        result = cli.run(role, "cases", "show", REF)
        if not allowed(role, Action.EXPORT, BASIC):
            refused_in_cli(result, role)
            continue
        assert result[0] == 0, result[2]
        check(found(result[1]), reference, role, Action.EXPORT)  # a file leaving the desk


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_case_lists_and_the_tracker_blank_what_a_role_may_not_view(
        desk: tuple[Desk, Services], fmt: str) -> None:
    cli, _ = desk
    listing = ("cases", "list", "--format", fmt)
    tracker = ("verifications", "overdue", "--format", fmt)
    references = [found(cli.ok(Role.SUPERVISOR, *args)) for args in (listing, tracker)]
    assert all(references)
    for role in ROLES:
        for args, reference in zip((listing, tracker), references, strict=True):
            result = cli.run(role, *args)
            if not allowed(role, Action.EXPORT, BASIC):
                refused_in_cli(result, role)
                continue
            assert result[0] == 0, result[2]
            check(found(result[1]), reference, role, Action.EXPORT)
        rows = _rows(cli.ok(role, *listing), fmt) if allowed(role, Action.EXPORT, BASIC) else []
        # The ethnic group is a code, not a marker: checked by value.
        ethnic = {row["ethnic_code"] for row in rows if row["reference"] == REF}
        assert ethnic == ({"08"} if allowed(role, Action.EXPORT, SENSITIVE) else {""}) or not rows


def _rows(text: str, fmt: str) -> list[dict[str, str]]:
    if fmt == "json":
        return [{k: "" if v is None else str(v) for k, v in r.items()} for r in json.loads(text)]
    return list(csv.DictReader(io.StringIO(text)))


def test_forms_render_in_the_cli_as_each_role(desk: tuple[Desk, Services], tmp_path: Path) -> None:
    cli, _ = desk
    texts: dict[Role, set[str]] = {}
    for role in (Role.SUPERVISOR, *ROLES):
        out = tmp_path / f"{role.value}.pdf"
        result = cli.run(role, "forms", "render", "--form", "intake_report", "--case", REF,
                         "--lang", "km", "-o", str(out))
        if not allowed(role, Action.PRINT, BASIC):
            refused_in_cli(result, role)
            assert not out.exists()
            continue
        assert result[0] == 0, result[2]
        texts[role] = found(_pdf_text(out.read_bytes()))
    assert of_class(texts[Role.SUPERVISOR], SENSITIVE)
    for role, shown in texts.items():
        check(shown, texts[Role.SUPERVISOR], role, Action.PRINT)


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


POLICIES = {
    "foreign": ("--kind", "foreign_counterpart"),
    "centre": ("--kind", "reception_centre"),
    "post": ("--kind", "border_post"),
    "post-narrative": ("--kind", "border_post", "--include-narrative"),
}


@pytest.mark.parametrize("policy", sorted(POLICIES))
def test_bundles_carry_the_policy_and_refuse_a_sender_without_the_share_right(
        desk: tuple[Desk, Services], policy: str, tmp_path: Path) -> None:
    cli, _ = desk
    args = ("bundle", "export", "--cases", REF, "--passphrase", *POLICIES[policy])
    preview = json.loads(cli.ok(Role.SUPERVISOR, *args, "--preview"))
    classes = {CLASSES_BY_PATH[p] for p in preview["included_paths"] if p in CLASSES_BY_PATH}
    senders = [r for r in ROLES if all(allowed(r, Action.SHARE, k) for k in classes | {BASIC})]
    for role in ROLES:
        if role not in senders:
            refused_in_cli(cli.run(role, *args, "--preview"), role)
    # One bundle, written by the least entitled sender: its content is the policy's, whoever sends.
    sender = min(senders, key=lambda r: sum(allowed(r, Action.SHARE, k) for k in FieldClass))
    out = tmp_path / "bundle.vnbundle"
    printed = cli.ok(sender, *args, "-o", str(out))
    passphrase = printed.split("\n", 1)[0].strip()
    plain = decrypt_bytes(out.read_bytes(), [ScryptIdentity(passphrase)])
    with tarfile.open(fileobj=io.BytesIO(plain)) as archive:
        member = archive.extractfile("cases.json")
        assert member is not None
        shown = found(member.read().decode("utf-8"))
    expected_classes = {"foreign": {BASIC}, "centre": {BASIC, SENSITIVE}, "post": {BASIC, SENSITIVE},
                        "post-narrative": {BASIC, SENSITIVE, PRIVATE}}[policy]
    assert {CLASSES[m] for m in shown} == expected_classes
    assert ("Zqx1health" in shown) is (policy == "centre")


def _paths_by_class() -> dict[str, FieldClass]:
    from repatriation.domain.sensitivity import CASE_FIELD_CLASSES

    return dict(CASE_FIELD_CLASSES)


CLASSES_BY_PATH = _paths_by_class()


def test_statistics_exact_only_for_the_capability_and_suppressed_for_the_others(
        desk: tuple[Desk, Services]) -> None:
    cli, services = desk
    for role in ROLES:
        exact = cli.run(role, "stats", "--by", "corridor", "--suppress", "0", "--format", "json")
        released = cli.run(role, "stats", "--by", "corridor", "--period", "2025", "--format", "json")
        assert not found(exact[1] + released[1])
        # A release (suppressed, recorded in the ledger) is made by the roles with exact access;
        # the others see published tables on the desk's statistics page only.
        if has_capability(role, Capability.VIEW_EXACT_STATISTICS):
            assert exact[0] == 0 and json.loads(exact[1])["exact"] is True
            assert released[0] == 0, released[2]
            assert json.loads(released[1])["k"] >= 3  # a release: the threshold it withheld under
        else:
            refused_in_cli(exact, role)
            assert released[0] == 2 and "Only statisticians and supervisors make releases" in released[2]
    with services.uow_factory() as uow:
        actions = [(e.actor, e.action) for e in uow.audit.entries("corridor")]
    assert ("demo.statistician", "view_exact_statistics_used") in actions
    assert ("demo.liaison", "view_exact_statistics_refused") in actions


# -- forms, every form in every language ----------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_every_form_in_every_language_prints_what_each_role_may_print(
        desk: tuple[Desk, Services], form: str) -> None:
    _, services = desk
    documents = services.documents
    assert isinstance(documents, DocumentService)
    target: dict[str, str] = (
        {"batch_ref": BATCH} if form in ("handover_minutes", "internal_handover") else {"case_ref": REF}
    )
    if form == "verification_reply":
        target["request_id"] = "V1"  # the answered request

    def printed(role: Role, language: str) -> set[str]:
        # Every language on purpose: the minutes default to the corridor's language.
        return found(_pdf_text(documents.render(actor(role), form, language=language,
                                                other_language=True, **target)))

    # The supervisor's printout is the reference (the same fields in every language); every
    # language for the most restricted role that prints, every role in English.
    reference = printed(Role.SUPERVISOR, "en")
    assert reference
    for language, role in [*((lang, Role.LIAISON) for lang in LANGUAGES), *(("en", r) for r in ROLES)]:
        if not allowed(role, Action.PRINT, FORM_SUBJECT_CLASS.get(form, BASIC)):
            with pytest.raises(PermissionDenied):
                printed(role, language)
            continue
        check(printed(role, language), reference, role, Action.PRINT)


def test_the_forms_show_sensitive_fields_to_a_supervisor(desk: tuple[Desk, Services]) -> None:
    # Without sensitive markers in the supervisor's printouts the form checks could not see a leak.
    _, services = desk
    assert services.documents is not None
    shown = found(_pdf_text(services.documents.render(actor(Role.SUPERVISOR), "intake_report",
                                                      case_ref=REF, language="en")))
    minutes = found(_pdf_text(services.documents.render(actor(Role.SUPERVISOR), "handover_minutes",
                                                        batch_ref=BATCH, language="en",
                                                        other_language=True)))
    assert "Zqx1health" in shown and "Zqx1handoverhealth" in minutes


# -- the services the desk calls ------------------------------------------------------------------


def test_verification_handover_and_history_services(desk: tuple[Desk, Services]) -> None:
    _, services = desk
    supervisor = actor(Role.SUPERVISOR)
    references = {
        "history": found(json.dumps([e.details for e in services.cases.history(supervisor, REF)])),
        "batch": found(repr(services.handovers.get(supervisor, BATCH))),
        "batches": found(repr(services.handovers.list_recent(supervisor))),
        "due": found(repr(services.verifications.due(supervisor, 3650))),
    }
    assert HISTORY_FACILITY in references["history"] and "Zqx1handoverhealth" in references["batch"]
    for role in ROLES:
        who = actor(role)
        calls = {
            "history": lambda w=who: json.dumps([e.details for e in services.cases.history(w, REF)]),
            "batch": lambda w=who: repr(services.handovers.get(w, BATCH)),
            "batches": lambda w=who: repr(services.handovers.list_recent(w)),
            "due": lambda w=who: repr(services.verifications.due(w, 3650)),
        }
        for name, call in calls.items():
            if not allowed(role, Action.VIEW, BASIC):
                with pytest.raises(PermissionDenied):
                    call()
                continue
            check(found(call()), references[name], role, Action.VIEW)


def test_a_verification_change_returns_only_what_the_role_may_view(desk: tuple[Desk, Services]) -> None:
    _, services = desk
    reference = found(repr(services.cases.get(actor(Role.SUPERVISOR), REF)))
    for role in ROLES:
        draft = VerificationDraft(VerificationKind.NATIONALITY, "post", "police", services.clock.today())
        if not allowed(role, Action.EDIT, BASIC):
            with pytest.raises(PermissionDenied):
                services.verifications.request(actor(role), REF, draft)
            continue
        returned = services.verifications.request(actor(role), REF, draft)
        check(found(repr(returned)), reference, role, Action.VIEW)
        request_id = returned.verifications[-1].request_id
        replied = services.verifications.reply(actor(role), REF, request_id,
                                                received_on=services.clock.today(),
                                                outcome=VerificationOutcome.CONFIRMED)
        check(found(repr(replied)), reference, role, Action.VIEW)


def test_every_marker_has_a_class_and_every_class_has_markers() -> None:
    assert {CLASSES[m] for m in CLASSES} == set(FieldClass)
    assert os.environ.get("REPATRIATION_PASSWORD") is None  # no test leaves a password behind


def test_changes_return_only_what_the_role_may_view_and_keep_what_it_cannot_see(
        desk: tuple[Desk, Services]) -> None:
    _, services = desk
    supervisor = actor(Role.SUPERVISOR)
    reference = found(repr(services.cases.get(supervisor, REF)))
    batch_reference = found(repr(services.handovers.get(supervisor, BATCH)))
    for role in ROLES:
        who = actor(role)
        if not allowed(role, Action.VIEW, BASIC):
            with pytest.raises(PermissionDenied):
                services.cases.update_notes(who, REF)
            with pytest.raises(PermissionDenied):
                services.handovers.get(who, BATCH)
            continue
        check(found(repr(services.cases.update_notes(who, REF))), reference, role, Action.VIEW)
        # The batch as this role saw it, saved back: hidden fields come back blank and are kept.
        seen = services.handovers.get(who, BATCH)
        saved = services.handovers.update_batch(who, seen)
        check(found(repr(saved)), batch_reference, role, Action.VIEW)
        assert found(repr(services.handovers.get(supervisor, BATCH))) == batch_reference


def test_a_reply_text_needs_the_sensitive_edit_right_and_a_refusal_writes_nothing(
        desk: tuple[Desk, Services]) -> None:
    _, services = desk
    supervisor = actor(Role.SUPERVISOR)
    before = services.cases.get(supervisor, REF)
    with pytest.raises(PermissionDenied):
        services.verifications.reply(actor(Role.LIAISON), REF, "V2", received_on=services.clock.today(),
                                     outcome=VerificationOutcome.CONFIRMED, reply="DNA: match")
    draft = VerificationDraft(VerificationKind.NATIONALITY, "post", "police", services.clock.today())
    with pytest.raises(PermissionDenied):
        services.verifications.request(actor(Role.STATISTICIAN), REF, draft)
    assert services.cases.get(supervisor, REF) == before


def test_exact_statistics_need_the_capability_on_every_service_method(desk: tuple[Desk, Services]) -> None:
    _, services = desk
    statistics = services.statistics
    spec = StatisticsSpec((Dimension.CORRIDOR,))
    for role in ROLES:
        calls = (statistics.crosstab, statistics.exact_values, statistics.overdue_verifications)
        for call in calls:
            if has_capability(role, Capability.VIEW_EXACT_STATISTICS):
                call(actor(role), spec)
            else:
                with pytest.raises(PermissionDenied):
                    call(actor(role), spec)


def test_imports_seeding_and_searches_follow_the_matrix(desk: tuple[Desk, Services], tmp_path: Path) -> None:
    cli, _ = desk
    source = tmp_path / "notes.csv"
    source.write_text("family_name,given_name,channel,corridor,received_on,notes\n"
                      "Lò,Sử,rescue,CN,2026-01-10,a note is sensitive\n", encoding="utf-8")
    for role in ROLES:
        imported = cli.run(role, "cases", "import", str(source))
        assert (imported[0] == 0) is allowed(role, Action.EDIT, SENSITIVE), (role, imported[2])
        seeded = cli.run(role, "demo", "--cases", "1")
        assert (seeded[0] == 0) is all(allowed(role, Action.EDIT, k) for k in FieldClass), role
        if not allowed(role, Action.EXPORT, BASIC):
            continue
        # "meo" is another name of the H'Mông: only a role that sees ethnicity finds by it.
        rows = json.loads(cli.ok(role, "cases", "list", "--search", "meo"))
        assert (REF in {r["reference"] for r in rows}) is allowed(role, Action.EXPORT, SENSITIVE)


# -- the import inbox ------------------------------------------------------------------------------


def test_the_import_inbox_shows_received_values_only_to_roles_that_may_view_them(
        desk: tuple[Desk, Services]) -> None:
    """Pending changes carry the sender's values ("theirs"): the list is an output path too."""
    from datetime import UTC, datetime

    from repatriation.services.inbox_ports import PENDING, InboxChangeRow, ReceivedCase

    cli, services = desk
    fields = {BASIC: "place_detail", SENSITIVE: "person.place_of_birth", PRIVATE: "exploitation_narrative"}
    markers = {k: next(m for m, c in sorted(CLASSES.items()) if c is k) for k in fields}
    now = datetime(2026, 1, 5, tzinfo=UTC)
    with services.uow_factory() as uow:
        global_id = uow.cases.get(REF).global_id
        inbox = uow.inbox
        received = inbox.add_received(ReceivedCase("canary-bundle", "k" * 16, "Canary centre", global_id,
                                                   now, now, frozenset(fields.values()), "{}"))
        for field_class, path in fields.items():
            inbox.add_change(received, InboxChangeRow(0, received, global_id, path, None, "",
                                                      markers[field_class], PENDING))
        uow.commit()
    try:
        reference = found(cli.ok(Role.SUPERVISOR, "inbox", "list"))
        assert reference == set(markers.values())
        for role in ROLES:
            result = cli.run(role, "inbox", "list")
            if all(allowed(role, Action.VIEW, k) for k in fields):
                assert result[0] == 0, result[2]
                check(found(result[1]), reference, role, Action.VIEW)
            else:  # one change the role may not see refuses the list: nothing is shown
                refused_in_cli(result, role)
    finally:
        with services.uow_factory() as uow:
            inbox = uow.inbox
            for row in inbox.changes(global_id=global_id):
                inbox.decide(row.id, "declined", "demo.supervisor", now)
            uow.commit()


# Last in the module: it cancels batches and hands the canary case over.
def test_a_batch_cancelled_or_handed_over_returns_only_what_the_role_may_view(
        desk: tuple[Desk, Services]) -> None:
    from dataclasses import replace
    from datetime import UTC, datetime

    from tests.security.canary_kit import canary_batch, permitted

    _, services = desk
    reference = found(repr(services.handovers.get(actor(Role.SUPERVISOR), BATCH)))
    editors = [r for r in ROLES if allowed(r, Action.EDIT, BASIC)]
    # The editor who may view least hands the batch over: the returned batch is redacted too.
    restricted = min(editors, key=lambda r: len(permitted(r, Action.VIEW)))
    assert reference - permitted(restricted, Action.VIEW), "the check needs a marker to hide"
    handed = services.handovers.mark_handed_over(actor(restricted), BATCH, datetime(2026, 1, 5, tzinfo=UTC))
    check(found(repr(handed)), reference, restricted, Action.VIEW)
    for number, role in enumerate(editors, 2):
        copy = replace(canary_batch(), reference=f"LC-BG-2025-{number:06d}")
        with services.uow_factory() as uow:
            uow.batches.add(copy)
            uow.commit()
        check(found(repr(services.handovers.cancel(actor(role), copy.reference))), reference, role,
              Action.VIEW)
