"""In-memory fakes of the ports: a unit of work, repositories, queries and reference data."""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from repatriation.domain.account_policy import UserAccount
from repatriation.domain.case import Case
from repatriation.domain.deadlines import DayUnit, DeadlineRule, DeadlineRuleSet, WorkingCalendar
from repatriation.domain.enums import Corridor, PlaceKind, VerificationKind
from repatriation.domain.errors import ConflictError, NotFoundError
from repatriation.domain.handover import HandoverBatch
from repatriation.domain.people import years_between
from repatriation.domain.text import fold
from repatriation.services.results import (
    AuditEntry,
    CasePage,
    CaseQuery,
    CaseSummary,
    DueVerification,
    SearchExpansion,
)


@dataclass(frozen=True)
class FakeGate:
    code: str
    name_vi: str
    corridor: Corridor
    kind: PlaceKind = PlaceKind.GATE


@dataclass
class FakeReference:
    """Two gates, three ethnic groups, two rules, Tet 2026 as holidays."""

    version: str = "test"
    calendar: WorkingCalendar = field(
        default_factory=lambda: WorkingCalendar(
            frozenset(date(2026, 2, d) for d in range(16, 21))
            | {date(2026, 4, 30), date(2026, 5, 1)}
        )
    )
    deadline_rules: DeadlineRuleSet = field(
        default_factory=lambda: DeadlineRuleSet.of(
            [
                DeadlineRule(
                    "police_20wd",
                    VerificationKind.POLICE_IDENTITY,
                    20,
                    DayUnit.WORKING,
                    "JC 01/2014",
                    date(2014, 1, 1),
                ),
                DeadlineRule(
                    "immigration_10wd",
                    VerificationKind.IMMIGRATION_IDENTITY,
                    10,
                    DayUnit.WORKING,
                    "JC 01/2014",
                    date(2014, 1, 1),
                ),
                DeadlineRule(
                    "entry_notice_3d",
                    VerificationKind.ENTRY_NOTICE,
                    3,
                    DayUnit.CALENDAR,
                    "JC 01/2014",
                    date(2014, 1, 1),
                    before_event=True,
                ),
            ]
        )
    )
    gates: tuple[FakeGate, ...] = (
        FakeGate("CN-LAOCAI", "Lào Cai", Corridor.CHINA),
        FakeGate("KH-MOCBAI", "Mộc Bài", Corridor.CAMBODIA),
        FakeGate("LA-CAUTREO", "Cầu Treo", Corridor.LAO),
    )
    ethnic_names: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: {
            "01": ("Kinh",),
            "08": ("H'Mông", "Mèo", "Mông"),
            "09": ("Dao", "Mán"),
            "99": ("Unknown",),
        }
    )

    def gate(self, code: str) -> FakeGate:
        for gate in self.gates:
            if gate.code == code:
                return gate
        raise NotFoundError("gate_not_found", code=code)

    def gates_for(self, corridor: Corridor, on: date | None = None) -> tuple[FakeGate, ...]:
        return tuple(g for g in self.gates if g.corridor is corridor)

    def ethnic(self, code: str) -> str:
        if code not in self.ethnic_names:
            raise NotFoundError("ethnic_not_found", code=code)
        return code

    def ethnic_codes_matching(self, folded_text: str) -> tuple[str, ...]:
        return tuple(
            c
            for c, names in self.ethnic_names.items()
            if any(folded_text in fold(n) for n in names)
        )

    def province_codes_matching(self, folded_text: str) -> tuple[str, ...]:
        return ("02", "N08") if folded_text in "ha giang" else ()

    def province_scheme(self, code: str) -> str | None:
        return {"02": "old", "10": "old", "N08": "new", "N15": "new"}.get(code)


class FakeAudit:
    def __init__(self, store: list[AuditEntry]) -> None:
        self._store = store

    def append(
        self,
        *,
        at: datetime,
        actor: str,
        action: str,
        entity: str,
        reference: str,
        details: dict[str, Any],
    ) -> None:
        text = json.dumps(details, sort_keys=True)
        prev = self._store[-1].entry_hash if self._store else "0" * 64
        digest = hashlib.sha256((prev + text).encode()).hexdigest()
        self._store.append(
            AuditEntry(len(self._store) + 1, at, actor, action, entity, reference, text, digest)
        )

    def entries(self, reference: str | None = None, limit: int = 1000) -> list[AuditEntry]:
        return [e for e in self._store if reference is None or e.reference == reference][-limit:]


class FakeCases:
    def __init__(self, store: dict[str, Case]) -> None:
        self._store = store

    def find(self, reference: str) -> Case | None:
        return self._store.get(reference)

    def find_by_global_id(self, global_id: str) -> Case | None:
        return next((c for c in self._store.values() if c.global_id == global_id), None)

    def get(self, reference: str) -> Case:
        if reference not in self._store:
            raise NotFoundError("case_not_found", reference=reference)
        return self._store[reference]

    def add(self, case: Case) -> Case:
        if case.reference in self._store:
            raise ConflictError("reference_taken", reference=case.reference)
        if self.find_by_global_id(case.global_id) is not None:
            raise ConflictError("global_id_taken", reference=case.reference)
        self._store[case.reference] = replace(case, revision=1)
        return self._store[case.reference]

    def add_many(self, cases: list[Case]) -> None:
        for case in cases:
            self.add(case)

    def save(self, case: Case) -> Case:
        stored = self._store[case.reference]
        if stored.revision != case.revision or stored.global_id != case.global_id:
            raise ConflictError("case_changed", reference=case.reference)
        self._store[case.reference] = replace(case, revision=case.revision + 1)
        return self._store[case.reference]

    def next_reference(self, prefix: str, year: int) -> str:
        stem = f"{prefix}-{year}-"
        numbers = [int(r.rsplit("-", 1)[1]) for r in self._store if r.startswith(stem)]
        return f"{stem}{max(numbers, default=0) + 1:06d}"

    def references_with_prefix(self, prefix: str) -> list[str]:
        return [r for r in self._store if r.startswith(prefix)]

    def born_between(self, start: date, end: date, limit: int) -> list[str]:
        from repatriation.storage.repositories import approx_birth_date

        found = [r for r, c in self._store.items()
                 if (born := approx_birth_date(c.person.birth)) is None or start <= born <= end]
        return found[:limit]

    def count(self) -> int:
        return len(self._store)


class FakeBatches:
    def __init__(self, store: dict[str, HandoverBatch]) -> None:
        self._store = store

    def get(self, reference: str) -> HandoverBatch:
        if reference not in self._store:
            raise NotFoundError("batch_not_found", reference=reference)
        return self._store[reference]

    def add(self, batch: HandoverBatch) -> HandoverBatch:
        self._store[batch.reference] = replace(batch, revision=1)
        return self._store[batch.reference]

    def save(self, batch: HandoverBatch) -> HandoverBatch:
        if self._store[batch.reference].revision != batch.revision:
            raise ConflictError("batch_changed", reference=batch.reference)
        self._store[batch.reference] = replace(batch, revision=batch.revision + 1)
        return self._store[batch.reference]

    def next_reference(self, prefix: str, year: int) -> str:
        stem = f"{prefix}-{year}-"
        return f"{stem}{sum(r.startswith(stem) for r in self._store) + 1:06d}"

    def list_recent(self, limit: int = 100) -> list[HandoverBatch]:
        return sorted(self._store.values(), key=lambda b: b.planned_on, reverse=True)[:limit]


class FakeQueries:
    def __init__(self, cases: dict[str, Case]) -> None:
        self._cases = cases

    def page(
        self, query: CaseQuery, today: date, expansion: SearchExpansion | None = None
    ) -> CasePage:
        rows = [
            c
            for c in self._cases.values()
            if _matches(c, query, today, expansion or SearchExpansion())
        ]
        rows.sort(key=lambda c: (c.received_on, c.reference), reverse=query.descending)
        chosen = rows[query.offset : query.offset + query.limit]
        return CasePage(tuple(_summary(c, today) for c in chosen), len(rows), query.offset)

    def due_verifications(self, today: date, horizon_days: int = 0) -> list[DueVerification]:
        limit = date.fromordinal(today.toordinal() + horizon_days)
        found = [
            DueVerification(
                c.reference,
                c.person.full_name,
                v.request_id,
                v.kind,
                v.requested_to,
                v.sent_on,
                v.due_on,
                max(0, (today - v.due_on).days),
                v.legal_reference,
            )
            for c in self._cases.values()
            for v in c.verifications
            if v.is_open and v.due_on is not None and v.due_on <= limit
        ]
        return sorted(found, key=lambda d: (d.due_on, d.case_reference))


def _matches(case: Case, query: CaseQuery, today: date, expansion: SearchExpansion) -> bool:
    if (
        query.text
        and fold(query.text) not in fold(case.person.full_name)
        and case.person.ethnic_code not in expansion.ethnic_codes
    ):
        return False
    if query.corridor and case.corridor is not query.corridor:
        return False
    if query.status and case.status is not query.status:
        return False
    due = case.next_due()
    return not (query.overdue_only and not (due and due < today))


def _summary(case: Case, today: date) -> CaseSummary:
    due = case.next_due()
    born = case.person.birth.date_of_birth
    return CaseSummary(
        case.reference,
        case.person.full_name,
        case.person.sex,
        years_between(born, today) if born else case.person.age_on(today),
        case.corridor,
        case.channel,
        case.status,
        case.screening.status,
        case.received_on,
        case.gate_code,
        case.person.ethnic_code,
        due,
        bool(due and due < today),
        case.batch_reference,
    )


class FakeAccounts:
    """User accounts by name (``AccountRepository``)."""

    def __init__(self, store: dict[str, UserAccount]) -> None:
        self._store = store

    def find(self, username: str, *, for_update: bool = False) -> UserAccount | None:
        return self._store.get(username)

    def add(self, account: UserAccount) -> None:
        if account.username in self._store:
            raise ConflictError("username_taken", username=account.username)
        self._store[account.username] = account

    def save(self, account: UserAccount) -> None:
        if account.username not in self._store:
            raise NotFoundError("user_not_found", username=account.username)
        self._store[account.username] = account

    def list_all(self) -> list[UserAccount]:
        return [self._store[name] for name in sorted(self._store)]

    def count(self) -> int:
        return len(self._store)


class FakeUnitOfWork:
    """Copies the store on enter and publishes it on commit: a real all-or-nothing fake."""

    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    def __enter__(self) -> FakeUnitOfWork:
        self._cases = dict(self._db.cases)
        self._batches = dict(self._db.batches)
        self._audit = list(self._db.audit)
        self._accounts = dict(self._db.accounts)
        self.accounts = FakeAccounts(self._accounts)
        self.cases = FakeCases(self._cases)
        self.batches = FakeBatches(self._batches)
        self.audit = FakeAudit(self._audit)
        self.queries = FakeQueries(self._cases)
        self.committed = False
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def commit(self) -> None:
        self._db.cases = dict(self._cases)
        self._db.batches = dict(self._batches)
        self._db.audit = list(self._audit)
        self._db.accounts = dict(self._accounts)
        self._db.commits += 1

    def rollback(self) -> None:
        return None


@dataclass
class FakeDatabase:
    cases: dict[str, Case] = field(default_factory=dict)
    batches: dict[str, HandoverBatch] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    accounts: dict[str, UserAccount] = field(default_factory=dict)
    commits: int = 0

    def uow(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self)

    def snapshot(self) -> tuple[Any, ...]:
        return copy.deepcopy((self.cases, self.batches, self.audit, self.accounts))
