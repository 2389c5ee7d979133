"""Read-only HTML for the sections of a case (identity, family, screening, handover, care...).

Every value from the record is escaped: names typed at a border post are data, never markup.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from datetime import date
from html import escape

from repatriation.domain.case import Case
from repatriation.domain.case_fields import in_slot
from repatriation.domain.enums import ConsentScope, ConsentSubject
from repatriation.domain.errors import NotFoundError
from repatriation.domain.fields import FormSlot, Scalar
from repatriation.reference import ReferenceData
from ui.correction_text import country_name, documents_text
from ui.labels import Labels

_STYLE = (
    "<style>table{border-collapse:collapse} td{padding:3px 12px 3px 0;vertical-align:top}"
    " td.k{color:#4b5563} h3{margin:8px 0 4px 0} .empty{color:#6b7280}</style>"
)


def _rows(pairs: Iterable[tuple[str, str]]) -> str:
    body = "".join(f"<tr><td class='k'>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in pairs if v)
    return f"<table>{body}</table>"


def _section(title: str, content: str) -> str:
    return f"<h3>{escape(title)}</h3>{content}"


def _empty(text: str) -> str:
    return f"<p class='empty'>{escape(text)}</p>"


def _ethnic_name(reference: ReferenceData | None, code: str) -> str:
    if reference is None:
        return code
    try:
        return reference.ethnic(code).name_vi
    except NotFoundError:
        return code


def _gate_name(reference: ReferenceData | None, code: str | None) -> str:
    if code is None:
        return ""
    if reference is None:
        return code
    try:
        gate = reference.gate(code)
    except NotFoundError:
        return code
    return f"{gate.name_vi} / {gate.counterpart_name}" if gate.counterpart_name else gate.name_vi


def added_value_text(value: Scalar, labels: Labels) -> str:
    """An added field's value in words: yes or no, a date as the desk writes dates, else as typed."""
    if isinstance(value, bool):
        return labels.gt("Yes") if value else labels.gt("No")
    return labels.date(value) if isinstance(value, date) else str(value)


def added_rows(case: Case, labels: Labels) -> list[tuple[str, str]]:
    """Fields added through the registry (``domain/case_fields.py``), under their labels."""
    rows = []
    for spec in in_slot(FormSlot.PARTICULARS):
        value = case.extra_fields.get(spec.name) if spec.is_extra else None
        if value is None:
            continue
        label = labels.field(spec.name)
        rows.append((label[:1].upper() + label[1:], added_value_text(value, labels)))
    return rows


def identity_html(case: Case, labels: Labels, reference: ReferenceData | None, today: date) -> str:
    """Who the person is: names, age and how sure it is, origin, language, documents."""
    _, person = labels.translator.gettext, case.person
    age = person.age_on(today)
    bounds = person.birth.age_range_on(today)
    age_text = "" if age is None else str(age)
    if bounds and bounds[0] != bounds[1]:
        age_text = _("{age} (between {low} and {high})").format(age=age, low=bounds[0], high=bounds[1])
    if age is not None:
        age_text += f" - {labels.enum(person.birth.confidence)}"
    interpreter = (
        _("Needed: {language}").format(language=labels.spoken_language(person.interpreter_language))
        if person.interpreter_needed
        else _("Not needed")
    )
    documents = _("No papers") if person.no_documents else documents_text(person.documents, labels)
    identity = _rows(
        [
            (_("Full name"), person.full_name),
            (_("Also known as"), ", ".join(person.aliases)),
            (_("Sex"), labels.enum(person.sex)),
            (_("Age"), age_text or _("Not known")),
            (_("Date of birth"), labels.date(person.birth.date_of_birth)),
            (_("Ethnic group"), _ethnic_name(reference, person.ethnic_code)),
            (_("Nationality"), country_name(person.nationality, labels)),
            (_("Language"), labels.spoken_language(person.preferred_language)),
            (_("Reading"), labels.enum(person.literacy)),
            (_("Interpreter"), interpreter),
            (_("Place of birth"), person.place_of_birth),
            (_("Address"), person.address.as_written),
            (_("Documents"), documents),
            *added_rows(case, labels),
        ]
    )
    if person.family:
        family = "".join(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
                escape(labels.relation(m.relation)),
                escape(m.full_name),
                escape(m.phone),
                escape(_("Guardian") if (m.is_guardian or m.is_legal_representative) else ""),
            )
            for m in person.family
        )
        family_html = f"<table>{family}</table>"
    else:
        family_html = _empty(_("No family member recorded yet."))
    return _STYLE + _section(_("Identity"), identity) + _section(_("Family"), family_html)


def return_html(case: Case, labels: Labels, reference: ReferenceData | None) -> str:
    """How and where the person came back, and the handover batch."""
    _ = labels.translator.gettext
    rows = _rows(
        [
            (_("Channel"), labels.enum(case.channel)),
            (_("Corridor"), labels.enum(case.corridor)),
            (_("Received on"), labels.date(case.received_on)),
            (_("Place"), labels.enum(case.place_kind)),
            (_("Gate"), _gate_name(reference, case.gate_code)),
            (_("Place details"), case.place_detail),
            (_("Handover batch"), case.batch_reference or _("Not in a batch yet")),
            (_("Handed over on"), labels.date(case.handed_over_on)),
        ]
    )
    return _STYLE + _section(_("Return and handover"), rows)


def screening_html(case: Case, labels: Labels) -> str:
    """The identification status and what was found."""
    _, screening = labels.translator.gettext, case.screening
    rows = _rows(
        [
            (_("Status"), labels.enum(screening.status)),
            (_("Forms of exploitation"), ", ".join(labels.enum(f) for f in screening.exploitation_forms)),
            (_("Decided on"), labels.date(screening.decided_on)),
            (_("Decided by"), screening.decided_by),
            (_("Legal basis"), screening.legal_basis),
            (_("Health notes"), case.health_notes),
        ]
    )
    return _STYLE + _section(_("Identification"), rows)


def care_html(case: Case, labels: Labels) -> str:
    """Reception, support delivered, family assessment, referrals."""
    _ = labels.translator.gettext
    reception = (
        _rows(
            [
                (_("Facility"), case.reception.facility),
                (_("Arrived on"), labels.date(case.reception.arrived_on)),
                (_("Received by"), case.reception.received_by),
            ]
        )
        if case.reception
        else _empty(_("Not yet received by a centre."))
    )
    support = (
        _rows(
            (labels.enum(s.kind), f"{labels.date(s.delivered_on)} {s.provider} {s.notes}".strip())
            for s in case.support
        )
        if case.support
        else _empty(_("No support recorded yet."))
    )
    assessment = case.family_assessment
    family = (
        _rows(
            [
                (_("Traced on"), labels.date(assessment.traced_on)),
                (_("Family found"), _("Yes") if assessment.family_found else _("No")),
                (
                    _("Safe to return"),
                    ""
                    if assessment.safe_to_return is None
                    else _("Yes")
                    if assessment.safe_to_return
                    else _("No"),
                ),
                (_("Notes"), assessment.notes),
            ]
        )
        if assessment
        else _empty(_("No family assessment yet."))
    )
    referrals = _rows((r.to_body, f"{labels.date(r.referred_on)} {r.reason}".strip()) for r in case.referrals)
    notes = _rows(
        (title, text)
        for title, text in (
            (_("Health notes"), case.health_notes),
            (_("Account of exploitation"), case.exploitation_narrative),
            (_("Other notes"), case.notes),
        )
        if text
    )
    return (
        _STYLE
        + _section(_("Reception"), reception)
        + _section(_("Support (care plan)"), support)
        + _section(_("Family assessment"), family)
        + _section(_("Referrals"), referrals if case.referrals else _empty(_("No referral yet.")))
        + (_section(_("Health and account"), notes) if notes else "")
    )


def consent_html(case: Case, labels: Labels, today: date) -> str:
    """Consents recorded and, per purpose, whether sharing is allowed today."""
    _ = labels.translator.gettext
    allowed = _rows(
        (labels.enum(scope), _sharing_state(case, scope, today, labels)) for scope in ConsentScope
    )
    records = (
        _rows(
            (
                f"{labels.enum(c.subject)} - {labels.enum(c.scope)}",
                "{} {} {}".format(
                    _("Exemption")
                    if c.law_enforcement_exemption
                    else (_("Given") if c.given else _("Refused")),
                    labels.date(c.recorded_on),
                    c.given_by,
                ).strip(),
            )
            for c in case.consents
        )
        if case.consents
        else _empty(_("No consent recorded yet."))
    )
    return _STYLE + _section(_("Sharing allowed today"), allowed) + _section(_("Records"), records)


def _sharing_state(case: Case, scope: ConsentScope, today: date, labels: Labels) -> str:
    """Allowed, or which consent is missing: the child's, the representative's, or both."""
    _ = labels.translator.gettext
    if case.has_consent(scope, today):
        return _("Allowed")
    given = {c.subject for c in case.consents if c.scope is scope and c.active_on(today)}
    child = case.person.must_consent_personally(today) and ConsentSubject.CHILD not in given
    if ConsentSubject.REPRESENTATIVE in given:
        return _("Not allowed: the child's consent is missing") if child else _("Not allowed")
    if child:
        return _("Not allowed: the consent of the child and of the representative is missing")
    return _("Not allowed: the representative's consent is missing")


def follow_ups_html(case: Case, labels: Labels) -> str:
    """The 3/6/12-month follow-ups and their results."""
    _ = labels.translator.gettext
    if not case.follow_ups:
        return _STYLE + _empty(_("Follow-ups are scheduled when reintegration starts."))
    rows = _rows(
        (
            _("After {count} months").format(count=f.months),
            f"{labels.date(f.due_on)} - {labels.enum(f.status)} {labels.date(f.done_on)} {f.notes}".strip(),
        )
        for f in case.follow_ups
    )
    return _STYLE + _section(_("Follow-ups"), rows)


def attachments_html(case: Case, labels: Labels, images: Mapping[str, bytes] | None = None) -> str:
    """Photos with thumbnails; ``images`` holds the decrypted bytes by content hash (memory only)."""
    _ = labels.translator.gettext
    if not case.person.photos:
        return _STYLE + _empty(_("No photo or scan attached."))
    items = []
    for photo in case.person.photos:
        data = (images or {}).get(photo.sha256)
        # Inline data URI: the decrypted photo never goes back to disk to be shown.
        image = ""
        if data:
            uri = f"data:{escape(photo.media_type)};base64,{base64.b64encode(data).decode()}"
            image = f"<img src='{uri}' width='140'><br>"
        size = _("{size} KB").format(size=max(1, photo.size // 1024))
        items.append(
            f"<td>{image}{escape(photo.file_name)}<br><span class='empty'>{escape(size)}</span></td>"
        )
    return _STYLE + f"<table><tr>{''.join(items)}</tr></table>"
