"""``forms`` commands: print a bilingual form of a case or a handover batch as a PDF file.

Example: ``main.py forms render --form handover_minutes --batch LC-BG-2026-000003 --lang zh
-o out.pdf``; ``main.py forms list`` names each form and its legal basis.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.account_commands import acting_user, add_sign_in_options
from cli.context import CliContext
from repatriation.services.documents import BATCH_FORMS, NUMBER_SUFFIX, DocumentService

LANGUAGE_CHOICES = ("zh", "zh_CN", "km", "lo", "en", "vi")


def documents(ctx: CliContext) -> DocumentService:
    """The document service, built once per run beside the others (``Services.extras``)."""
    # ReportLab, HarfBuzz and ICU load only when a form is printed: other commands stay quick.
    from forms.renderer import ReportLabFormRenderer

    services = ctx.services
    if services.documents is not None:
        return services.documents
    if "documents" not in services.extras:
        services.extras["documents"] = DocumentService(
            services.uow_factory, services.reference, ReportLabFormRenderer(), services.clock
        )
    service: DocumentService = services.extras["documents"]
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
    render.add_argument("--lang", dest="form_lang", required=True, choices=LANGUAGE_CHOICES,
                        help="counterpart language beside Vietnamese (vi: Vietnamese only)")
    render.add_argument("--request", help="verification request id (default: the latest)")
    render.add_argument("-o", "--output", type=Path, required=True, help="PDF file to write")
    add_sign_in_options(render)
    render.set_defaults(handler=run_render)
    listing = sub.add_parser("list", help="list the forms and their legal basis")
    listing.set_defaults(handler=run_list)


def run_render(args: argparse.Namespace, ctx: CliContext) -> int:
    actor = acting_user(args, ctx)
    pdf = documents(ctx).render(
        actor, args.form, case_ref=args.case, batch_ref=args.batch, language=args.form_lang,
        request_id=args.request,
    )
    # Written whole or not at all: a half-written legal record is worse than none.
    temporary = args.output.with_name(args.output.name + ".part")
    temporary.write_bytes(pdf)
    temporary.replace(args.output)
    ctx.say(ctx.tr.gettext("Form written to {path}.").format(path=args.output))
    return 0


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from forms.registry import REGISTRY

    for form_id, module in sorted(REGISTRY.items()):
        kind = "--batch" if form_id in BATCH_FORMS else "--case"
        ctx.out.write(f"{form_id}\t{kind}\t{module.LEGAL_BASIS}\n")
    return 0
