"""``keys`` commands: our post identity (generate, rotate, card) and the counterpart directory.

The key-store passphrase is read from ``$REPATRIATION_KEY_PASSPHRASE`` or asked for on the
terminal (never taken from the command line, where other users could see it).
"""

from __future__ import annotations

import argparse
import io
import json
import os
from pathlib import Path
from typing import Any

from cli.context import CliContext
from cli.prompts import ask_secret
from repatriation.domain.key_directory import AgencyKind, DirectoryEntry, card_from_text
from repatriation.files import write_output
from repatriation.services.key_card_files import card_from_file

PASSPHRASE_ENV = "REPATRIATION_KEY_PASSPHRASE"


def key_passphrase(ctx: CliContext, confirm: bool = False) -> str:
    """The key-store passphrase from the environment or the terminal."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    _ = ctx.tr.gettext
    first = ask_secret(_("Key store passphrase: "))
    if confirm and ask_secret(_("Repeat the passphrase: ")) != first:
        ctx.say(_("The two passphrases differ."))
        raise SystemExit(2)
    return first


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``keys`` command and its sub-commands."""
    keys = subparsers.add_parser("keys", help="post identity and counterpart key directory")
    sub = keys.add_subparsers(dest="keys_command", required=True)
    gen = sub.add_parser("generate", help="create this post's key pair (asks for a passphrase)")
    gen.add_argument("--agency", required=True, help="this post's name as counterparts see it")
    gen.set_defaults(handler=run_generate)
    rot = sub.add_parser("rotate", help="new key pair; the old one decrypts for 30 days")
    rot.set_defaults(handler=run_rotate)
    card = sub.add_parser("card", help="print our key card, fingerprint, words and QR code")
    card.add_argument("--qr", action="store_true", help="also draw the QR code in the terminal")
    card.add_argument("--json", action="store_true", help="card, key id and safety number as JSON")
    card.set_defaults(handler=run_card)
    age = sub.add_parser("export-age-identity",
                         help="write our current age secret key to a file (for the age tool)")
    age.add_argument("-o", "--output", type=Path, required=True)
    age.set_defaults(handler=run_export_age_identity)
    lst = sub.add_parser("list", help="list the counterpart key directory as JSON")
    lst.set_defaults(handler=run_list)
    add = sub.add_parser("add", help="add a counterpart from its key card (text or file)")
    add.add_argument("card", help="the key card text, or a file holding it (text, or a PNG, "
                                  "JPEG or BMP picture of its QR code)")
    _kind_options(add, required=True)
    add.set_defaults(handler=run_add)
    ver = sub.add_parser("verify", help="record that the safety number was checked out of band")
    ver.add_argument("key_id", help="key id (a unique prefix of 8+ characters is enough)")
    _kind_options(ver, required=False)
    ver.set_defaults(handler=run_verify)
    rev = sub.add_parser("revoke", help="refuse every bundle signed by this key from now on")
    rev.add_argument("key_id")
    rev.set_defaults(handler=run_revoke)


def _kind_options(parser: argparse.ArgumentParser, required: bool) -> None:
    parser.add_argument("--kind", choices=[k.value for k in AgencyKind], required=required,
                        help="what the holder is, as YOU know it (decides what it may receive "
                             "and change; the card's own claim is not used)")
    parser.add_argument("--country", default=None,
                        help="a foreign counterpart's country (CN, KH, LA...)")


def _entry_json(ctx: CliContext, entry: DirectoryEntry) -> dict[str, Any]:
    keys = ctx.services.exchange.keys.keys_of(entry)
    return {
        "agency": entry.agency, "kind": entry.kind.value, "country": entry.country,
        "key_id": entry.key_id,
        "safety_number": keys.fingerprint(), "fingerprint": keys.fingerprint(),
        "words": " ".join(keys.words()),
        "valid_from": entry.valid_from.isoformat(),
        "valid_until": entry.valid_until.isoformat() if entry.valid_until else None,
        "revoked_at": entry.revoked_at.isoformat() if entry.revoked_at else None,
        "verified_out_of_band": entry.verified_out_of_band, "verified_by": entry.verified_by,
    }


def run_generate(args: argparse.Namespace, ctx: CliContext) -> int:
    service = ctx.services.exchange.keys
    public = service.generate(ctx.actor, args.agency, key_passphrase(ctx, confirm=True))
    _ = ctx.tr.gettext
    ctx.say(_("Keys created. Fingerprint: {fingerprint}").format(
        fingerprint=public.fingerprint()))
    ctx.out.write(service.card() + "\n")
    return 0


def run_rotate(args: argparse.Namespace, ctx: CliContext) -> int:
    service = ctx.services.exchange.keys
    public = service.rotate(ctx.actor, key_passphrase(ctx))
    _ = ctx.tr.gettext
    ctx.say(_("New keys in use. Fingerprint: {fingerprint}").format(
        fingerprint=public.fingerprint()))
    ctx.out.write(service.card() + "\n")
    return 0


def run_card(args: argparse.Namespace, ctx: CliContext) -> int:
    service = ctx.services.exchange.keys
    card = service.card()
    keys = service.read_card(card).keys
    if args.json:
        ctx.out.write(json.dumps({"card": card, "key_id": keys.key_id,
                                  "safety_number": keys.fingerprint(),
                                  "fingerprint": keys.fingerprint(),
                                  "words": " ".join(keys.words())}, ensure_ascii=False, indent=2)
                      + "\n")
    else:
        # The card line alone on standard output: the same text the desk reads and saves.
        ctx.out.write(card + "\n")
        _ = ctx.tr.gettext
        ctx.say(_("Safety number: {number}").format(number=keys.fingerprint()))
    if args.qr:
        import qrcode

        code = qrcode.QRCode(border=2)
        code.add_data(card)
        text = io.StringIO()
        code.print_ascii(out=text, invert=True)
        ctx.out.write(text.getvalue())
    return 0


def run_export_age_identity(args: argparse.Namespace, ctx: CliContext) -> int:
    service = ctx.services.exchange.keys
    secret = service.age_secret_key(key_passphrase(ctx))
    write_output(args.output, f"# {service.card()}\n{secret}\n".encode("ascii"))
    _ = ctx.tr.gettext
    ctx.say(_("Secret key written to {path} (readable by you only): keep it offline.").format(
        path=args.output))
    return 0


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    entries = ctx.services.exchange.keys.directory()
    json.dump([_entry_json(ctx, e) for e in entries], ctx.out, ensure_ascii=False, indent=2)
    ctx.out.write("\n")
    return 0


def run_add(args: argparse.Namespace, ctx: CliContext) -> int:
    text = args.card
    if not text.startswith("vn-ctp-key:") and Path(text).is_file():
        card = card_from_file(Path(text))  # a text file, or a picture of the QR code
    else:
        card = card_from_text(text)
    entry = ctx.services.exchange.keys.add(
        ctx.actor, card, kind=AgencyKind(args.kind),
        country=args.country or "")
    _ = ctx.tr.gettext
    ctx.say(_("Added, not yet verified: compare this safety number with the sender by phone "
              "or in person, then run 'keys verify {key}'.").format(key=entry.key_id[:16]))
    json.dump(_entry_json(ctx, entry), ctx.out, ensure_ascii=False, indent=2)
    ctx.out.write("\n")
    return 0


def run_verify(args: argparse.Namespace, ctx: CliContext) -> int:
    entry = ctx.services.exchange.keys.verify(
        ctx.actor, args.key_id, kind=AgencyKind(args.kind) if args.kind else None,
        country=args.country)
    json.dump(_entry_json(ctx, entry), ctx.out, ensure_ascii=False, indent=2)
    ctx.out.write("\n")
    return 0


def run_revoke(args: argparse.Namespace, ctx: CliContext) -> int:
    entry = ctx.services.exchange.keys.revoke(ctx.actor, args.key_id)
    json.dump(_entry_json(ctx, entry), ctx.out, ensure_ascii=False, indent=2)
    ctx.out.write("\n")
    return 0
