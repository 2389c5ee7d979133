"""Trust follows OUR key directory: the kind our officer set, verified keys only, first contact.

All names, numbers and dates are fictitious.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from repatriation.crypto.keys import PostIdentity, parse_card
from repatriation.domain.bundle_errors import KeyFormatError
from repatriation.domain.clock import FixedClock
from repatriation.domain.errors import ValidationError
from repatriation.domain.key_directory import AgencyKind, card_from_text
from repatriation.services.bundles import ExportRequest
from tests.crypto.service_kit import OFFICER, Post, introduce, make_post, now, sample_case


def test_a_card_whose_kind_name_or_key_was_edited_is_refused() -> None:
    identity = PostIdentity.generate("Fictitious Reception Centre", now())
    other = PostIdentity.generate("Someone else", now())
    card = identity.public.card(identity.agency, AgencyKind.RECEPTION_CENTRE)
    assert parse_card(card).kind is AgencyKind.RECEPTION_CENTRE
    fields = dict(part.split("=", 1) for part in card.split(";")[1:])
    edits = [
        card.replace("kind=reception_centre", "kind=border_post"),
        card.replace(fields["agency"], "Fictitious%20Border%20Post"),
        card.replace(fields["ed25519"], fields["ed25519"][:-2]
                     + ("A" if fields["ed25519"][-2] != "A" else "B") + fields["ed25519"][-1]),
    ]
    for edited in edits:
        with pytest.raises(KeyFormatError):
            parse_card(edited)
    # A key swapped with its check recomputed passes reading, but not the safety number.
    swapped = other.public.card(identity.agency, AgencyKind.RECEPTION_CENTRE)
    assert parse_card(swapped).keys.fingerprint() != identity.public.fingerprint()


def test_the_card_the_cli_prints_is_the_one_the_desk_reads() -> None:
    identity = PostIdentity.generate("Đồn Biên phòng (fictitious)", now())
    card = identity.public.card(identity.agency, AgencyKind.BORDER_POST)
    as_json = json.dumps({"card": card, "safety_number": "1"})
    for text in (card, f"  {card}\n", as_json, f"# a comment\n{card}\n"):
        assert card_from_text(text) == card


def _posts(tmp_path: Path, clock: FixedClock) -> tuple[Post, Post]:
    return make_post(tmp_path, "lc", clock), make_post(tmp_path, "rc", clock)


def test_minimisation_follows_the_kind_the_receiver_recorded(tmp_path: Path,
                                                             clock: FixedClock) -> None:
    a, b = _posts(tmp_path, clock)
    # b's card says border post; a's officer knows it is a Chinese agency.
    assert parse_card(b.keys.card()).kind is AgencyKind.BORDER_POST
    with pytest.raises(ValidationError):
        introduce(a, b, kind=AgencyKind.FOREIGN_COUNTERPART)  # the country is required
    key = introduce(a, b, kind=AgencyKind.FOREIGN_COUNTERPART, country="cn")
    assert a.keys.entry(key).country == "CN"
    a.add_case(sample_case("LC-2026-000001", a))
    preview = a.bundles.preview_export(OFFICER, ExportRequest(("LC-2026-000001",), (key,)))
    assert preview.kind == "foreign_counterpart"
    assert "person.address" in preview.excluded_paths and "notes" in preview.excluded_paths
    assert "person.family_name" in preview.included_paths


def test_export_goes_to_verified_keys_only(tmp_path: Path, clock: FixedClock) -> None:
    a, b = _posts(tmp_path, clock)
    key = introduce(a, b, verify=False)
    a.add_case(sample_case("LC-2026-000001", a))
    request = ExportRequest(("LC-2026-000001",), (key,))
    with pytest.raises(ValidationError) as refused:
        a.bundles.export_bundle(OFFICER, request, keystore=a.keystore,
                                out_path=tmp_path / "x.rdbundle")
    assert refused.value.code == "recipient_not_usable"
    assert not (tmp_path / "x.rdbundle").exists() and a.bundles.usable_recipients() == []
    a.keys.verify(OFFICER, key)
    assert [e.key_id for e in a.bundles.usable_recipients()] == [key]


def test_a_bundle_signed_before_its_key_was_added_is_accepted_once_verified(
        tmp_path: Path) -> None:
    # The card and the bundle travel together on one stick; b adds the card a day later.
    a = make_post(tmp_path, "lc", FixedClock(now()))
    b = make_post(tmp_path, "rc", FixedClock(now() + timedelta(days=1)))
    introduce(a, b)
    a.add_case(sample_case("LC-2026-000001", a))
    bundle = tmp_path / "first-contact.rdbundle"
    a.bundles.export_bundle(OFFICER, ExportRequest(("LC-2026-000001",), (a.keys.directory()[0]
                                                                         .key_id,)),
                            keystore=a.keystore, out_path=bundle)
    key = introduce(b, a, verify=False)
    assert b.keys.entry(key).valid_from > a.keys.directory()[0].valid_from
    with pytest.raises(Exception) as unverified:
        b.bundles.preview_import(OFFICER, bundle, keystore=b.keystore)
    assert getattr(unverified.value, "code", "") == "unverified_sender"
    b.keys.verify(OFFICER, key)
    preview = b.bundles.preview_import(OFFICER, bundle, keystore=b.keystore)
    assert preview.new_cases == ("LC-2026-000001",)
    assert preview.sender_key == key and preview.sender_verified
