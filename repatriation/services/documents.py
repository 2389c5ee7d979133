"""Printing forms: load the case or batch, resolve it into form data, render it, audit it.

The ``FormRenderer`` port is implemented by ``forms.renderer.ReportLabFormRenderer``; this
module never imports ReportLab. Dates are written the way each language writes them (Babel).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Protocol

from babel import Locale

from i18n import canonical
from repatriation.domain.actors import Actor
from repatriation.domain.case import Case
from repatriation.domain.enums import (
    ConsentScope,
    Corridor,
    HandoverDirection,
    PlaceKind,
    ReturnChannel,
    SignatureMethod,
)
from repatriation.domain.errors import ValidationError
from repatriation.domain.handover import BatchMember, HandoverBatch
from repatriation.domain.people import Person
from repatriation.domain.permissions import Action
from repatriation.domain.sensitivity import FieldClass
from repatriation.domain.verification import VerificationRequest
from repatriation.services import access
from repatriation.services.audit import record_action
from repatriation.services.checkpoints import CheckpointService
from repatriation.services.form_checks import form_digest, validate
from repatriation.services.form_context import (
    BABEL_LOCALE,
    CORRIDOR_LANGUAGE,
    FORM_ONE,
    LANGUAGE_CODE,
    IssuingPost,
    counterpart_language,
    date_text,
    event_text,
    extra_particulars,
    handover_moment,
    legal_basis_for,
    officials_of,
    place_date,
    relative_of,
)
from repatriation.services.form_data import (
    NO_TEXT,
    NUMBER_SUFFIX,
    BiText,
    ConsentLine,
    DocumentMeta,
    FormData,
    HandedPerson,
    HandoverMinutesData,
    IdentityPaper,
    InformationSource,
    IntakeReportData,
    InternalHandoverData,
    PersonData,
    Place,
    ReceptionRecordData,
    ReferralSummaryData,
    Representative,
    Signature,
    VerificationReplyData,
    VerificationRequestData,
)
from repatriation.services.ports import Clock, ReferenceLookup, UnitOfWork, UnitOfWorkFactory
from repatriation.services.printout_seal import Sealing, audit_fields

LANGUAGES = ("vi", "en", "zh_CN", "km", "lo")
BATCH_FORMS = (FORM_ONE, "internal_handover")
# A form whose subject is a sensitive record (the shelter, a referral) is refused, not printed
# blank, to a role that may not print sensitive fields; every other form needs basic fields.
FORM_SUBJECT_CLASS = {"reception_record": FieldClass.SENSITIVE, "referral_summary": FieldClass.SENSITIVE}


class FormRenderer(Protocol):
    """Turns form data into PDF bytes (``forms.renderer.ReportLabFormRenderer``)."""

    def render(self, form_id: str, data: FormData, counterpart_language: str,
               seal: Callable[[str], str] | None = None) -> bytes:
        """The PDF of ``data`` as ``form_id``; ``seal``: the pages' hash in, the QR text out."""

    def form_ids(self) -> tuple[str, ...]:
        """Ids of the forms the renderer knows."""


class DocumentService:
    """Renders the forms of a case or a handover batch, and audits every printout."""

    def __init__(self, uow_factory: UnitOfWorkFactory, reference: ReferenceLookup,
                 renderer: FormRenderer, clock: Clock, checkpoints: CheckpointService | None = None,
                 post: IssuingPost | None = None) -> None:
        self._uow_factory = uow_factory
        self._reference = reference
        self._renderer = renderer
        self._clock = clock
        self._checkpoints = checkpoints
        self._post = post  # who issues the forms: the post's name, gate and town

    def form_ids(self) -> tuple[str, ...]:
        """Forms that can be rendered."""
        return self._renderer.form_ids()

    def render(self, actor: Actor, form_id: str, *, case_ref: str | None = None,
               batch_ref: str | None = None, language: str | None = None,
               request_id: str | None = None, other_language: bool = False,
               deliver: Callable[[bytes], None] | None = None) -> bytes:
        """The PDF of ``form_id`` for a case (or a batch), Vietnamese beside ``language``.

        Args:
            actor: who prints: cases are blanked for its print rights (``_Builder.case``);
                the printout is audited with the content hash.
            form_id: one of :meth:`form_ids`.
            case_ref: the case, for every form except the two batch minutes.
            batch_ref: the handover batch, for ``handover_minutes`` and ``internal_handover``.
            language: ``zh_CN``, ``km``, ``lo`` or ``en``; ``vi`` prints Vietnamese only.
                ``None``: the corridor's language (Chinese, Khmer, Lao; English otherwise).
            request_id: which verification request (default: the latest one).
            other_language: the minutes signed with the foreign side are printed in another
                language than the corridor's only with this explicit choice.
            deliver: writes the PDF before the printout is audited; if it fails, the audit
                entry is rolled back: no record of a print that never happened.

        Raises:
            PermissionDenied: the actor's role may not print case records.
            ValidationError: unknown form or language, a missing reference or field.
            NotFoundError: no such case or batch.
        """
        access.require(actor, Action.PRINT, FORM_SUBJECT_CLASS.get(form_id, FieldClass.BASIC), form=form_id)
        if form_id not in self._renderer.form_ids():
            raise ValidationError("unknown_form", form=form_id)
        if language is not None and canonical(language) not in LANGUAGES:
            raise ValidationError("unsupported_language", language=canonical(language))
        wants_batch = form_id in BATCH_FORMS
        reference = batch_ref if wants_batch else case_ref
        if not reference:
            raise ValidationError("missing_field", field="batch_ref" if wants_batch else "case_ref")
        with self._uow_factory() as uow:
            corridor = (uow.batches.get(reference) if wants_batch else uow.cases.get(reference)).corridor
            language = counterpart_language(form_id, corridor, language, other_language)
            data = _Builder(self._reference, uow, language, self._clock.now(), actor,
                            self._post).build(form_id, reference, request_id)
            validate(data)
            # The QR text: document, content hashes, a checkpoint, the post's signature.
            sealing = Sealing(self._checkpoints, uow, data.meta, form_digest(data))
            pdf = self._renderer.render(form_id, data, language, **sealing.renderer_options())
            (deliver or (lambda _: None))(pdf)
            sealing.keep()  # delivered: only now is the printout's checkpoint kept
            record_action(uow, actor, self._clock.now(), "form_printed",
                          "batch" if wants_batch else "case", reference, form=form_id,
                          language=language, document=data.meta.document_number,
                          sha256=form_digest(data),
                          hidden=sorted(str(k) for k in access.hidden_for(actor, Action.PRINT)),
                          **audit_fields(sealing.sealed))
            uow.commit()
        return pdf


class _Builder:
    """Resolves one case or batch into the data of one form."""

    def __init__(self, reference: ReferenceLookup, uow: UnitOfWork, language: str,
                 now: datetime, actor: Actor, post: IssuingPost | None = None) -> None:
        self.ref, self.uow, self.language, self.now, self.actor = reference, uow, language, now, actor
        self.post_profile = post
        self.locales = (Locale.parse("vi"), Locale.parse(BABEL_LOCALE[language]))

    def case(self, reference: str) -> Case:
        """A case as the actor may print it (every form reads cases through here)."""
        return access.redact(self.uow.cases.get(reference), self.actor, Action.PRINT)

    def build(self, form_id: str, reference: str, request_id: str | None) -> FormData:
        if form_id in BATCH_FORMS:
            batch = access.redact_batch(self.uow.batches.get(reference), self.actor, Action.PRINT)
            return self.batch_form(form_id, batch)
        case = self.case(reference)
        if form_id in ("verification_request", "verification_reply"):
            return self.verification(form_id, case, request_id)
        builders: dict[str, Callable[[Case], FormData]] = {
            "reception_record": self.reception_record, "referral_summary": self.referral,
            "intake_report": self.intake_report,
        }
        return builders[form_id](case)

    def bi(self, vi: str, other: str = "") -> BiText:
        return BiText(vi, "" if self.language == "vi" else other)

    def names(self, table: str, code: str) -> BiText:
        """A CLDR name (language or territory) in Vietnamese and in the counterpart language."""
        vi, other = (getattr(loc, table).get(code.replace("-", "_"), "") for loc in self.locales)
        return self.bi(vi or code, other)

    def province_name(self, gate_code: str | None, on: date) -> str:
        if not gate_code:
            return ""
        gate = self.ref.gate(gate_code)
        code = gate.province_new if on >= date(2025, 7, 1) else gate.province_old
        name: str = self.ref.province(code).name if code else ""
        return name.removeprefix("Tỉnh ").removeprefix("Thành phố ")

    def place(self, kind: PlaceKind, gate_code: str | None, detail: str) -> Place:
        if not gate_code:
            return Place(kind, BiText(detail), "")
        gate = self.ref.gate(gate_code)
        vi = " - ".join(p for p in (gate.name_vi, gate.counterpart_name) if p)
        # The counterpart's own script where the reference data knows it (河口 for Hekou), in
        # the corridor's language only: an English form keeps the Latin name.
        own = gate.counterpart_name_local and CORRIDOR_LANGUAGE[gate.corridor] == self.language
        local = " - ".join(p for p in (gate.name_vi, gate.counterpart_name_local) if p)
        return Place(kind, self.bi(vi, local if own else ""), detail)

    def issuer_gate(self, gate_code: str | None) -> str | None:
        """The gate whose province names the issuer and the place: the post's own, when known."""
        post = self.post_profile
        return post.gate_code if post is not None and post.gate_code else gate_code

    def post(self, gate_code: str | None, on: date) -> tuple[BiText, ...]:
        """The issuing post's header lines: from the post profile whatever the case's channel."""
        gate_code = self.issuer_gate(gate_code)
        province = self.province_name(gate_code, on)
        # The provincial Border Guard commands moved under the Military Commands on 28 Jun 2025.
        parent = ("Ban Chỉ huy Bộ đội Biên phòng, Bộ Chỉ huy Quân sự tỉnh" if on >= date(2025, 6, 28)
                  else "Bộ Chỉ huy Bộ đội Biên phòng tỉnh")
        if self.post_profile is not None and self.post_profile.name.strip():
            name = self.post_profile.name.strip()
        else:
            gate = self.ref.gate(gate_code).name_vi if gate_code else ""
            name = f"Đồn Biên phòng cửa khẩu {gate}".strip()
        return (BiText(f"{parent} {province}".strip().upper()), BiText(name.upper()))

    def meta(self, form_id: str, reference: str, corridor: Corridor, gate_code: str | None,
             issuer: tuple[BiText, ...] | None = None, on: date | None = None) -> DocumentMeta:
        """Number, issuer, and the place and date line (``on``: the event's day; None: blank)."""
        today = self.now.date()
        town = self.province_name(self.issuer_gate(gate_code), today) or "...."
        return DocumentMeta(
            form_id, f"{reference}/{NUMBER_SUFFIX[form_id]}", reference,
            issuer or self.post(gate_code, today), place_date(BiText(town), on, self.language),
            legal_basis_for(form_id, corridor, on or today), self.language, self.now)

    def person(self, case: Case) -> PersonData:
        person: Person = case.person
        age = person.age_on(self.now.date())
        ethnic = self.ref.ethnic(person.ethnic_code or "99")  # blank: not printable for the role
        document = person.documents[0] if person.documents else None
        others = tuple(IdentityPaper(d.kind, d.number) for d in person.documents[1:])
        return PersonData(
            person.full_name, case.reference, person.sex,
            date_text(person.birth.date_of_birth, self.language), age,
            person.birth.date_of_birth is None and age is not None, person.aliases,
            self.bi(ethnic.name_vi, ethnic.name_en if self.language == "en" else "")
            if person.ethnic_code else NO_TEXT,
            self.names("territories", person.nationality), person.place_of_birth,
            person.address.as_written, document.kind if document else None,
            document.number if document else "",
            self.names("languages", person.preferred_language), person.literacy,
            person.interpreter_needed, others, extra_particulars(case.extra_fields, self.language),
            no_documents=person.no_documents and not person.documents)

    def handed(self, member: BatchMember) -> HandedPerson:
        case = self.case(member.case_reference)
        return HandedPerson(
            self.person(case), member.belongings, member.documents, member.health_state,
            Signature(case.person.full_name, member.signature, member.witnessed_by))

    def interpreted(self, batch: HandoverBatch) -> BiText:
        """Languages interpreted: Vietnamese, the counterpart's, and the children's own."""
        codes = ["vi", LANGUAGE_CODE[CORRIDOR_LANGUAGE[batch.corridor]]]
        for member in batch.members:
            person = self.uow.cases.get(member.case_reference).person
            if person.interpreter_needed:
                codes.append(person.interpreter_language or person.preferred_language)
        names = [self.names("languages", code) for code in dict.fromkeys(c for c in codes if c)]
        return self.bi(" - ".join(n.vi for n in names), " - ".join(n.other or n.vi for n in names))

    def delivering_officer(self, case: Case) -> Representative:
        """The Vietnamese official of the last completed handover that included the child."""
        for batch in sorted(self.uow.batches.list_recent(500), reverse=True,
                            key=lambda b: b.handed_over_at or datetime.min):
            if batch.handed_over_at and case.reference in batch.case_references:
                officials = officials_of(batch, True)
                if officials:
                    return officials[0]
        return Representative("")

    def batch_form(self, form_id: str, batch: HandoverBatch) -> FormData:
        moment, day = handover_moment(batch.handed_over_at, batch.planned_on, self.now.date())
        meta = self.meta(form_id, batch.reference, batch.corridor, batch.gate_code, on=day)
        when = event_text(moment, day, self.language)
        place = self.place(batch.place_kind, batch.gate_code, batch.place_detail)
        persons = tuple(self.handed(m) for m in batch.members)
        internal = batch.direction is HandoverDirection.INTERNAL
        # Internal minutes follow an inbound receipt (same persons) or an internal batch; the
        # foreign minutes never describe an internal batch.
        outbound = batch.direction is HandoverDirection.OUTBOUND
        if (internal and form_id != "internal_handover") or (outbound and form_id != FORM_ONE):
            raise ValidationError("wrong_batch_direction", batch=batch.reference, form=form_id)
        if form_id == "internal_handover":
            province = self.province_name(batch.gate_code, batch.planned_on)
            return InternalHandoverData(
                meta, when, place, meta.issuing_body[-1],
                BiText(f"Công an tỉnh {province}".strip()), officials_of(batch, True),
                officials_of(batch, False) if internal else (), persons,
                remarks=batch.remarks, originals=batch.originals_per_language)
        return HandoverMinutesData(
            meta, batch.direction, batch.corridor, when, place, officials_of(batch, True),
            officials_of(batch, False), persons, batch.remarks, batch.originals_per_language,
            batch.interpreter, self.interpreted(batch))

    def reception_record(self, case: Case) -> ReceptionRecordData:
        reception = case.reception
        if reception is None:
            raise ValidationError("missing_field", field="reception", form="reception_record")
        facility = BiText(reception.facility)
        meta = self.meta("reception_record", case.reference, case.corridor, case.gate_code,
                         (facility,), on=reception.arrived_on)
        guardian = case.person.guardian
        consents = tuple(ConsentLine(c.subject, c.scope, c.given, c.given_by,
                                     c.law_enforcement_exemption) for c in case.consents)
        return ReceptionRecordData(
            meta, date_text(reception.arrived_on, self.language), facility,
            self.post(case.gate_code, reception.arrived_on)[-1], self.delivering_officer(case),
            Representative(reception.received_by), self.person(case),
            Signature(case.person.full_name, SignatureMethod.NOT_TAKEN),
            Signature(guardian.full_name) if guardian else None, consents=consents)

    def verification(self, form_id: str, case: Case, request_id: str | None) -> FormData:
        requests = [r for r in case.verifications if request_id in (None, r.request_id)]
        if not requests:
            raise ValidationError("missing_field", field="request_id", form=form_id)
        request: VerificationRequest = requests[-1]
        meta = self.meta(form_id, f"{case.reference}-{request.request_id}", case.corridor,
                         case.gate_code, (BiText(request.requested_by.upper()),),
                         on=request.sent_on if form_id == "verification_request"
                         else request.received_on)
        if form_id == "verification_request":
            return VerificationRequestData(
                meta, request.request_id, request.kind, BiText(request.requested_by),
                BiText(request.requested_to), self.person(case),
                tuple(r for r in map(relative_of, case.person.family) if r), request.subject,
                date_text(request.due_on, self.language), request.legal_reference)
        if request.received_on is None:
            raise ValidationError("missing_field", field="reply", form=form_id)
        meta = replace(meta, issuing_body=(BiText(request.requested_to.upper()),))
        return VerificationReplyData(
            meta, f"{case.reference}-{request.request_id}/{NUMBER_SUFFIX['verification_request']}",
            date_text(request.sent_on, self.language), request.kind,
            BiText(request.requested_to), BiText(request.requested_by), self.person(case),
            request.outcome, request.reply, date_text(request.received_on, self.language))

    def referral(self, case: Case) -> ReferralSummaryData:
        if not case.referrals:
            raise ValidationError("missing_field", field="referrals", form="referral_summary")
        today = self.now.date()
        # Sharing with another body needs consent or the law-enforcement exemption (PDPL 2025).
        if not case.has_consent(ConsentScope.SHARE_WITH_AGENCIES, today):
            raise ValidationError("consent_required", scope=str(ConsentScope.SHARE_WITH_AGENCIES),
                                  case=case.reference)
        exemption = any(c.law_enforcement_exemption for c in case.consents
                        if c.scope is ConsentScope.SHARE_WITH_AGENCIES)
        referral = case.referrals[-1]
        sender = case.reception.facility if case.reception else None
        issuer = (BiText(sender),) if sender else None
        meta = self.meta("referral_summary", case.reference, case.corridor, case.gate_code, issuer,
                         on=referral.referred_on)
        kinds = tuple(dict.fromkeys(s.kind for s in case.support))
        return ReferralSummaryData(
            meta, meta.issuing_body[-1], BiText(referral.to_body), referral.reason,
            self.person(case), case.screening.status, exemption, kinds)

    def intake_report(self, case: Case) -> IntakeReportData:
        meta = self.meta("intake_report", case.reference, case.corridor, case.gate_code,
                         on=case.received_on)
        family = {m.relation: m for m in case.person.family}
        source = (InformationSource.IN_PERSON if case.channel is ReturnChannel.SELF_RETURN
                  else InformationSource.THIRD_PARTY)
        place = self.place(case.place_kind, case.gate_code, case.place_detail).name.vi
        guardian = case.person.guardian
        return IntakeReportData(
            meta, meta.issuing_body[-1], date_text(case.received_on, self.language), source,
            self.person(case), incident_place=place,
            current_location=case.reception.facility if case.reception else place,
            current_condition=case.health_notes, father=relative_of(family.get("father")),
            mother=relative_of(family.get("mother")),
            caregiver=guardian.full_name if guardian else "")
