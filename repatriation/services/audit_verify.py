"""Check the hash-chained audit log, the checkpoints that remember it, and the case rows it covers.

Each entry stores the hash of the one before it and its own hash over its content, so an entry
edited in place, deleted, moved to another position or cut off the end breaks the chain at a
precise sequence number. A chain can still be rewritten from some point on by someone who also
recomputes every later hash and the head; only a head remembered outside the database catches
that: the desk's own checkpoints (``services/checkpoints.py``), those a receiving desk kept, and
heads printed on forms (Crosby & Wallach 2009; ``docs/tamper-evidence.md``). Every entry that
writes a case carries the SHA-256 of the stored document, so a case row edited, added or deleted
outside the services is named too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from repatriation.domain.actors import Actor
from repatriation.domain.audit_records import DOCS_KEY, AuditHead, AuditRecord, document_digest
from repatriation.domain.permissions import Capability
from repatriation.services.access import require_capability
from repatriation.services.ports import UnitOfWorkFactory

BATCH_SIZE = 5000


class AuditChainReader(Protocol):
    """Read access to the stored chain and the case rows (``storage.audit_queries``)."""

    genesis_hash: str

    def head(self) -> AuditHead | None:
        """The head row, or ``None`` for an empty log."""
        ...

    def records(self, after: int, limit: int) -> list[AuditRecord]:
        """Up to ``limit`` rows with a sequence above ``after``, in sequence order."""
        ...

    def link_hash(self, prev_hash: str, record: AuditRecord) -> str:
        """The hash the record must carry when it follows ``prev_hash``."""
        ...

    def case_documents(self) -> Iterator[tuple[str, str]]:
        """``(reference, stored document)`` of every case row."""
        ...


class Problem:
    """Codes of the ways a chain can be broken."""

    ENTRY_ALTERED = "entry_altered"  # content no longer matches its hash
    LINK_BROKEN = "link_broken"  # stored previous hash differs from the previous entry's hash
    ENTRY_MISSING = "entry_missing"  # a sequence number is absent (deleted or moved)
    TRUNCATED = "truncated"  # the head names entries that are no longer there
    HEAD_MISMATCH = "head_mismatch"  # the head does not match the last entry
    HEAD_MISSING = "head_missing"  # entries exist but the head row is gone
    ANCHOR_MISSING = "anchor_missing"  # a remembered head is beyond the end of the log
    ANCHOR_MISMATCH = "anchor_mismatch"  # a remembered head differs from the stored entry
    CUT_BACK = "cut_back"  # a checkpoint names an entry past the end of the log
    WIPED = "wiped"  # the log is empty although checkpoints name entries
    REWRITTEN = "rewritten"  # a checkpoint's entry has another hash: rewritten up to there
    ROLLED_BACK = "rolled_back"  # the log is back at a backup's checkpoint; later ones are gone
    CHECKPOINT_FORGED = "checkpoint_forged"  # an outside checkpoint with a bad signature


class CaseProblem:
    """Codes of a case row that does not match what the log recorded."""

    CHANGED = "case_changed"  # the stored document differs from the last one the log recorded
    DELETED = "case_deleted"  # the log recorded the case; the row is gone
    UNRECORDED = "case_unrecorded"  # the row exists; no entry ever wrote it


@dataclass(frozen=True)
class Anchor:
    """A head remembered outside the database: a checkpoint, or a head given on the command line."""

    sequence: int
    entry_hash: str
    number: int = 0  # checkpoint number; 0 for a bare ``--anchor``
    at: datetime | None = None
    reason: str = ""  # why the checkpoint was issued: bundle, form, backup, daily...
    source: str = "anchor"  # issued (by this desk) | outside (collected elsewhere) | anchor


@dataclass(frozen=True)
class BrokenLink:
    """Where the chain first breaks and how; ``since`` starts the range a rewrite may cover."""

    sequence: int
    problem: str
    anchor: Anchor | None = None
    since: int = 0
    last: int = 0  # the last entry still in the log
    backup: Anchor | None = None  # the backup checkpoint the log was rolled back to


@dataclass(frozen=True)
class CaseMismatch:
    """One case row changed, added or deleted outside the services."""

    reference: str
    problem: str


@dataclass(frozen=True)
class AuditVerification:
    """The outcome of a verification."""

    entries: int
    last_sequence: int
    last_hash: str
    broken: BrokenLink | None
    cases: tuple[CaseMismatch, ...] = ()
    checkpoints: int = 0  # checkpoints compared with the log

    @property
    def ok(self) -> bool:
        """True when no link is broken and every case row is as the log recorded it."""
        return self.broken is None and not self.cases


class _Walk:
    """State of one pass over the chain; stops checking at the first problem."""

    def __init__(self, reader: AuditChainReader, anchors: Iterable[Anchor]) -> None:
        self.reader = reader
        self.anchors: dict[int, list[Anchor]] = {}
        for anchor in anchors:
            self.anchors.setdefault(anchor.sequence, []).append(anchor)
        self.prev_hash = reader.genesis_hash
        self.expected = 1
        self.count = 0
        self.broken: BrokenLink | None = None
        self.good: Anchor | None = None  # the newest checkpoint the log still matches
        self.last_at: datetime | None = None  # when the newest entry read was written
        self.restored_at = 0  # sequence of the newest "database_restored" entry
        self.documents: dict[str, str] = {}  # case reference -> last recorded document hash

    def collect(self, record: AuditRecord) -> None:
        """Note the case documents an entry recorded (also after the chain broke)."""
        if f'"{DOCS_KEY}"' not in record.details:
            return
        try:
            documents = json.loads(record.details).get(DOCS_KEY, {})
        except (ValueError, AttributeError):
            return
        if isinstance(documents, dict):
            self.documents.update({str(k): str(v) for k, v in documents.items()})

    def feed(self, record: AuditRecord) -> bool:
        """Check one record; returns False once the chain is broken."""
        if record.sequence != self.expected:
            return self._break(self.expected, Problem.ENTRY_MISSING)
        if record.prev_hash != self.prev_hash:
            return self._break(record.sequence, Problem.LINK_BROKEN)
        if self.reader.link_hash(self.prev_hash, record) != record.entry_hash:
            return self._break(record.sequence, Problem.ENTRY_ALTERED)
        self.last_at = record.at
        if record.action == "database_restored":
            self.restored_at = record.sequence
        for anchor in self.anchors.get(record.sequence, ()):
            if anchor.entry_hash != record.entry_hash:
                code = Problem.ANCHOR_MISMATCH if anchor.source == "anchor" else Problem.REWRITTEN
                return self._break(record.sequence, code, anchor)
            if self.good is None or self._newer(anchor, self.good):
                self.good = anchor
        self.prev_hash = record.entry_hash
        self.expected += 1
        self.count += 1
        return True

    @staticmethod
    def _newer(anchor: Anchor, than: Anchor) -> bool:
        """Later, or as late and a backup's (the one a restore would have returned to)."""
        if anchor.at is None or than.at is None:
            return False
        return (anchor.at, anchor.reason == "backup") > (than.at, than.reason == "backup")

    def finish(self, head: AuditHead | None) -> None:
        """Compare the end of the chain with the head row and the anchors."""
        if self.broken is not None:
            return
        last = self.expected - 1
        for anchor in self.anchors.get(0, ()):  # a checkpoint of the empty log
            if anchor.entry_hash != self.reader.genesis_hash:
                self._break(0, Problem.REWRITTEN, anchor)
                return
        if head is None:
            if last:
                self._break(last, Problem.HEAD_MISSING)
        elif head.sequence > last:
            self._break(last + 1, Problem.TRUNCATED)
        elif head.sequence < last or head.entry_hash != self.prev_hash:
            self._break(head.sequence, Problem.HEAD_MISMATCH)
        if self.broken is None:
            self._beyond(last)

    def _beyond(self, last: int) -> None:
        """A remembered head past the end of the log: cut back, wiped or rolled back."""
        beyond = sorted((a for s, group in self.anchors.items() if s > last for a in group),
                        key=lambda a: a.sequence)
        if not beyond:
            return
        first = beyond[0]
        if first.source == "anchor":
            self._break(first.sequence, Problem.ANCHOR_MISSING, first)
        else:
            self._break(last + 1, Problem.CUT_BACK if last else Problem.WIPED, first)

    def _break(self, sequence: int, problem: str, anchor: Anchor | None = None) -> bool:
        since = self.good.sequence + 1 if self.good else 1
        backup = self._restored_backup(problem, anchor)
        if backup is not None:
            problem = Problem.ROLLED_BACK
        self.broken = BrokenLink(sequence, problem, anchor, since, self.expected - 1, backup)
        return False

    def _restored_backup(self, problem: str, anchor: Anchor | None) -> Anchor | None:
        """The backup checkpoint the log was restored to, when the evidence says so.

        The log still matches a backup's checkpoint, misses a later checkpoint, and either ends
        right at the backup, records a restore after it, or goes on with entries written after
        that later checkpoint (the desk was used after the restore). A rewrite in the past
        stays a rewrite.
        """
        good = self.good
        if (anchor is None or anchor.source == "anchor" or good is None or good.reason != "backup"
                or problem not in (Problem.CUT_BACK, Problem.REWRITTEN)
                # Later means covering more of the log: checkpoint times have whole seconds,
                # and a backup and the next checkpoint can fall in the same second.
                or anchor.sequence <= good.sequence):
            return None
        at_backup = problem == Problem.CUT_BACK and self.expected - 1 == good.sequence
        written_later = (self.last_at is not None and anchor.at is not None
                         and self.last_at.astimezone(UTC) > anchor.at)
        restored = self.restored_at > good.sequence
        return good if at_backup or restored or written_later else None


def case_mismatches(recorded: dict[str, str],
                    stored: Iterable[tuple[str, str]]) -> tuple[CaseMismatch, ...]:
    """Compare each case row's document hash with the last one the log recorded for it."""
    found: list[CaseMismatch] = []
    remaining = dict(recorded)
    for reference, document in stored:
        expected = remaining.pop(reference, None)
        if expected is None:
            found.append(CaseMismatch(reference, CaseProblem.UNRECORDED))
        elif expected != document_digest(document):
            found.append(CaseMismatch(reference, CaseProblem.CHANGED))
    found.extend(CaseMismatch(r, CaseProblem.DELETED) for r in remaining)
    return tuple(sorted(found, key=lambda m: m.reference))


class AuditVerifier:
    """Walks the whole chain in sequence order, in batches, then the case rows."""

    def __init__(self, uow_factory: UnitOfWorkFactory,
                 checkpoints: Callable[[], Iterable[Anchor]] | None = None) -> None:
        self._uow_factory = uow_factory
        self._checkpoints = checkpoints

    def head(self) -> AuditHead | None:
        """The current head, to print on forms and put in bundles."""
        with self._uow_factory() as uow:
            return uow.audit_chain.head()

    def verify(
        self, actor: Actor, anchors: Iterable[AuditHead | Anchor] = (),
        batch_size: int = BATCH_SIZE,
    ) -> AuditVerification:
        """Check every link, every checkpoint and every case row; read-only.

        Args:
            actor: who asks (supervisor or the maintenance CLI).
            anchors: heads remembered outside the database; each must still be in the chain.
                The desk's own checkpoints are always added.
            batch_size: rows read per query.

        Returns:
            The number of entries checked, the last link, the first broken link if any, and
            the case rows that differ from what the log recorded.

        Raises:
            PermissionDenied: the role may not verify the audit log.
        """
        require_capability(actor, Capability.VERIFY_AUDIT)
        given = [a if isinstance(a, Anchor) else Anchor(a.sequence, a.entry_hash) for a in anchors]
        own = list(self._checkpoints()) if self._checkpoints else []
        with self._uow_factory() as uow:
            reader = uow.audit_chain
            walk = _Walk(reader, [*given, *own])
            after, checking = 0, True
            while True:
                batch = reader.records(after, batch_size)
                if not batch:
                    break
                for record in batch:
                    checking = checking and walk.feed(record)
                    walk.collect(record)
                after = batch[-1].sequence
            walk.finish(reader.head())
            cases = case_mismatches(walk.documents, reader.case_documents())
        return AuditVerification(walk.count, walk.expected - 1, walk.prev_hash, walk.broken,
                                 cases, len(given) + len(own))
