"""One Alooma scheduled query as its own page shows it, read live, and removing it.

The schedules list and Run now are AloomaService's (queries are Schedules); this module adds what only the query's
page needs: every field of the query in a record, and the removal. Reads of one query are never cached: the page
follows a run started with Run now, so a cached copy would show `running` after it ended.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from app.cache import invalidate
from app.platforms.alooma import normalize as norm
from app.platforms.records import Run, RunStatus, Schedule
from app.platforms.timestamps import parse_time


@dataclass(frozen=True)
class QueryDetail:
    """A scheduled query with everything Alooma says about it. `schedule` is the same Schedule the schedules page
    lists (name, timing in words, next run); `latest` its latest outcome as a Run (None when it never ran), which
    the page's live panel follows."""

    schedule: Schedule
    latest: Run | None
    status_word: str  # Alooma's own: active, failed, running
    status: RunStatus | None  # None: active but never succeeded (no outcome yet)
    event_type: str
    kind: str  # "default" or "custom" as Alooma calls it
    kind_words: str  # "consolidation", "custom query"
    last_processing: datetime | None
    last_success: datetime | None
    error_count: int
    error_message: str
    error_stack: str
    sql: str  # the custom query's SQL, or the consolidation Alooma generated for a default one
    deployment: str
    module_name: str

    @property
    def id(self) -> str:
        return self.schedule.id

    @property
    def name(self) -> str:
        return self.schedule.name

    @property
    def running(self) -> bool:
        return self.status_word == "running"

    @property
    def custom(self) -> bool:
        return self.kind == "custom"


def normalize_query_detail(raw: dict, connection: str, now: datetime) -> QueryDetail:
    """GET v2/consolidation/{id} as a QueryDetail (pure; `now` places a cron rule's next fire)."""
    config = raw.get("configuration") if isinstance(raw.get("configuration"), dict) else {}
    kind = str(config.get("query_type") or "")
    word = str(raw.get("status") or "unknown").strip().lower()
    succeeded = parse_time(raw.get("last_success_time"))
    sql = config.get("custom_query") if kind == "custom" else None
    return QueryDetail(
        schedule=norm.normalize_query(raw, connection, now), latest=norm.normalize_query_run(raw, connection),
        status_word=word, status=norm.to_status(word, succeeded is not None),
        event_type=str(config.get("event_type") or "—"), kind=kind or "—",
        kind_words=norm.QUERY_KINDS.get(kind, "scheduled query"),
        last_processing=parse_time(raw.get("last_processing_time")), last_success=succeeded,
        error_count=norm.error_count(raw), error_message=str(raw.get("error_message") or "").strip(),
        error_stack=str(raw.get("error_stack") or "").strip(),
        sql=str(sql or raw.get("consolidation_query") or "").strip(),
        deployment=str(raw.get("deployment_name") or config.get("deployment_name") or "—"),
        module_name=str(raw.get("module_name") or ""))


class AloomaQueries:
    """The query page's reads and the removal, through an AloomaService's client; PlatformError on failure."""

    def __init__(self, service: Any) -> None:
        self.svc = service
        self.name = service.name
        self.client = service.client

    def detail(self, query_id: str) -> QueryDetail:
        """The query as Alooma has it now; NotFound for an unknown or malformed id (a malformed one is not sent)."""
        self.svc.require_id(query_id, "scheduled query")
        return normalize_query_detail(self.client.query(query_id), self.name, datetime.now(timezone.utc))

    def summary(self, query_id: str) -> Schedule:
        """The query as the schedules list has it (cached), read live when the list does not hold it yet; for the
        confirm step, which needs only its name and timing. NotFound for an unknown or malformed id."""
        self.svc.require_id(query_id, "scheduled query")
        listed = next((s for s in self.svc.schedules().value if s.id == query_id), None)
        return listed or self.svc.schedule(query_id)

    def remove(self, query_id: str) -> None:
        """Remove the query (DELETE v2/consolidation/{id}) and drop the cached list and the charts built from it.
        NotFound when Alooma no longer has it; Alooma's refusal as the matching PlatformError."""
        self.svc.require_id(query_id, "scheduled query")
        self.client.delete_query(query_id)
        invalidate(self.name, "queries", "run-charts")
