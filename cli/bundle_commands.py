"""``bundle`` commands: export, import and inspect encrypted, signed case bundles.

``bundle export --cases REF... --to KEY... -o FILE`` (or ``--passphrase --kind KIND``: a
12-word passphrase is generated and printed once, to be sent by another channel);
``bundle import FILE``; ``bundle inspect FILE`` (header only without a key, everything with one).
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from cli.context import CliContext
from cli.keys_commands import key_passphrase
from cli.prompts import ask_secret
from repatriation.domain.bundle_manifest import Manifest
from repatriation.domain.key_directory import AgencyKind
from repatriation.services.bundles import ExportRequest

BUNDLE_PASSPHRASE_ENV = "REPATRIATION_BUNDLE_PASSPHRASE"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``bundle`` command and its sub-commands."""
    bundle = subparsers.add_parser("bundle", help="encrypted, signed case bundles")
    sub = bundle.add_subparsers(dest="bundle_command", required=True)
    exp = sub.add_parser("export", help="write a bundle for a counterpart or a passphrase")
    exp.add_argument("--cases", nargs="+", required=True, metavar="REF")
    target = exp.add_mutually_exclusive_group(required=True)
    target.add_argument("--to", nargs="+", metavar="KEY", help="recipient key ids (prefixes)")
    target.add_argument("--passphrase", action="store_true",
                        help="encrypt to a generated passphrase instead of keys")
    exp.add_argument("--kind", choices=[k.value for k in AgencyKind],
                     help="recipient type for a passphrase bundle")
    exp.add_argument("--include-health", action="store_true", default=None)
    exp.add_argument("--include-narrative", action="store_true")
    exp.add_argument("--preview", action="store_true", help="only show what would be included")
    exp.add_argument("-o", "--output", type=Path)
    exp.set_defaults(handler=run_export)
    imp = sub.add_parser("import", help="verify and import a bundle (all or nothing)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--preview", action="store_true", help="only show what would change")
    imp.add_argument("--passphrase", action="store_true",
                     help="the bundle was encrypted to a passphrase (asked for)")
    imp.set_defaults(handler=run_import)
    ins = sub.add_parser("inspect", help="what a bundle says before and after decryption")
    ins.add_argument("file", type=Path)
    ins.add_argument("--decrypt", action="store_true", help="unlock our keys and verify it")
    ins.add_argument("--passphrase", action="store_true")
    ins.set_defaults(handler=run_inspect)


def _bundle_passphrase() -> str:
    return os.environ.get(BUNDLE_PASSPHRASE_ENV) or ask_secret("Bundle passphrase: ")


def _manifest_json(manifest: Manifest) -> dict[str, Any]:
    data = manifest.to_json()
    data["created_at"] = manifest.created_at.isoformat()
    return data


def _progress(ctx: CliContext) -> Any:
    def report(done: int, total: int, code: str) -> None:
        if total and ctx.err.isatty():
            ctx.err.write(f"\r{code} {100 * done // total:3d}%")
    return report


def run_export(args: argparse.Namespace, ctx: CliContext) -> int:
    service = ctx.services.exchange.bundles
    request = ExportRequest(
        references=tuple(args.cases), recipients=tuple(args.to or ()),
        passphrase=args.passphrase, kind=AgencyKind(args.kind) if args.kind else None,
        include_health=args.include_health, include_narrative=args.include_narrative,
    )
    actor = ctx.actor
    if args.preview or args.output is None:
        preview = service.preview_export(actor, request)
        json.dump(asdict(preview), ctx.out, ensure_ascii=False, indent=2)
        ctx.out.write("\n")
        return 0 if args.preview else 2
    keystore = service.keys.unlock(key_passphrase(ctx))
    result = service.export_bundle(actor, request, keystore=keystore, out_path=args.output,
                                   progress=_progress(ctx))
    _ = ctx.tr.gettext
    ctx.say(_("Bundle written: {path}").format(path=result.path))
    if result.passphrase:
        ctx.say(_("Passphrase (send it by another channel, it is shown only once):"))
        ctx.out.write(result.passphrase + "\n")
    json.dump(_manifest_json(result.manifest), ctx.out, ensure_ascii=False, indent=2)
    ctx.out.write("\n")
    return 0


def run_import(args: argparse.Namespace, ctx: CliContext) -> int:
    service = ctx.services.exchange.bundles
    service.check_header(args.file)  # a hostile file is refused before any key is unlocked
    passphrase = _bundle_passphrase() if args.passphrase else None
    keystore = None if args.passphrase else service.keys.unlock(key_passphrase(ctx))
    actor = ctx.actor
    if args.preview:
        preview = service.preview_import(actor, args.file, keystore=keystore,
                                         passphrase=passphrase)
        out = asdict(preview)
        out["manifest"] = _manifest_json(preview.manifest)
        json.dump(out, ctx.out, ensure_ascii=False, indent=2, default=str)
        ctx.out.write("\n")
        return 0
    report = service.import_bundle(actor, args.file, keystore=keystore, passphrase=passphrase,
                                   progress=_progress(ctx))
    _ = ctx.tr.gettext
    ctx.say(_("Imported from {agency}: {created} new, {updated} updated.").format(
        agency=report.sender_agency, created=len(report.created), updated=len(report.updated)))
    json.dump({"bundle_id": report.bundle_id, "created": report.created,
               "updated": report.updated, "attachments": report.attachments},
              ctx.out, ensure_ascii=False, indent=2)
    ctx.out.write("\n")
    return 0


def run_inspect(args: argparse.Namespace, ctx: CliContext) -> int:
    service = ctx.services.exchange.bundles
    keystore = service.keys.unlock(key_passphrase(ctx)) if args.decrypt else None
    passphrase = _bundle_passphrase() if args.passphrase else None
    found = service.inspect_bundle(args.file, keystore=keystore, passphrase=passphrase)
    out: dict[str, Any] = {
        "before_decryption": asdict(found.header) if found.header else None,
        "after_decryption": _manifest_json(found.manifest) if found.manifest else None,
        "sender": {"agency": found.sender.agency, "verified": found.sender.verified_out_of_band}
        if found.sender else None,
        "refused": {"code": found.error_code, **found.error_params} if found.error_code
        else None,
    }
    json.dump(out, ctx.out, ensure_ascii=False, indent=2)
    ctx.out.write("\n")
    return 1 if found.error_code else 0


__all__ = ["register", "run_export", "run_import", "run_inspect"]
