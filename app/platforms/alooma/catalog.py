"""Alooma's event types (read-only): state, mapping mode, table, origin input, and samples per status code.

The normalisers are pure functions of `GET event-types`, `GET samples/stats` and `GET status-types` (tested on
recorded answers); AloomaCatalog reads each through the service's client, cached per connection.

A status code is OK when status-types describes it as "Valid" (Alooma tags VALID, NO_MAPPING, NEW_TYPE and DROP
so); a code status-types does not list is OK only when it is one of those four. Every other code is an error
sample (unmapped fields, type mismatch, truncation, a Code Engine error ...), and event types that have any stand
out on the page.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping

from app.cache import Fetched, cached_read

EVENT_TYPES_TTL = 120  # mappings change by hand
SAMPLES_TTL = 60  # sample counts move with the traffic
STATUS_TYPES_TTL = 3600  # the codes change with Alooma's releases
OK_CODES = ("VALID", "NO_MAPPING", "NEW_TYPE", "DROP")
OK_WORD = "valid"


@dataclass(frozen=True)
class StatusCode:
    """A sample status code, its description and whether it is an error."""

    code: str
    description: str
    ok: bool

    @property
    def label(self) -> str:
        """A column heading: the code in words ("TYPE_MISMATCH" -> "type mismatch")."""
        return self.code.replace("_", " ").lower()


@dataclass(frozen=True)
class SampleCount:
    code: str
    count: int


@dataclass(frozen=True)
class EventTypeInfo:
    """An event type as the Mapper lists it; `samples` is None until (or when) samples/stats could not be read."""

    name: str
    state: str
    mapping_mode: str
    using_default_mode: bool
    schema: str
    table: str
    discarded: bool
    input_label: str
    samples: tuple[SampleCount, ...] | None = None
    error_samples: int = 0

    @property
    def destination(self) -> str:
        """`schema.table`, "discarded", or "" while it has no table (say it is unmapped)."""
        if self.discarded:
            return "discarded"
        if not self.table:
            return ""
        return f"{self.schema}.{self.table}" if self.schema else self.table

    @property
    def has_errors(self) -> bool:
        return self.error_samples > 0

    def count(self, code: str) -> int | None:
        """The samples of one status code (0 when none), None when the counts are unknown."""
        if self.samples is None:
            return None
        return next((s.count for s in self.samples if s.code == code), 0)


# --- pure normalisers ----------------------------------------------------------------------------------
def normalize_event_type(raw: dict) -> EventTypeInfo:
    """One `GET event-types` entry (the mapping object without its fields)."""
    mapping = raw.get("mapping") if isinstance(raw.get("mapping"), dict) else {}
    return EventTypeInfo(
        name=str(raw.get("name") or ""), state=str(raw.get("state") or "unknown"),
        mapping_mode=str(raw.get("mappingMode") or "—"), using_default_mode=raw.get("usingDefaultMappingMode") is True,
        schema=str(mapping.get("schema") or ""), table=str(mapping.get("tableName") or ""),
        discarded=mapping.get("isDiscarded") is True, input_label=str(raw.get("origInputLabel") or ""))


def normalize_event_types(raw: Iterable[Any]) -> list[EventTypeInfo]:
    """Every named event type, by name."""
    found = [normalize_event_type(e) for e in raw if isinstance(e, dict) and e.get("name")]
    return sorted(found, key=lambda e: e.name.lower())


def is_ok_code(code: str, description: str | None) -> bool:
    """See the module docstring."""
    if description:
        return description.strip().lower() == OK_WORD
    return code in OK_CODES


def normalize_status_types(raw: Mapping[str, Any]) -> list[StatusCode]:
    """`{code: description}` in Alooma's order."""
    return [StatusCode(str(code), str(text or ""), is_ok_code(str(code), str(text or ""))) for code, text in raw.items()]


def normalize_sample_counts(raw: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """`{event type: {code: count}}` with whole, non-negative counts; anything else is left out."""
    counts: dict[str, dict[str, int]] = {}
    for name, per_code in raw.items():
        if isinstance(per_code, dict):
            counts[str(name)] = {str(code): int(n) for code, n in per_code.items()
                                 if isinstance(n, (int, float)) and not isinstance(n, bool) and n >= 0}
    return counts


def sample_columns(counts: Mapping[str, Mapping[str, int]], codes: Iterable[StatusCode]) -> list[StatusCode]:
    """The status codes that have samples anywhere, OK ones first, each group in status-types' order; codes
    status-types does not list come last in each group, by name."""
    known = {c.code: c for c in codes}
    used = {code for per_code in counts.values() for code, n in per_code.items() if n}
    listed = [known[c] for c in known if c in used]
    extra = [StatusCode(c, "", is_ok_code(c, None)) for c in sorted(used - set(known))]
    return [c for c in listed + extra if c.ok] + [c for c in listed + extra if not c.ok]


def with_samples(types: Iterable[EventTypeInfo], counts: Mapping[str, Mapping[str, int]],
                 codes: Iterable[StatusCode]) -> list[EventTypeInfo]:
    """The event types with their sample counts and how many of those are error samples."""
    ok = {c.code: c.ok for c in codes}
    done = []
    for e in types:
        per_code = counts.get(e.name, {})
        errors = sum(n for code, n in per_code.items() if not ok.get(code, is_ok_code(code, None)))
        done.append(replace(e, samples=tuple(SampleCount(c, n) for c, n in per_code.items()), error_samples=errors))
    return done


# --- reads -----------------------------------------------------------------------------------------------
class AloomaCatalog:
    """Reads for the event types page; each returns records and raises PlatformError."""

    def __init__(self, service: Any) -> None:
        self.svc = service
        self.name = service.name
        self.client = service.client

    def event_types(self) -> Fetched[list[EventTypeInfo]]:
        """Every event type, by name, without sample counts."""
        return cached_read(self.name, "event-types", lambda: normalize_event_types(self.client.event_types()),
                           timeout=EVENT_TYPES_TTL)

    def sample_counts(self) -> Fetched[dict[str, dict[str, int]]]:
        """`{event type: {status code: count}}`."""
        return cached_read(self.name, "samples-stats", lambda: normalize_sample_counts(self.client.samples_stats()),
                           timeout=SAMPLES_TTL)

    def status_codes(self) -> Fetched[list[StatusCode]]:
        """Every status code Alooma tags samples with, with its description."""
        return cached_read(self.name, "status-types", lambda: normalize_status_types(self.client.status_types()),
                           timeout=STATUS_TYPES_TTL)
