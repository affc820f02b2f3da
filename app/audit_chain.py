"""The audit log's hash chain: how a row is hashed, how appends are serialised, and how the chain is verified.

Every audit row carries `prev_hash` (the `row_hash` of the row chained before it, or GENESIS for the first) and
`row_hash` = sha256 of a canonical JSON serialisation of its fields plus `prev_hash`. Changing a row's fields
afterwards breaks its own hash; removing a row breaks the next row's `prev_hash`. The chain has no secret in it:
it shows that rows were changed or removed, not who did it, and someone who can rewrite the whole table can
rewrite the chain too (an export kept elsewhere is what catches that).

Appends must be serialised, or two requests would chain to the same previous row: on PostgreSQL a transaction
advisory lock (released by the commit), elsewhere (SQLite) a lock in this process plus a file lock in LOCK_DIR
that every gunicorn worker on the host shares. The only writer is app.audit.record_action; the only deletion is
`flask audit prune` (app/audit_cli.py), which removes the oldest rows and records the hash of the last one it
removed as the anchor the first remaining row then chains to.
"""
from __future__ import annotations

import hashlib
import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from filelock import FileLock
from flask import current_app
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.models import AuditEvent

GENESIS = "0" * 64  # the prev_hash of the first row ever chained
HASHED_FIELDS = ("at", "username", "remote_addr", "connection", "platform", "object_type", "object_id", "action",
                 "params", "outcome", "error")
PRUNE_ACTION = "audit_prune"
# pg_advisory_xact_lock key: any constant the rest of the application does not use ("FlightAu" in ASCII)
PG_LOCK_KEY = 0x466C696768744175
LOCK_TIMEOUT_SECONDS = 30
LOCK_POLL_SECONDS = 0.005  # a waiting worker retries this often (filelock's 0.05 s would queue every audited action)


# --- hashing -----------------------------------------------------------------------------------------------
def format_at(at: datetime) -> str:
    """The one text form of a row's time that is hashed and exported: UTC, always with microseconds, so that the
    same instant gives the same text whatever zone or precision it was read back with."""
    if at.tzinfo is None:
        raise ValueError("audit times are timezone-aware")
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_fields(row: Any) -> dict[str, str | None]:
    """The hashed fields of a row (an AuditEvent, a result row, anything with those attributes), as text."""
    values: dict[str, str | None] = {}
    for name in HASHED_FIELDS:
        value = getattr(row, name)
        if name == "at":
            values[name] = format_at(value)
        else:
            values[name] = None if value is None else str(value)
    return values


def canonical_bytes(fields: dict[str, str | None], prev_hash: str) -> bytes:
    """JSON with sorted keys and no spaces, UTF-8: one byte string per content, whatever produced the dict."""
    return json.dumps({**fields, "prev_hash": prev_hash}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def row_hash(row: Any, prev_hash: str) -> str:
    """The hash a row with these contents must carry when chained after `prev_hash`."""
    return hashlib.sha256(canonical_bytes(canonical_fields(row), prev_hash)).hexdigest()


# --- serialised appends ------------------------------------------------------------------------------------
_process_locks: dict[str, tuple[threading.RLock, FileLock]] = {}
_process_locks_guard = threading.Lock()


def _local_lock(lock_dir: str) -> tuple[threading.RLock, FileLock]:
    """One (thread lock, file lock) pair per lock file, both reentrant, so `flask audit prune` can hold the lock
    and still append its own event through record_action."""
    path = Path(lock_dir) / "audit-chain.lock"
    with _process_locks_guard:
        pair = _process_locks.get(str(path))
        if pair is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            pair = (threading.RLock(), FileLock(str(path), timeout=LOCK_TIMEOUT_SECONDS,
                                                     poll_interval=LOCK_POLL_SECONDS))
            _process_locks[str(path)] = pair
        return pair


@contextmanager
def chain_lock(session: Session) -> Iterator[None]:
    """Hold the chain's tail until the caller commits: nobody else appends (or prunes) in between.

    PostgreSQL: a transaction advisory lock, taken in the session's transaction and released by its commit or
    rollback (works across hosts; relies on READ COMMITTED, PostgreSQL's default, so that the tail read after the
    lock sees the previous holder's row). Other databases (SQLite): a thread lock and a file lock, released when
    the block ends, so the caller commits inside it.
    """
    if session.get_bind(mapper=AuditEvent.__mapper__).dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
        yield
        return
    thread_lock, file_lock = _local_lock(current_app.config["LOCK_DIR"])
    with thread_lock, file_lock:
        yield


def chain_tail(session: Session) -> str:
    """The row_hash the next row chains to: the newest chained row's, or GENESIS. Call it under chain_lock."""
    table = AuditEvent.__table__
    newest = session.execute(select(table.c.row_hash).where(table.c.row_hash.is_not(None))
                             .order_by(table.c.id.desc()).limit(1)).scalar_one_or_none()
    return newest or GENESIS


# --- verification ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RowRef:
    """Where a row sits, for the report: its id and time (and, for a break, who did what)."""

    id: int
    at: datetime | None
    username: str | None = None
    action: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": format_at(self.at) if self.at else None, "username": self.username,
                "action": self.action}

    @property
    def label(self) -> str:
        return f"#{self.id} at {format_at(self.at)}" if self.at else f"#{self.id}"


@dataclass
class ChainReport:
    """What a walk of the chain found: intact (with its extent), or the first row where it breaks and why."""

    rows: int = 0  # rows walked (up to the break)
    chained: int = 0
    unchained: int = 0  # rows written before the chain began (row_hash NULL, all before the first chained row)
    first: RowRef | None = None
    last: RowRef | None = None
    starts_from: str | None = None  # "genesis" or "prune anchor"
    anchor: str | None = None  # the first chained row's prev_hash
    broken_at: RowRef | None = None
    reason: str | None = None

    @property
    def intact(self) -> bool:
        return self.broken_at is None

    @property
    def summary(self) -> str:
        """One line: "intact: N rows, first … last …" or where it breaks."""
        if not self.intact:
            return f"broken at row #{self.broken_at.id}: {self.reason}"
        if not self.rows:
            return "intact: 0 rows (the audit log is empty)"
        text_ = f"intact: {self.rows} rows, first {self.first.label}, last {self.last.label}"
        if self.unchained:
            text_ += f" ({self.unchained} unchained, before the chain began)"
        return text_

    def as_dict(self) -> dict[str, Any]:
        return {
            "intact": self.intact, "summary": self.summary, "rows": self.rows, "chained": self.chained,
            "unchained": self.unchained, "first": self.first.as_dict() if self.first else None,
            "last": self.last.as_dict() if self.last else None, "starts_from": self.starts_from,
            "anchor": self.anchor,
            "break": ({**self.broken_at.as_dict(), "reason": self.reason} if self.broken_at else None),
        }


def _ref(row: Any) -> RowRef:
    return RowRef(row.id, row.at, getattr(row, "username", None), getattr(row, "action", None))


def verify_rows(rows: Iterable[Any], anchors: Iterable[str] = ()) -> ChainReport:
    """Walk rows in id order and stop at the first break.

    Unchained rows (row_hash NULL) are fine while no chained row has been seen (written before migration 0003);
    the first chained row must start from GENESIS or from a prune anchor in `anchors`; every later row must
    chain to the row before it and its hash must match its contents.
    """
    known = {a for a in anchors if a}
    report = ChainReport()
    previous: Any = None  # the last chained row seen

    def broken(row: Any, reason: str) -> ChainReport:
        report.broken_at, report.reason = _ref(row), reason
        return report

    for row in rows:
        if row.row_hash is None:
            if previous is not None:
                return broken(row, f"it has no hash, but the chain began before it (row #{previous.id} is chained)")
            report.unchained += 1
        elif previous is None:
            if row.prev_hash == GENESIS:
                report.starts_from = "genesis"
            elif row.prev_hash in known:
                report.starts_from = "prune anchor"
            else:
                return broken(row, "it is the first chained row, but its prev_hash is neither the genesis value nor "
                                   "a prune anchor recorded by `flask audit prune`: rows before it were removed")
            report.anchor = row.prev_hash
        elif row.prev_hash != previous.row_hash:
            return broken(row, f"its prev_hash does not match the hash of row #{previous.id}, the row before it: "
                               f"a row between them was removed, or row #{previous.id}'s hash was rewritten")
        if row.row_hash is not None:
            if row_hash(row, row.prev_hash) != row.row_hash:
                return broken(row, "its hash does not match its contents: the row was changed after it was written")
            report.chained += 1
            previous = row
        report.rows += 1
        report.first = report.first or _ref(row)
        report.last = _ref(row)
    return report


def prune_anchors(session: Session) -> list[str]:
    """The anchors `flask audit prune` recorded, from chained audit_prune rows (the walk checks those rows too)."""
    table = AuditEvent.__table__
    anchors = []
    query = select(table.c.params).where(table.c.action == PRUNE_ACTION, table.c.row_hash.is_not(None))
    for (params,) in session.execute(query):
        try:
            anchor = json.loads(params or "{}").get("anchor")
        except (ValueError, AttributeError):
            continue
        if isinstance(anchor, str):
            anchors.append(anchor)
    return anchors


def verify_chain(session: Session, batch: int = 1000) -> ChainReport:
    """Walk the whole table in id order, streamed in batches, and report."""
    table = AuditEvent.__table__
    columns = [table.c.id, *(table.c[name] for name in HASHED_FIELDS), table.c.prev_hash, table.c.row_hash]
    anchors = prune_anchors(session)
    result = session.execute(select(*columns).order_by(table.c.id).execution_options(yield_per=batch))
    try:
        return verify_rows(result, anchors)
    finally:
        result.close()
