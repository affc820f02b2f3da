"""The all-schedules, all-runs and all-workflows tables: one set of filters, sorts and export columns for every kind."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Any, Callable, Iterable, Mapping

from app.listing import sort_records
from app.platforms.records import Run, Schedule, Workflow
from app.platforms.registry import platform_name

Record = Schedule | Run | Workflow


def _status(record: Record) -> str:
    status = record.status if isinstance(record, Run) else getattr(record, "last_status", None)
    return status.value if status is not None else ""


def _owner(record: Record) -> str:
    return record.triggered_by if isinstance(record, Run) else record.owner


def _when(record: Record) -> datetime | None:
    """The time the range filter looks at: next run, run start, or last update."""
    if isinstance(record, Schedule):
        return record.next_run
    if isinstance(record, Run):
        return record.created or record.started
    return record.updated_at


def _name(record: Record) -> str:
    if isinstance(record, Run):
        return f"{record.id} {record.target.name if record.target else ''}"
    return f"{record.name} {record.target.name if isinstance(record, Schedule) and record.target else ''}"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable[[Any], Any]


COMMON = [Column("platform", "Platform", lambda r: platform_name(r.platform)),
          Column("connection", "Connection", lambda r: r.connection)]
COLUMNS: dict[str, list[Column]] = {
    "schedules": COMMON + [
        Column("name", "Name", lambda s: s.name), Column("trigger", "Trigger", lambda s: s.trigger.text),
        Column("next_run", "Next run", lambda s: s.next_run), Column("last_run", "Last run", lambda s: s.last_run),
        Column("status", "Last status", _status),
        Column("target", "Target", lambda s: s.target.name if s.target else None),
        Column("owner", "Owner", lambda s: s.owner), Column("enabled", "Enabled", lambda s: s.enabled)],
    "runs": COMMON + [
        Column("id", "Run", lambda r: r.id), Column("status", "Status", _status),
        Column("target", "Target", lambda r: r.target.name if r.target else None),
        Column("started", "Started", lambda r: r.started or r.created),
        Column("finished", "Finished", lambda r: r.finished),
        Column("duration_seconds", "Duration", lambda r: r.duration.total_seconds() if r.duration else None),
        Column("owner", "Run by", lambda r: r.triggered_by)],
    "workflows": COMMON + [
        Column("name", "Name", lambda w: w.name), Column("kind", "Type", lambda w: w.kind),
        Column("owner", "Owner", lambda w: w.owner), Column("updated", "Updated", lambda w: w.updated_at)],
}
DEFAULT_SORT = {"schedules": ("next_run", False), "runs": ("started", True), "workflows": ("name", False)}


def _day(raw: str | None) -> datetime | None:
    try:
        return datetime.strptime(raw or "", "%Y-%m-%d").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def _sort_key(column: Column) -> Callable[[Any], Any]:
    def key(record: Any) -> Any:
        value = column.value(record)
        return value.lower() if isinstance(value, str) else value
    return key


@dataclass(frozen=True)
class CrossFilters:
    """The filters every cross-platform table takes from its query string; a bad value is ignored."""

    kind: str
    platform: str = ""
    connection: str = ""
    owner: str = ""
    status: str = ""
    enabled: str = ""  # "", "yes", "no"
    since: datetime | None = None
    until: datetime | None = None
    q: str = ""
    sort: str = ""
    descending: bool = False

    @classmethod
    def from_args(cls, kind: str, args: Mapping[str, str]) -> "CrossFilters":
        keys = {c.key for c in COLUMNS[kind]}
        default_sort, default_desc = DEFAULT_SORT[kind]
        sort = args.get("sort", "") if args.get("sort", "") in keys else default_sort
        until = _day(args.get("to"))
        return cls(
            kind=kind, platform=args.get("platform", "")[:40], connection=args.get("connection", "")[:80],
            owner=args.get("owner", "")[:200], status=args.get("status", "")[:20],
            enabled=args.get("enabled", "") if args.get("enabled") in ("yes", "no") else "",
            since=_day(args.get("from")),
            until=datetime.combine(until.date() + timedelta(days=1), time(), timezone.utc) if until else None,
            q=args.get("q", "").strip()[:200], sort=sort,
            descending=(args.get("dir") == "desc") if "dir" in args else (sort == default_sort and default_desc))

    def keep(self, record: Record) -> bool:
        when = _when(record)
        return ((not self.platform or record.platform == self.platform)
                and (not self.connection or record.connection == self.connection)
                and (not self.owner or _owner(record) == self.owner)
                and (not self.status or _status(record) == self.status)
                and (not self.enabled or getattr(record, "enabled", None) == (self.enabled == "yes"))
                and (not self.since or (when is not None and when >= self.since))
                and (not self.until or (when is not None and when < self.until))
                and (not self.q or self.q.lower() in _name(record).lower()))

    def apply(self, records: Iterable[Record]) -> list[Record]:
        column = next(c for c in COLUMNS[self.kind] if c.key == self.sort)
        return sort_records([r for r in records if self.keep(r)], _sort_key(column), self.descending)


def owners(records: Iterable[Record]) -> list[str]:
    return sorted({_owner(r) for r in records if _owner(r) and _owner(r) != "—"})


def rows(kind: str, records: Iterable[Record]) -> Iterable[list[Any]]:
    """Export rows in the table's column order, plus the platform's own link."""
    for record in records:
        yield [c.value(record) for c in COLUMNS[kind]] + [record.link]


def header(kind: str) -> list[str]:
    return [c.key for c in COLUMNS[kind]] + ["link"]
