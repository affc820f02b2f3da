"""Filtering and sorting of record lists, read from a request's query string; shared by every table."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterable, Mapping, Sequence, TypeVar

from app.platforms.records import RunFilter, Schedule

T = TypeVar("T")

SCHEDULE_SORTS: dict[str, Callable[[Schedule], Any]] = {
    "name": lambda s: s.name.lower(),
    "owner": lambda s: s.owner.lower(),
    "target": lambda s: (s.target.kind, s.target.name.lower()) if s.target else None,
    "next_run": lambda s: s.next_run,
    "last_run": lambda s: s.last_run,
    "enabled": lambda s: s.enabled,
    "updated_at": lambda s: s.updated_at,
}


@dataclass(frozen=True)
class ScheduleFilters:
    q: str = ""
    owner: str = ""
    target_kind: str = ""
    enabled: str = ""  # "", "yes" or "no"
    sort: str = "name"
    descending: bool = False

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "ScheduleFilters":
        sort = args.get("sort", "name")
        return cls(
            q=args.get("q", "").strip()[:200],
            owner=args.get("owner", "")[:200],
            target_kind=args.get("target", "")[:40],
            enabled=args.get("enabled", "") if args.get("enabled") in ("yes", "no") else "",
            sort=sort if sort in SCHEDULE_SORTS else "name",
            descending=args.get("dir") == "desc",
        )

    def apply(self, schedules: Iterable[Schedule]) -> list[Schedule]:
        needle = self.q.lower()
        kept = [
            s for s in schedules
            if (not needle or needle in s.name.lower())
            and (not self.owner or s.owner == self.owner)
            and (not self.target_kind or (s.target is not None and s.target.kind == self.target_kind))
            and (not self.enabled or s.enabled == (self.enabled == "yes"))
        ]
        return sort_records(kept, SCHEDULE_SORTS[self.sort], self.descending)


def sort_records(items: Sequence[T], key: Callable[[T], Any], descending: bool = False) -> list[T]:
    """Sort with missing values always last, whatever the direction."""
    present = [i for i in items if key(i) is not None]
    missing = [i for i in items if key(i) is None]
    return sorted(present, key=key, reverse=descending) + missing


def distinct(values: Iterable[str | None]) -> list[str]:
    return sorted({v for v in values if v})


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def search_text(args: Mapping[str, str]) -> str:
    """The `q` a table's search box sent, trimmed and bounded."""
    return str(args.get("q", "")).strip()[:200]


def matching(items: Iterable[T], q: str, texts: Callable[[T], Iterable[str]]) -> list[T]:
    """The items one of whose texts contains q (any case); all of them without q."""
    needle = q.lower()
    return [item for item in items if not needle or any(needle in text.lower() for text in texts(item))]


def chosen_filters(offered: Iterable[RunFilter], args: Mapping[str, str]) -> dict[str, str]:
    """The values of a platform's own run filters in a query string; a value not among the choices is dropped."""
    chosen = {}
    for run_filter in offered:
        value = str(args.get(run_filter.name, ""))
        if value and value in {choice for choice, _ in run_filter.choices}:
            chosen[run_filter.name] = value
    return chosen
