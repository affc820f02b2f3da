"""The JSON objects Alooma answers with, built in one place from the world and the instant's health.

Shapes follow the client reference: plumbing nodes {category, stats, name, deleted, state, configuration,
type, id}; an input as {"job", "tasks": {state_id: task}}; scheduled queries as in get_queries(); event types
with their mapping. Configurations are returned as stored, passwords included, as the real API does.
"""
from __future__ import annotations

from typing import Any

from sandbox.alooma.status import Health
from sandbox.alooma.times import naive_iso
from sandbox.alooma.world import EventType, FieldMapping, Input, Node, ScheduledQuery

Stats = dict[str, float]


def node(category: str, ident: str, name: str, kind: str, stats: Stats, state: Any,
         configuration: dict[str, Any]) -> dict[str, Any]:
    """One plumbing node, in the client reference's key order."""
    return {"category": category, "stats": stats, "name": name, "deleted": False, "state": state,
            "configuration": configuration, "type": kind, "id": ident}


def input_node(item: Input, stats: Stats) -> dict[str, Any]:
    """An input as GET inputs and the plumbing list it."""
    auto_map = {"inputLabel": item.name, "state": None, "enabled": str(item.configuration.get("auto_map", "false"))}
    return node("INPUT", item.id, item.name, item.type, stats, {"autoMapping": auto_map}, dict(item.configuration))


def processor_node(proc: Node, stats: Stats) -> dict[str, Any]:
    """The Code Engine or the Mapper."""
    return node(proc.category, proc.id, proc.name, proc.type, stats, None, dict(proc.configuration))


def output_node(out: Node, stats: Stats) -> dict[str, Any]:
    """The output with its connection state and configuration (password as stored)."""
    state = {"additionalInfo": None, "state": "CONNECTION_SUCCESSFUL", "message": "Connection Successful"} \
        if out.connected else {"additionalInfo": None, "state": "CONNECTION_FAILED", "message": out.failure}
    return node("OUTPUT", out.id, out.name, out.type, stats, state, dict(out.configuration))


def input_detail(item: Input, health: Health, deployment: str) -> dict[str, Any]:
    """GET inputs/{id}: the job (configuration) and its one task (state)."""
    job = {"validated": True, "name": item.name, "created_at": naive_iso(item.created_at),
           "configuration": dict(item.configuration), "type": item.type, "id": item.id}
    task = {"category": "inputs", "status": health.status, "error_stack": health.error_stack, "name": item.name,
            "deployment_name": deployment, "error_message": health.error_message,
            "next_processing_time": naive_iso(health.next_processing),
            "last_success_time": naive_iso(health.last_success), "error_count": health.error_count,
            "state_id": item.state_id, "module_name": item.module_name,
            "last_processing_time": naive_iso(health.last_processing), "task_state": item.task_state,
            "type": item.type, "id": item.id}
    return {"job": job, "tasks": {item.state_id: task}}


def query(q: ScheduledQuery, health: Health) -> dict[str, Any]:
    """One scheduled query as v2/consolidation lists it."""
    deployment = q.extra.get("deployment_name", "")
    configuration = {"custom_query": q.sql if q.query_type == "custom" else None, "event_type": q.event_type,
                     "deployment_name": deployment, "query_type": q.query_type, "run_at": q.run_at,
                     "frequency": q.frequency}
    return {"status": health.status, "error_stack": health.error_stack, "deployment_name": deployment,
            "error_message": health.error_message, "next_processing_time": naive_iso(health.next_processing),
            "last_success_time": naive_iso(health.last_success), "error_count": health.error_count,
            "state_id": q.state_id, "module_name": q.module_name, "consolidation_query": q.sql,
            "configuration": configuration, "last_processing_time": naive_iso(health.last_processing)}


def column_type(f: FieldMapping) -> dict[str, Any]:
    """{"type", "length"?, "nonNull", "truncate"}."""
    kind: dict[str, Any] = {"type": f.column_type}
    if f.length is not None:
        kind["length"] = f.length
    return {**kind, "nonNull": False, "truncate": False}


def _field(f: FieldMapping) -> dict[str, Any]:
    mapping = None if f.column is None else {"columnName": f.column, "columnType": column_type(f),
                                             "isDiscarded": False}
    return {"fieldName": f.name, "fields": [], "mapping": mapping, "stats": None}


def event_type(e: EventType, with_fields: bool) -> dict[str, Any]:
    """An event type; GET event-types lists them without the fields section."""
    body: dict[str, Any] = {"autoMappingError": None, "stats": None, "name": e.name}
    if with_fields:
        body["fields"] = [_field(f) for f in e.fields]
    body.update({"origInputLabel": e.input_label,
                 "consolidation": {"consolidatedSchema": None, "consolidatedTableName": None, "viewSchema": None,
                                   "consolidationKeys": None},
                 "mapping": {"isDiscarded": e.discarded, "tableName": e.table, "readOnly": False,
                             "schema": e.schema},
                 "state": e.state, "usingDefaultMappingMode": e.using_default_mode, "mappingMode": e.mapping_mode,
                 "schemaUrls": []})
    return body


def table(e: EventType, shallow: bool) -> dict[str, Any]:
    """The table an event type loads into ({"retention", "tableName", "columns", "schema"})."""
    columns = [] if shallow else [
        {"columnType": column_type(f), "subColumnsMap": None, "columnName": f.column, "distKey": False,
         "sortKeyIndex": 0 if f.column == "created_at" else -1, "subColumns": None, "primaryKey": f.column == "id"}
        for f in e.fields if f.column is not None]
    return {"retention": None, "tableName": e.table, "columns": columns, "schema": e.schema}
