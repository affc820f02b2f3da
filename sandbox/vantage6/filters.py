"""The list filters of vantage6.md §4, one function per resource, each a predicate over the query string.

Text filters marked LIKE in the notes use SQL LIKE (`%` any run, `_` one character, case-insensitive as
SQLite compares ASCII); the others are exact. An id filter that is not an integer, or a date that is not
ISO (`yyyy-mm-dd` or a datetime), answers 400 "Request parameters are incorrect" with the field named.
Studies and algorithm stores do not exist in the emulator, so filtering on them finds nothing. The run
filters keep the 4.15.2 bug: every `*_from` compares `assigned_at`.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Callable, Mapping, Sequence


from sandbox.vantage6.engine import Engine
from sandbox.vantage6.errors import V6Error, unexpected
from sandbox.vantage6.statuses import is_finished
from sandbox.vantage6.world import Node, Run, Task, World

Query = Mapping[str, Sequence[str]]
Check = Callable[[object], bool]


def _bad(name: str, message: str) -> V6Error:
    return V6Error(400, "Request parameters are incorrect", {name: [message]})


def like(pattern: str, value: str | None) -> bool:
    """SQL LIKE, case-insensitive."""
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return value is not None and re.fullmatch(regex, value, re.IGNORECASE | re.DOTALL) is not None


class Params:
    """Typed access to the query string."""

    def __init__(self, query: Query) -> None:
        self.query = query

    def text(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def int(self, name: str) -> int | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            raise _bad(name, "Not a valid integer.") from None

    def ints(self, name: str) -> list[int]:
        try:
            return [int(v) for v in self.query.get(name, [])]
        except ValueError:
            raise _bad(name, "Not a valid integer.") from None

    def date(self, name: str) -> datetime | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise _bad(name, "Not a valid date.") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)

    def flag(self, name: str) -> bool | None:
        value = self.text(name)
        return None if value is None else value.lower() in ("1", "true", "yes")


def keep(items: list, checks: list[Check]) -> list:
    return [item for item in items if all(check(item) for check in checks)]


def match_fields(p: Params, checks: list[Check], eq: dict[str, Callable], likes: dict[str, Callable]) -> None:
    for name, get in eq.items():
        value = p.int(name)
        if value is not None:
            checks.append(lambda item, get=get, value=value: get(item) == value)
    for name, get in likes.items():
        pattern = p.text(name)
        if pattern is not None:
            checks.append(lambda item, get=get, pattern=pattern: like(pattern, get(item)))


def nothing_if(p: Params, names: tuple[str, ...], checks: list[Check]) -> None:
    if any(p.text(n) is not None for n in names):
        checks.append(lambda item: False)


def tasks(world: World, engine: Engine, items: list[Task], query: Query, v5: bool) -> list[Task]:
    """GET /task filters; `status` is broken in 4.15.2 (500) and works in v5."""
    p, checks = Params(query), []
    match_fields(p, checks, {"collaboration_id": lambda t: t.collaboration_id, "init_org_id": lambda t: t.init_org_id,
                        "init_user_id": lambda t: t.init_user_id, "parent_id": lambda t: t.parent_id,
                        "job_id": lambda t: t.job_id},
            {"name": lambda t: t.name, "image": lambda t: t.image, "description": lambda t: t.description})
    nothing_if(p, ("study_id", "store_id"), checks)
    run_id = p.int("run_id")
    if run_id is not None:
        checks.append(lambda t: run_id in t.run_ids)
    database = p.text("database")
    if database is not None:
        checks.append(lambda t: any(like(database, d.label) for d in t.databases))
    created = p.flag("is_user_created")
    if created is not None:
        checks.append(lambda t: (t.parent_id is None) == created)
    status = p.text("status")
    if status is not None:
        if not v5:
            raise unexpected()
        checks.append(lambda t: engine.task_status(t, True) == status)
    return keep(items, checks)


def runs(world: World, engine: Engine, items: list[Run], query: Query) -> list[Run]:
    """GET /run and /result filters."""
    p, checks = Params(query), []
    match_fields(p, checks, {"task_id": lambda r: r.task_id, "organization_id": lambda r: r.organization_id,
                        "node_id": lambda r: r.node_id,
                        "collaboration_id": lambda r: world.tasks[r.task_id].collaboration_id}, {})
    if p.text("state") == "open":
        checks.append(lambda r: not is_finished(engine.state(r).status))
    for name in ("assigned", "started", "finished"):
        since, till = p.date(f"{name}_from"), p.date(f"{name}_till")
        if since is not None:  # the 4.15.2 bug: every *_from compares assigned_at
            checks.append(lambda r, since=since: r.assigned_at >= since)
        if till is not None:
            field = {"assigned": lambda r: r.assigned_at, "started": lambda r: engine.state(r).started_at,
                     "finished": lambda r: engine.state(r).finished_at}[name]
            checks.append(lambda r, till=till, field=field: field(r) is not None and field(r) <= till)
    return keep(items, checks)


def nodes(world: World, items: list[Node], query: Query, last_seen: Callable[[Node], datetime | None]) -> list[Node]:
    """GET /node filters."""
    p, checks = Params(query), []
    match_fields(p, checks, {"organization_id": lambda n: n.organization_id,
                        "collaboration_id": lambda n: n.collaboration_id}, {"name": lambda n: n.name})
    nothing_if(p, ("study_id",), checks)
    for name in ("status", "ip"):
        value = p.text(name)
        if value is not None:
            checks.append(lambda n, name=name, value=value: getattr(n, name) == value)
    since, till = p.date("last_seen_from"), p.date("last_seen_till")
    if since is not None:
        checks.append(lambda n: last_seen(n) is not None and last_seen(n) >= since)
    if till is not None:
        checks.append(lambda n: last_seen(n) is not None and last_seen(n) <= till)
    return keep(items, checks)
