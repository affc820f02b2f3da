"""Seeded event types (fields, mapping, sample counts) and scheduled queries for the inputs built in seed.py."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sandbox.alooma import cron
from sandbox.alooma.schedule import CronFires, Periodic
from sandbox.alooma.world import MAPPING_MODES, EventType, FieldMapping, Input, ScheduledQuery
from sandbox.common.ids import seeded_uuid4

STATUS_TYPES = {
    "VALID": "Valid", "NO_MAPPING": "Valid", "NEW_TYPE": "Valid", "DROP": "Valid",
    "NO_MAPPED_FIELDS": "No mapped fields", "UNMAPPED_FIELDS": "Unmapped fields", "TYPE_MISMATCH": "Type mismatch",
    "TRUNCATED": "Value truncated", "TRANSFORM_ERROR": "Code Engine error",
}
FIELD_POOL = (("email", "VARCHAR", 256), ("status", "VARCHAR", 32), ("amount", "FLOAT", None),
              ("country", "VARCHAR", 2), ("user_id", "BIGINT", None), ("updated_at", "TIMESTAMP", None),
              ("is_active", "BOOLEAN", None), ("source", "VARCHAR", 64), ("currency", "VARCHAR", 3),
              ("session_id", "VARCHAR", 64))
UNMAPPED_TYPE = "signup"  # the webhook's events: auto-mapping is off, nobody mapped them yet
DISCARDED_TYPE = "mp_events"  # Mixpanel's raw export, discarded in the Mapper
# (query type, frequency hours or cron): the ten small queries; larger sizes cycle through them.
QUERY_PLAN = (("default", 8), ("default", 24), ("custom", "0 */6 * * *"), ("default", 1), ("custom", "30 2 * * *"),
              ("default", "0 6 * * 1"), ("default", 12), ("custom", 4), ("default", "15 * * * *"),
              ("custom", "0 0 1 * *"))
BROKEN, FIXABLE = 2, 6  # positions (mod 25) of the queries in error: bad SQL, and a lock timeout a rerun clears
BROKEN_ERROR = 'ERROR: syntax error at or near "FORM"'
FIXABLE_ERROR = 'ERROR: could not obtain lock on relation "{table}": canceling statement due to lock timeout'


def table_of(name: str) -> str:
    """The table an event type maps to: dots become underscores, lower case."""
    return name.replace(".", "_").lower()


def build_event_type(rng: random.Random, name: str, source: Input, unmapped: bool, discarded: bool) -> EventType:
    """One event type with 4-7 fields (always id and created_at) and sample counts per status code."""
    picked = rng.sample(FIELD_POOL, rng.randint(2, 5))
    fields = [FieldMapping("id", "id", "BIGINT"), FieldMapping("created_at", "created_at", "TIMESTAMP")]
    fields += [FieldMapping(f, None if unmapped or discarded else f, t, n) for f, t, n in picked]
    if unmapped:
        fields = [FieldMapping(f.name, None, f.column_type, f.length) for f in fields]
    samples = {"VALID": 0 if unmapped else rng.randint(40, 600)}
    if unmapped:
        samples["NO_MAPPING"] = rng.randint(100, 900)
        samples["NEW_TYPE"] = rng.randint(1, 20)
    if discarded:
        samples["DROP"] = rng.randint(50, 400)
    for code in ("UNMAPPED_FIELDS", "TYPE_MISMATCH", "TRUNCATED"):
        if not unmapped and rng.random() < 0.3:
            samples[code] = rng.randint(1, 80)
    mode_is_default = rng.random() < 0.7
    return EventType(
        name=name, input_id=source.id, input_label=source.name, state="UNMAPPED" if unmapped else "MAPPED",
        mapping_mode="AUTO_MAP" if mode_is_default else rng.choice(MAPPING_MODES[1:]),
        using_default_mode=mode_is_default, schema="public", table="" if discarded or unmapped else table_of(name),
        discarded=discarded, fields=fields, samples=samples)


def build_event_types(rng: random.Random, inputs: list[Input]) -> dict[str, EventType]:
    """Every input's event types, in input order."""
    types: dict[str, EventType] = {}
    for source in inputs:
        for name in source.event_types:
            base = name.split("_")[0] if name.startswith(("signup", "mp_events")) else name
            unmapped, discarded = base == UNMAPPED_TYPE, name.startswith(DISCARDED_TYPE)
            types[name] = build_event_type(rng, name, source, unmapped, discarded)
    return types


def query_sql(query_type: str, table: str, broken: bool) -> str:
    if broken:
        return f"SELECT date_trunc('day', created_at) AS day, count(*) FORM public.{table} GROUP BY 1"
    if query_type == "custom":
        return f"INSERT INTO public.{table}_daily SELECT date_trunc('day', created_at), count(*) " \
               f"FROM public.{table} GROUP BY 1"
    return f"INSERT INTO public.{table} SELECT DISTINCT ON (id) * FROM public.{table}_log " \
           f"ORDER BY id, _metadata__timestamp DESC"


def build_queries(rng: random.Random, count: int, mapped: list[EventType], origin: datetime,
                  deployment: str) -> dict[str, ScheduledQuery]:
    """`count` scheduled queries over the mapped event types; positions 2 and 6 of every 25 are in error."""
    queries: dict[str, ScheduledQuery] = {}
    for i in range(count):
        query_type, when = QUERY_PLAN[i % len(QUERY_PLAN)]
        event = mapped[i % len(mapped)]
        broken, fixable = i % 25 == BROKEN, i % 25 == FIXABLE
        frequency = when if isinstance(when, int) else None
        run_at = when if isinstance(when, str) else None
        anchor = origin - timedelta(minutes=rng.randint(0, 59), seconds=rng.randint(0, 59), microseconds=rng.randint(0, 999999))
        query = ScheduledQuery(
            state_id=seeded_uuid4(rng), event_type=event.name, query_type=query_type,
            sql=query_sql(query_type, event.table, broken), frequency=frequency, run_at=run_at,
            module_name=f"consolidation_v2.{'custom_query' if query_type == 'custom' else 'consolidation'}",
            anchor=anchor, created_at=origin - timedelta(days=rng.randint(20, 400)),
            extra={"deployment_name": deployment})
        if broken or fixable:
            fires = Periodic(anchor, timedelta(hours=frequency)) if frequency else CronFires(cron.parse(run_at or ""))
            query.failing, query.fixable = True, fixable
            query.error_count_base = 17 if broken else 3
            query.error_message = BROKEN_ERROR if broken else FIXABLE_ERROR.format(table=event.table)
            query.error_stack = f"psycopg2.ProgrammingError: {query.error_message}\n"
            first_failed = origin
            for _ in range(query.error_count_base):
                first_failed = fires.prev(first_failed - timedelta(microseconds=1)) or first_failed
            query.failing_since = first_failed - timedelta(microseconds=1)
            before = fires.prev(query.failing_since)
            query.last_success_base = before + timedelta(seconds=rng.randint(5, 90)) if before else None
        queries[query.state_id] = query
    return queries
