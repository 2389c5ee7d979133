"""Check the hash-chained audit log and report the first broken link.

Each entry stores the hash of the one before it and its own hash over its content, so an entry
edited in place, deleted, moved to another position or cut off the end breaks the chain at a
precise sequence number. A chain can still be rewritten from some point on by someone who also
recomputes every later hash and the head; only a head remembered outside the database (a printed
form, a bundle, a signed checkpoint) catches that, so such heads can be passed in as anchors
(Crosby & Wallach 2009; security-notes 6.4).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from repatriation.domain.actors import Actor
from repatriation.domain.permissions import Capability
from repatriation.services.access import require_capability
from repatriation.services.ports import UnitOfWork, UnitOfWorkFactory

BATCH_SIZE = 5000


@dataclass(frozen=True)
class AuditRecord:
    """One stored audit row with both hashes, as read for verification."""

    sequence: int
    at: datetime
    actor: str
    action: str
    entity: str
    reference: str
    details: str
    prev_hash: str
    entry_hash: str


@dataclass(frozen=True)
class AuditHead:
    """The newest link: what a printout, a bundle or a checkpoint remembers."""

    sequence: int
    entry_hash: str


class AuditChainReader(Protocol):
    """Read access to the stored chain (``storage.audit_queries``)."""

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


AuditReaderFor = Callable[[UnitOfWork], AuditChainReader]


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


@dataclass(frozen=True)
class BrokenLink:
    """Where the chain first breaks and how."""

    sequence: int
    problem: str


@dataclass(frozen=True)
class AuditVerification:
    """The outcome of a verification."""

    entries: int
    last_sequence: int
    last_hash: str
    broken: BrokenLink | None

    @property
    def ok(self) -> bool:
        """True when no link is broken."""
        return self.broken is None


class _Walk:
    """State of one pass over the chain; stops at the first problem."""

    def __init__(self, reader: AuditChainReader, anchors: dict[int, str]) -> None:
        self.reader = reader
        self.anchors = anchors
        self.prev_hash = reader.genesis_hash
        self.expected = 1
        self.count = 0
        self.broken: BrokenLink | None = None

    def feed(self, record: AuditRecord) -> bool:
        """Check one record; returns False once the chain is broken."""
        if record.sequence != self.expected:
            return self._break(self.expected, Problem.ENTRY_MISSING)
        if record.prev_hash != self.prev_hash:
            return self._break(record.sequence, Problem.LINK_BROKEN)
        if self.reader.link_hash(self.prev_hash, record) != record.entry_hash:
            return self._break(record.sequence, Problem.ENTRY_ALTERED)
        remembered = self.anchors.get(record.sequence)
        if remembered is not None and remembered != record.entry_hash:
            return self._break(record.sequence, Problem.ANCHOR_MISMATCH)
        self.prev_hash = record.entry_hash
        self.expected += 1
        self.count += 1
        return True

    def finish(self, head: AuditHead | None) -> None:
        """Compare the end of the chain with the head row and the anchors."""
        if self.broken is not None:
            return
        last = self.expected - 1
        if head is None:
            if last:
                self._break(last, Problem.HEAD_MISSING)
        elif head.sequence > last:
            self._break(last + 1, Problem.TRUNCATED)
        elif head.sequence < last or head.entry_hash != self.prev_hash:
            self._break(head.sequence, Problem.HEAD_MISMATCH)
        if self.broken is None:
            beyond = [s for s in self.anchors if s > last]
            if beyond:
                self._break(min(beyond), Problem.ANCHOR_MISSING)

    def _break(self, sequence: int, problem: str) -> bool:
        self.broken = BrokenLink(sequence, problem)
        return False


class AuditVerifier:
    """Walks the whole chain in sequence order, in batches."""

    def __init__(self, uow_factory: UnitOfWorkFactory, reader_for: AuditReaderFor) -> None:
        self._uow_factory = uow_factory
        self._reader_for = reader_for

    def head(self) -> AuditHead | None:
        """The current head, to print on forms and put in bundles."""
        with self._uow_factory() as uow:
            return self._reader_for(uow).head()

    def verify(
        self, actor: Actor, anchors: Iterable[AuditHead] = (), batch_size: int = BATCH_SIZE
    ) -> AuditVerification:
        """Check every link; read-only (verifying leaves no entry, so it never moves the head).

        Args:
            actor: who asks (supervisor or the maintenance CLI).
            anchors: heads remembered outside the database; each must still be in the chain.
            batch_size: rows read per query.

        Returns:
            The number of entries checked, the last link and the first broken link, if any.

        Raises:
            PermissionDenied: the role may not verify the audit log.
        """
        require_capability(actor, Capability.VERIFY_AUDIT)
        with self._uow_factory() as uow:
            reader = self._reader_for(uow)
            walk = _Walk(reader, {a.sequence: a.entry_hash for a in anchors})
            after = 0
            while True:
                batch = reader.records(after, batch_size)
                if not batch or not all(walk.feed(r) for r in batch):
                    break
                after = batch[-1].sequence
            walk.finish(reader.head())
        return AuditVerification(walk.count, walk.expected - 1, walk.prev_hash, walk.broken)
