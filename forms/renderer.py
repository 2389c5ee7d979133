"""ReportLab implementation of the ``FormRenderer`` port: form data in, PDF bytes out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import Any

from forms.fonts import LANGUAGE_SCRIPT, prepare_extension
from forms.page import build_pdf, furniture_for
from forms.pdf_content import content_hash
from forms.registry import REGISTRY
from forms.text import fallbacks
from forms.vocabulary import Bilingual
from i18n import canonical
from repatriation.domain.errors import ValidationError
from repatriation.domain.printout_seal import PLACEHOLDER
from repatriation.services.form_checks import QR_PREFIX, form_digest, normalised, validate
from repatriation.services.form_data import FormData


class ReportLabFormRenderer:
    """Renders every registered form in Vietnamese plus one counterpart language."""

    def form_ids(self) -> tuple[str, ...]:
        """Ids of the forms this renderer knows."""
        return tuple(REGISTRY)

    def fallback_characters(self, data: FormData) -> tuple[str, ...]:
        """Characters of ``data`` no font prints (printed as code points and reported)."""
        return fallback_characters(data)

    def render(self, form_id: str, data: FormData, counterpart_language: str,
               seal: Callable[[str], str] | None = None) -> bytes:
        """Lay out ``data`` as the form ``form_id`` and return the PDF.

        Args:
            form_id: one of :meth:`form_ids`.
            data: the matching form-data dataclass (``repatriation.services.form_data``).
            counterpart_language: ``zh_CN``, ``km``, ``lo`` or ``en`` beside Vietnamese;
                ``vi`` prints Vietnamese only. It must be the language the data was built for.
            seal: a service function turning the hash of the printed pages into the QR text
                (``repatriation/services/printout_seal.py``), or ``None`` for the plain code.

        Raises:
            ValidationError: unknown form, data of another form, a missing mandatory field,
                a language other than the data's, or a character no shipped font covers.

        With ``seal`` the form is laid out twice: once to hash the printed pages, once with
        the QR text the service returned for that hash (``docs/printout-qr.md``).
        """
        module = REGISTRY.get(form_id)
        if module is None:
            raise ValidationError("unknown_form", form=form_id)
        if not isinstance(data, module.DATA) or data.meta.form_id != form_id:
            raise ValidationError("wrong_form_data", form=form_id, data=type(data).__name__)
        language = canonical(counterpart_language)
        if language not in LANGUAGE_SCRIPT:
            raise ValidationError("unsupported_language", language=language)
        if canonical(data.meta.language) != language:
            raise ValidationError(
                "language_mismatch", form=form_id, data=data.meta.language, requested=language
            )
        data = normalised(data)
        validate(data)
        text = "\n".join(_strings(data))
        prepare_extension(text)  # rare Han cut from the full CJK face in one pass
        tr = Bilingual(language)
        short = tr(module.SHORT_TITLE)
        digest = form_digest(data)

        def build(payload: str) -> bytes:
            furniture = furniture_for(tr, data.meta, short, payload, digest,
                                      fallbacks(text))
            return build_pdf(module.story(data, tr), furniture,
                             f"{short.vi} {data.meta.document_number}", subject=payload)

        if seal is None:
            return build(f"{QR_PREFIX}|{form_id}|{data.meta.document_number}|{digest}")
        draft = seal(PLACEHOLDER)  # same length as the final text: the QR has the same size
        return build(seal(content_hash(build(draft), draft)))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return [s for item in value for s in _strings(item)]
    if is_dataclass(value) and not isinstance(value, type):
        return [s for f in fields(value) for s in _strings(getattr(value, f.name))]
    return []


def fallback_characters(data: FormData) -> tuple[str, ...]:
    """Characters of the form data that no font prints: they print as code points, reported.

    The renderer prints them as "[U+0E2A]" (the PDF's text layer keeps the character) and
    names them in every page's footer; the document service also writes them to the audit.
    """
    text = "\n".join(_strings(normalised(data)))
    prepare_extension(text)
    return fallbacks(text)
