"""Cases cross desks by their global id: a shared human reference never replaces a child.

All names, numbers and dates are fictitious.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from repatriation.domain.case import Case, is_global_id
from repatriation.domain.clock import FixedClock
from repatriation.services.bundles import ExportRequest
from repatriation.storage.database import make_engine, upgrade
from repatriation.storage.unit_of_work import SqlAlchemyUnitOfWorkFactory
from tests.crypto.service_kit import OFFICER, Post, sample_case, two_posts


@pytest.fixture
def posts(tmp_path: Path, clock: FixedClock) -> tuple[Post, Post]:
    return two_posts(tmp_path, clock)


def _send(sender: Post, receiver: Post, out: Path, *refs: str) -> Path:
    key = next(e.key_id for e in sender.keys.directory())
    sender.bundles.export_bundle(OFFICER, ExportRequest(references=refs, recipients=(key,)),
                                 keystore=sender.keystore, out_path=out)
    return out


def test_a_shared_reference_never_replaces_the_receivers_child(posts: tuple[Post, Post],
                                                               tmp_path: Path) -> None:
    a, b = posts
    theirs = sample_case("LC-2026-000001", a, family_name="Lò")
    ours = sample_case("LC-2026-000001", b, family_name="Giàng")
    a.add_case(theirs)
    b.add_case(ours)
    bundle = _send(a, b, tmp_path / "1.vnbundle", "LC-2026-000001")
    preview = b.bundles.preview_import(OFFICER, bundle, keystore=b.keystore)
    assert len(preview.new_cases) == 1 and not preview.updated_cases
    report = b.bundles.import_bundle(OFFICER, bundle, keystore=b.keystore)
    (stored_as,) = report.created
    assert stored_as.startswith("LC-2026-000001~") and stored_as != "LC-2026-000001"
    kept = b.case("LC-2026-000001")
    assert (kept.person.family_name, kept.global_id) == ("Giàng", ours.global_id)
    received = b.case(stored_as)
    assert (received.person.family_name, received.global_id) == ("Lò", theirs.global_id)
    # The sender edits its child: the next bundle lands on the same record, found by global id.
    with a.services.uow_factory() as uow:
        uow.cases.save(dataclasses.replace(uow.cases.get("LC-2026-000001"), notes="edited"))
        uow.commit()
    second = _send(a, b, tmp_path / "2.vnbundle", "LC-2026-000001")
    assert b.bundles.preview_import(OFFICER, second, keystore=b.keystore).new_cases == ()
    b.bundles.import_bundle(OFFICER, second, keystore=b.keystore)
    assert b.case("LC-2026-000001").person.family_name == "Giàng"
    assert b.case("LC-2026-000001").notes == "fictitious note"
    assert b.case(stored_as).global_id == theirs.global_id


def test_every_case_gets_one_global_id_that_survives_storage(posts: tuple[Post, Post]) -> None:
    a, _ = posts
    case = sample_case("LC-2026-000009", a)
    assert is_global_id(case.global_id)
    assert sample_case("LC-2026-000009", a).global_id != case.global_id
    a.add_case(case)
    assert a.case("LC-2026-000009").global_id == a.case("LC-2026-000009").global_id == case.global_id


@pytest.fixture
def legacy_engine(database_url: str) -> Iterator[Engine]:
    """A database at the schema before case identity, holding one case without a global id."""
    from alembic import command

    from repatriation.storage.database import _alembic_config

    engine = make_engine(database_url)
    upgrade(engine)
    config = _alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005_search_speed")
    yield engine
    engine.dispose()


def test_the_migration_gives_existing_cases_a_stable_global_id(legacy_engine: Engine,
                                                               clock: FixedClock,
                                                               tmp_path: Path) -> None:
    from repatriation.domain.codec import to_jsonable

    with legacy_engine.begin() as conn:
        for number in (1, 2):
            document = to_jsonable(sample_case(f"LC-2025-00000{number}", None))  # type: ignore[arg-type]
            del document["global_id"]
            conn.execute(text(
                "INSERT INTO cases (reference, revision, status, screening, channel, corridor, "
                "place_kind, post_code, received_on, sex, ethnic_code, nationality, full_name, "
                "search_text, name_folded, document, created_at, updated_at) VALUES (:r, 1, "
                "'received', 'returned_citizen', 'official_handover', 'CN', 'gate', 'LC', "
                "'2026-02-18', 'F', '01', 'VN', 'Test Van Thi Mau', 'test van thi mau', "
                "'test van thi mau', :d, '2026-02-18 00:00:00', '2026-02-18 00:00:00')"),
                {"r": f"LC-2025-00000{number}", "d": json.dumps(document)})
    upgrade(legacy_engine)
    uow_factory = SqlAlchemyUnitOfWorkFactory(legacy_engine, clock.now)
    with uow_factory() as uow:
        first: Case = uow.cases.get("LC-2025-000001")
        again = uow.cases.get("LC-2025-000001")
        second = uow.cases.get("LC-2025-000002")
        assert is_global_id(first.global_id) and first.global_id == again.global_id
        assert second.global_id != first.global_id
        assert uow.cases.find_by_global_id(second.global_id) == second
    with legacy_engine.connect() as conn:
        column = conn.execute(text("SELECT global_id FROM cases WHERE reference = 'LC-2025-000001'"))
        assert column.scalar_one() == first.global_id
