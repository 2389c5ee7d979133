"""``forms`` commands: print a bilingual form of a case or a handover batch as a PDF file.

Example: ``main.py forms render --form handover_minutes --batch LC-BG-2026-000003 --lang zh
-o out.pdf``; ``main.py forms list`` names each form and its legal basis; ``main.py forms verify
out.pdf --card post.card`` checks a printout with nothing but the post's key card. When the post
has keys, printing unlocks them (``$REPATRIATION_KEY_PASSPHRASE`` or a prompt) to sign the QR.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.context import CliContext
from cli.errors import describe
from cli.keys_commands import key_passphrase
from i18n import N_
from repatriation.domain.errors import DomainError
from repatriation.files import require_folder, write_output
from repatriation.services.documents import BATCH_FORMS, DocumentService
from repatriation.services.form_data import NUMBER_SUFFIX

LANGUAGE_CHOICES = ("zh", "zh_CN", "km", "lo", "en", "vi")


def documents(ctx: CliContext) -> DocumentService:
    """The document service ``main.py`` plugged its form renderer into."""
    service = ctx.services.documents
    if service is None:
        raise RuntimeError("no form renderer was plugged in (main.py builds the CLI with one)")
    return service


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``forms render`` and ``forms list``."""
    forms = subparsers.add_parser("forms", help="print bilingual PDF forms")
    sub = forms.add_subparsers(dest="forms_command", required=True)
    render = sub.add_parser("render", help="render one form to a PDF file")
    render.add_argument("--form", required=True, choices=sorted(NUMBER_SUFFIX), help="form id")
    target = render.add_mutually_exclusive_group(required=True)
    target.add_argument("--case", help="case reference (all forms except the batch minutes)")
    target.add_argument("--batch", help="batch reference (" + ", ".join(BATCH_FORMS) + ")")
    # dest differs from the global --lang (the language of messages) so neither overrides the other
    render.add_argument("--lang", dest="form_lang", choices=LANGUAGE_CHOICES,
                        help="counterpart language beside Vietnamese (vi: Vietnamese only); "
                             "default: the corridor's (zh, km, lo; en otherwise)")
    render.add_argument("--other-language", action="store_true",
                        help="print the minutes signed with the foreign side in another "
                             "language than the corridor's (an explicit choice)")
    render.add_argument("--request", help="verification request id (default: the latest)")
    render.add_argument("-o", "--output", type=Path, required=True, help="PDF file to write")
    render.set_defaults(handler=run_render)
    verify = sub.add_parser("verify", help="check a printed form against the post's key card")
    verify.add_argument("file", nargs="?", type=Path, help="the PDF (or give --qr)")
    verify.add_argument("--qr", help="the QR text, scanned from a paper copy")
    verify.add_argument("--card", required=True, type=Path, help="the post's key card file")
    verify.set_defaults(handler=run_verify)
    listing = sub.add_parser("list", help="list the forms and their legal basis")
    listing.set_defaults(handler=run_list)


def _unlock_signing_key(ctx: CliContext) -> None:
    """Sign printouts with the post's key when it has one (the QR a counterpart can check)."""
    checkpoints = ctx.services.checkpoints
    keys = ctx.services.exchange.keys
    if keys.has_identity() and not checkpoints.can_sign:
        checkpoints.use_identity(keys.unlock(key_passphrase(ctx)).current)


def run_render(args: argparse.Namespace, ctx: CliContext) -> int:
    require_folder(args.output)  # before any work: a missing folder is refused, never created
    actor = ctx.actor  # the form is blanked for this account's print rights
    _unlock_signing_key(ctx)
    # Written whole or not at all (atomic, 0600), inside the audited transaction: a failed write
    # leaves neither a partial child's report nor an audit entry for a print that never happened.
    documents(ctx).render(
        actor, args.form, case_ref=args.case, batch_ref=args.batch, language=args.form_lang,
        request_id=args.request, other_language=args.other_language,
        deliver=lambda pdf: write_output(args.output, pdf),
    )
    ctx.say(ctx.tr.gettext("Form written to {path}.").format(path=args.output))
    return 0


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from forms.registry import REGISTRY

    for form_id, module in sorted(REGISTRY.items()):
        kind = "--batch" if form_id in BATCH_FORMS else "--case"
        ctx.out.write(f"{form_id}\t{kind}\t{module.LEGAL_BASIS}\n")
    return 0


REFUSALS: dict[str, str] = {
    "no_qr": N_("No QR text found in {file}: scan the printed code and give it with --qr."),
    "not_a_seal": N_("The QR text is not a printout code of this application."),
    "unsigned": N_("The code carries no signature: the post's key was locked when it was printed."),
    "wrong_key": N_("The code is not signed by the key on this card ({agency})."),
    "content_changed": N_(
        "The printed content differs from what the post signed: a field was changed, "
        "or the code belongs to another document."
    ),
    "bad_card": N_("{card} is not a readable key card."),
    "printout_unreadable": N_(
        "{file} cannot be read as a form printed by the desk (rewritten by another program?)."
    ),
}


def run_verify(args: argparse.Namespace, ctx: CliContext) -> int:
    """Exit 0 when the printout verifies, 1 when it is refused (with the reason), 2 on bad input."""
    from forms.printout_check import check_printout, read_card

    gettext = ctx.tr.gettext
    if args.file is None and not args.qr:
        ctx.say(gettext("Give the PDF file or the QR text (--qr)."))
        return 2
    try:
        crypto = ctx.key_crypto()  # no sign-in: a printout is checked with the card alone
        card = read_card(args.card.read_text(encoding="utf-8", errors="replace"), crypto)
        pdf = args.file.read_bytes() if args.file is not None else None
        result = check_printout(card, crypto, pdf=pdf, qr_text=args.qr)
    except OSError as exc:
        ctx.say(gettext("The file {file} cannot be read.").format(file=exc.filename))
        return 2
    except DomainError as exc:
        reason = str(exc.params.get("reason", exc.code))
        template = REFUSALS.get(reason if exc.code == "printout_refused" else exc.code)
        params = {"file": args.file, "card": args.card, "agency": exc.params.get("agency", "")}
        detail = gettext(template).format(**params) if template else describe(exc, ctx.tr)
        ctx.say(gettext("REFUSED: {detail}").format(detail=detail))
        return 1
    seal = result.seal
    params = {"form": seal.form_id, "number": seal.document_number, "agency": result.card.agency,
              "at": seal.at.strftime("%Y-%m-%d %H:%M UTC"), "sequence": seal.sequence,
              "checkpoint": seal.checkpoint_number}
    if result.content_checked:
        ctx.say(gettext(
            "Genuine: {form} No. {number}, printed by {agency} on {at}; every page is as signed. "
            "The post's audit log then ended at entry {sequence} (checkpoint {checkpoint})."
        ).format(**params))
    else:
        ctx.say(gettext(
            "Signature valid: {form} No. {number}, printed by {agency} on {at}. Compare the "
            "number and the content with the paper."
        ).format(**params))
    return 0
