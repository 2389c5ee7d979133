"""Audit checkpoints this desk issued (beside the database) and those it received from other posts.

The database alone cannot prove its log is whole: whoever can rewrite it can rewrite its head
row too. A checkpoint remembers the head elsewhere. This desk appends one to
``audit-checkpoints.txt`` at every bundle, printed form and backup, and on the first use of each
day; signed ones also travel in bundle manifests and on printed forms. A receiving desk keeps
every checkpoint it saw from each sender (``audit-checkpoints-received.jsonl``) and can export
them for ``audit verify --checkpoints`` at the sender (``docs/tamper-evidence.md``).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from repatriation.domain import audit_checkpoint as cp
from repatriation.domain.audit_checkpoint import Checkpoint
from repatriation.domain.errors import DomainError
from repatriation.services.audit_verify import Anchor
from repatriation.services.key_ports import KeyCrypto, Signer
from repatriation.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from repatriation.services.results import SenderProblem

ISSUED_FILE = "audit-checkpoints.txt"
RECEIVED_FILE = "audit-checkpoints-received.jsonl"
CARD_FILE = Path("keys") / "post-identity.card"
GENESIS = "0" * 64


@dataclass(frozen=True)
class ReceivedCheckpoint:
    """A checkpoint another post sent us, with where and when it came."""

    sender: str  # key id
    agency: str
    bundle_id: str
    received_at: datetime
    checkpoint: Checkpoint


def issue(signer: Signer | None, *, number: int, sequence: int, head_hash: str,
          at: datetime, reason: str) -> Checkpoint:
    """A new checkpoint, signed when ``signer`` (the post's current key) is given."""
    if reason not in cp.REASONS:
        raise ValueError(reason)
    at = at.astimezone(UTC).replace(microsecond=0)
    unsigned = Checkpoint(number, sequence, head_hash, at, reason)
    if signer is None:
        return unsigned
    draft = Checkpoint(number, sequence, head_hash, at, reason, signer.public.ed25519)
    return Checkpoint(number, sequence, head_hash, at, reason, draft.ed25519,
                      signer.sign(draft.signing_input()))


def _append_line(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="ascii") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def merge_into(path: Path, lines: Iterable[str]) -> int:
    """Append the checkpoints of ``lines`` that the file at ``path`` lacks; returns how many."""
    try:
        existing = path.read_text(encoding="ascii", errors="replace").splitlines()
    except FileNotFoundError:
        existing = []
    have = {c.text() for c in read_checkpoints(existing)[0]}
    added = 0
    for made in read_checkpoints(lines)[0]:
        if made.text() not in have:
            _append_line(path, made.text())
            have.add(made.text())
            added += 1
    return added


def read_checkpoints(lines: Iterable[str]) -> tuple[list[Checkpoint], int]:
    """Checkpoints from lines of text: bare checkpoint lines or exported JSON lines.

    Returns:
        The checkpoints read and the number of lines that were not checkpoints.
    """
    found: list[Checkpoint] = []
    bad = 0
    for line in lines:
        line = line.strip()
        if not line:
            continue
        try:
            text = json.loads(line)["checkpoint"] if line.startswith("{") else line
            found.append(cp.parse(str(text)))
        except (DomainError, ValueError, KeyError, TypeError):
            bad += 1
    return found, bad


def contradiction(earlier: Iterable[ReceivedCheckpoint], new: ReceivedCheckpoint) -> SenderProblem | None:
    """How ``new`` contradicts what the sender said before, if it does.

    A post's checkpoints are numbered and its log only grows: a later checkpoint never names
    a lower entry, the same entry with another hash, or a number already used for another head.
    """
    made = new.checkpoint
    for old in sorted(earlier, key=lambda r: r.checkpoint.number, reverse=True):
        seen = old.checkpoint
        code = ""
        if seen.number == made.number and seen.text() != made.text():
            code = "sender_checkpoints_reset"
        elif seen.number < made.number and made.sequence < seen.sequence:
            code = "sender_log_cut_back"
        elif seen.number > made.number and made.sequence > seen.sequence:
            code = "sender_checkpoints_reset"
        elif seen.sequence == made.sequence and seen.head_hash != made.head_hash:
            code = "sender_log_rewritten"
        if code:
            return SenderProblem(code, new.sender, made.number, made.sequence, seen.number,
                                 seen.sequence, old.received_at)
    return None


def as_anchor(made: Checkpoint, source: str) -> Anchor:
    """A checkpoint as a head the verifier compares with the log."""
    return Anchor(made.sequence, made.head_hash, made.number, made.at, made.reason, source)


def issued_anchors(service: CheckpointService) -> list[Anchor]:
    """The desk's own checkpoints as anchors (``AuditVerifier`` reads them on every run)."""
    return [as_anchor(made, "issued") for made in service.issued()]


class CheckpointService:
    """Issue, keep and read checkpoints; the post's key signs them once it has been unlocked."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock,
                 data_dir: Path, keys: KeyCrypto) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._keys = keys
        self.data_dir = Path(data_dir)
        self.issued_path = self.data_dir / ISSUED_FILE
        self.received_path = self.data_dir / RECEIVED_FILE
        self._identity: Signer | None = None
        self.on_issue: list[Callable[[Checkpoint], None]] = []

    # -- issuing -------------------------------------------------------------------------------

    def use_identity(self, identity: Signer) -> None:
        """Sign checkpoints with the post's current key from now on (it was just unlocked)."""
        self._identity = identity

    @property
    def identity(self) -> Signer | None:
        """The post's key when unlocked in this session (signs checkpoints and printouts)."""
        return self._identity

    @property
    def can_sign(self) -> bool:
        """Whether the post's key is unlocked in this session."""
        return self._identity is not None

    def issue(self, reason: str, identity: Signer | None = None,
              uow: UnitOfWork | None = None, *, keep: bool = True) -> Checkpoint:
        """Sign the current head and append it to the checkpoint file.

        ``uow``: the caller's open unit of work, if any (SQLite allows one writer at a time,
        so a second unit of work opened inside it would wait for the first).
        ``keep=False``: only sign; the caller appends it with :meth:`keep` once its own work
        succeeded (a printout: nothing is kept for a print that failed).
        """
        if identity is not None:
            self._identity = identity
        if uow is not None:
            head = uow.audit_chain.head()
        else:
            with self._uow_factory() as own:
                head = own.audit_chain.head()
        issued = self.issued()
        made = issue(
            self._identity, number=max((c.number for c in issued), default=0) + 1,
            sequence=head.sequence if head else 0, head_hash=head.entry_hash if head else GENESIS,
            at=self._clock.now(), reason=reason,
        )
        if keep:
            self.keep(made)
        return made

    def keep(self, made: Checkpoint) -> None:
        """Append a checkpoint to the file beside the database and tell the listeners."""
        _append_line(self.issued_path, made.text())
        for listener in self.on_issue:
            listener(made)

    def daily(self) -> Checkpoint | None:
        """Issue the day's checkpoint unless one was issued today already."""
        today = self._clock.now().astimezone(UTC).date()
        if any(c.at.date() == today for c in self.issued()):
            return None
        return self.issue("daily")

    def issued(self) -> list[Checkpoint]:
        """Every checkpoint in the file beside the database (unreadable lines are skipped)."""
        return read_checkpoints(self.issued_lines())[0]

    def issued_lines(self) -> list[str]:
        """The raw lines of the checkpoint file (copied into backups)."""
        try:
            return self.issued_path.read_text(encoding="ascii", errors="replace").splitlines()
        except FileNotFoundError:
            return []

    def latest_signed(self) -> Checkpoint | None:
        """The newest signed checkpoint (what a bundle manifest carries)."""
        signed = [c for c in self.issued() if c.signed]
        return max(signed, key=lambda c: c.number) if signed else None

    def merge(self, lines: Iterable[str]) -> int:
        """Add checkpoints from a backup that the file lacks (a restore never forgets any)."""
        return merge_into(self.issued_path, lines)

    def own_keys(self) -> set[bytes]:
        """Ed25519 keys this post signs with: its key card's and those of its own checkpoints."""
        keys = {c.ed25519 for c in self.issued() if self.genuine(c)}
        with contextlib.suppress(OSError, DomainError, UnicodeDecodeError):
            card = (self.data_dir / CARD_FILE).read_text(encoding="ascii")
            keys.add(self._keys.read_card(card).keys.ed25519)
        return keys

    def genuine(self, made: Checkpoint) -> bool:
        """Whether a checkpoint is signed, and by the key it names."""
        return made.signed and self._keys.verify(made.ed25519, made.signing_input(), made.signature)

    def signed_by(self, made: Checkpoint, ed25519: bytes) -> bool:
        """Whether ``ed25519`` (a post's public key, from its card) signed this checkpoint."""
        return made.ed25519 == ed25519 and self.genuine(made)

    # -- received from other posts -------------------------------------------------------------

    def receive(self, *, sender: str, agency: str, sender_ed25519: bytes, text: str,
                bundle_id: str) -> SenderProblem | None:
        """Keep a sender's checkpoint from a bundle; report it if it contradicts an earlier one.

        Raises:
            KeyFormatError: the checkpoint is malformed or not signed by the sender's key.
        """
        made = cp.parse(text)
        if not self.signed_by(made, sender_ed25519):
            raise DomainError("checkpoint_not_signed", sender=sender[:16])
        record = ReceivedCheckpoint(sender, agency, bundle_id,
                                    self._clock.now().astimezone(UTC).replace(microsecond=0), made)
        earlier = self.received(sender)
        if any(r.checkpoint.text() == made.text() for r in earlier):
            return None
        problem = contradiction(earlier, record)
        _append_line(self.received_path, json.dumps({
            "sender": sender, "agency": agency, "bundle_id": bundle_id,
            "received_at": record.received_at.isoformat(), "checkpoint": made.text(),
        }, ensure_ascii=True, sort_keys=True, separators=(",", ":")))
        return problem

    def received(self, sender: str | None = None) -> list[ReceivedCheckpoint]:
        """Checkpoints received, from every sender or from the key id (prefix) ``sender``."""
        try:
            lines = self.received_path.read_text(encoding="ascii", errors="replace").splitlines()
        except FileNotFoundError:
            return []
        found = []
        for line in lines:
            try:
                doc = json.loads(line)
                record = ReceivedCheckpoint(
                    str(doc["sender"]), str(doc["agency"]), str(doc["bundle_id"]),
                    datetime.fromisoformat(doc["received_at"]), cp.parse(doc["checkpoint"]))
            except (DomainError, ValueError, KeyError, TypeError):
                continue
            if sender is None or record.sender.startswith(sender.lower()):
                found.append(record)
        return found

    def problems(self, sender: str | None = None) -> list[SenderProblem]:
        """Every contradiction among the checkpoints received (in the order they came)."""
        found: list[SenderProblem] = []
        seen: dict[str, list[ReceivedCheckpoint]] = {}
        for record in self.received(sender):
            problem = contradiction(seen.get(record.sender, []), record)
            if problem is not None:
                found.append(problem)
            seen.setdefault(record.sender, []).append(record)
        return found

    def export_received(self, sender: str, path: Path) -> int:
        """Write what we received from ``sender`` (key id prefix) for its own ``audit verify``."""
        records = self.received(sender)
        if not records or len({r.sender for r in records}) != 1:
            raise DomainError("checkpoints_sender_unknown", sender=sender[:64])
        lines = [json.dumps({"sender": r.sender, "agency": r.agency, "bundle_id": r.bundle_id,
                             "received_at": r.received_at.isoformat(),
                             "checkpoint": r.checkpoint.text()},
                            ensure_ascii=True, sort_keys=True, separators=(",", ":"))
                 for r in records]
        Path(path).write_text("\n".join(lines) + "\n", encoding="ascii")
        return len(records)
