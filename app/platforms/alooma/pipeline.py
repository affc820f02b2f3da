"""Alooma's pipeline: inputs -> Code Engine -> Mapper -> output with each node's stats, the Restream Queue, and
each input's sleep time.

The normalisers are pure functions of the plumbing, input and sleep-time JSON (tested on recorded answers);
AloomaPipeline reads through the service's client, cached per connection, and carries out the two actions
(start the restream, change an input's sleep time). Output configurations are masked here (app.masking), so a
stored password never reaches a template or a JSON answer.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Iterable, Mapping

from app.cache import Fetched, cached_read, invalidate
from app.concurrency import parallel_calls, parallel_map
from app.errors import InvalidRequest, NotFound
from app.masking import ConfigEntry, masked_configuration
from app.platforms.alooma import normalize as norm
from app.platforms.alooma.feed import invalidate_feed
from app.platforms.timestamps import parse_time

PIPELINE_TTL = 30  # node stats are the last minute's; restream and input state move with them
SLEEP_TTL = 300  # sleep times change only by hand (and we drop the copy when we change one)
PIPELINE_KEY, SLEEP_KEY = "pipeline", "input-sleep-times"
MAX_SLEEP_SECONDS = 30 * 86400  # Alooma refuses more than 30 days
INPUT_STATES = ("active", "failed", "paused")


@dataclass(frozen=True)
class PipelineInput:
    """One input as the pipeline page shows it: plumbing stats joined with its task's state by id."""

    id: str
    name: str
    type: str
    state: str  # the task's word: active, failed, paused, or unknown
    throughput: float | None  # events/s over the last minute
    latency: float | None  # ms
    last_success: datetime | None
    last_processing: datetime | None
    next_processing: datetime | None
    error_count: int
    error_message: str  # "" unless the input is in error
    sleep_seconds: float | None = None  # filled from the sleep-time read; None when it could not be read

    @property
    def in_error(self) -> bool:
        return self.state == "failed"

    @property
    def sleep_time(self) -> timedelta | None:
        return None if self.sleep_seconds is None else timedelta(seconds=self.sleep_seconds)


@dataclass(frozen=True)
class FlowNode:
    """The Code Engine or the Mapper: what passes through it and how long it takes."""

    id: str
    name: str
    type: str
    throughput: float | None
    latency: float | None



@dataclass(frozen=True)
class OutputNode:
    """The output (the warehouse) with its connection state and its configuration, secrets masked."""

    id: str
    name: str
    type: str
    throughput: float | None
    latency: float | None
    connection_state: str  # CONNECTION_SUCCESSFUL, CONNECTION_FAILED, or what Alooma said
    message: str
    configuration: tuple[ConfigEntry, ...]

    @property
    def connected(self) -> bool:
        return self.connection_state == "CONNECTION_SUCCESSFUL"


@dataclass(frozen=True)
class RestreamQueue:
    """The Restream Queue: events the Mapper could not load, held until someone restreams them."""

    node_id: str
    held: int  # `availbleForRestream` (sic)
    size_used: int  # bytes, `currentQueueSize`
    max_size: int  # bytes, `maxQueueSize`
    streaming: bool  # configuration.streaming "true"
    throughput: float | None  # events/s going back through the pipeline while streaming
    latency: float | None

    @property
    def percent_used(self) -> float | None:
        """Share of the maximum in use, 0-100; None when Alooma gave no maximum."""
        if self.max_size <= 0:
            return None
        return min(100.0, max(0.0, 100.0 * self.size_used / self.max_size))

    @property
    def start_refusal(self) -> str:
        """Why a restream cannot start now ("" when it can): nothing held, or one already running."""
        if self.streaming:
            return f"A restream is already running ({self.held:,} events still held); it stops by itself when the " \
                   "queue is empty."
        if self.held < 1:
            return "The Restream Queue holds no events: there is nothing to restream."
        return ""


@dataclass(frozen=True)
class Pipeline:
    """The whole flow: inputs (by name) and the Restream Queue feed the Code Engine, then the Mapper, then the
    output. Any part Alooma did not list is None."""

    inputs: tuple[PipelineInput, ...]
    restream: RestreamQueue | None
    code_engine: FlowNode | None
    mapper: FlowNode | None
    output: OutputNode | None

    @property
    def input_throughput(self) -> float:
        return round(sum(i.throughput or 0.0 for i in self.inputs), 1)

    @property
    def inputs_in_error(self) -> int:
        return sum(1 for i in self.inputs if i.in_error)


@dataclass(frozen=True)
class InputSleep:
    """One input's sleep time, read live for the form that changes it."""

    id: str
    name: str
    type: str
    seconds: float

    @property
    def sleep_time(self) -> timedelta:
        return timedelta(seconds=self.seconds)


# --- pure normalisers ------------------------------------------------------------------------------
def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _count(value: Any) -> int:
    found = _number(value)
    return int(found) if found is not None and found > 0 else 0


def _stats(node: dict) -> dict:
    return node.get("stats") if isinstance(node.get("stats"), dict) else {}


def _config(node: dict) -> dict:
    return node.get("configuration") if isinstance(node.get("configuration"), dict) else {}


def is_restream(node: dict) -> bool:
    """The Restream node is listed among the inputs (category INPUT) with type RESTREAM."""
    return str(node.get("type") or "").upper() == "RESTREAM"


def is_input(node: dict) -> bool:
    return str(node.get("category") or "").upper() == "INPUT" and not is_restream(node) and not node.get("deleted")


def input_nodes(nodes: Iterable[dict]) -> list[dict]:
    """The plumbing's real inputs (not the Restream node, nothing deleted)."""
    return [n for n in nodes if is_input(n)]


def _find(nodes: Iterable[dict], kind: str, name: str) -> dict | None:
    """A node by type (TRANSFORMER, MAPPER), else by the name Alooma's UI gives it."""
    nodes = list(nodes)
    return next((n for n in nodes if str(n.get("type") or "").upper() == kind), None) or next(
        (n for n in nodes if str(n.get("name") or "").lower() == name.lower()), None)


def normalize_flow_node(node: dict) -> FlowNode:
    stats = _stats(node)
    return FlowNode(id=str(node.get("id") or ""), name=str(node.get("name") or node.get("type") or "—"),
                    type=str(node.get("type") or "—"), throughput=_number(stats.get("throughput")),
                    latency=_number(stats.get("latency")))


def normalize_input_row(node: dict, detail: dict | None) -> PipelineInput:
    """A plumbing input node joined with its GET inputs/{id} answer (the task's state, times and error)."""
    detail = detail or {}
    task = norm.input_task(detail)
    job = detail.get("job") if isinstance(detail.get("job"), dict) else {}
    stats = _stats(node)
    state = norm.input_state(detail) if task else "unknown"
    message = str(task.get("error_message") or "").strip()
    ident = str(node.get("id") or job.get("id") or "")
    return PipelineInput(
        id=ident, name=str(node.get("name") or job.get("name") or ident),
        type=str(node.get("type") or job.get("type") or task.get("type") or "—"), state=state,
        throughput=_number(stats.get("throughput")), latency=_number(stats.get("latency")),
        last_success=parse_time(task.get("last_success_time")),
        last_processing=parse_time(task.get("last_processing_time")),
        next_processing=parse_time(task.get("next_processing_time")),
        error_count=norm.error_count(task), error_message=message)


def normalize_restream(node: dict) -> RestreamQueue:
    """The Restream node: held events, bytes used of the maximum, and whether it is streaming now."""
    stats = _stats(node)
    return RestreamQueue(
        node_id=str(node.get("id") or ""), held=_count(stats.get("availbleForRestream")),
        size_used=_count(stats.get("currentQueueSize")), max_size=_count(stats.get("maxQueueSize")),
        streaming=str(_config(node).get("streaming") or "").strip().lower() == "true",
        throughput=_number(stats.get("throughput")), latency=_number(stats.get("latency")))


def normalize_output(node: dict) -> OutputNode:
    """The output node: connection state and message from `state`, configuration masked."""
    stats = _stats(node)
    state = node.get("state") if isinstance(node.get("state"), dict) else {}
    return OutputNode(
        id=str(node.get("id") or ""), name=str(node.get("name") or node.get("type") or "Output"),
        type=str(node.get("type") or "—"), throughput=_number(stats.get("throughput")),
        latency=_number(stats.get("latency")), connection_state=str(state.get("state") or "UNKNOWN"),
        message=str(state.get("message") or "").strip(), configuration=masked_configuration(_config(node)))


def input_order(row: PipelineInput) -> tuple[int, str]:
    """Inputs in error first, then paused ones, then the rest; by name within each."""
    return {"failed": 0, "paused": 1}.get(row.state, 2), row.name.lower()


def normalize_pipeline(nodes: list[dict], details: Mapping[str, dict]) -> Pipeline:
    """Plumbing nodes plus each input's detail (by input id) as the whole flow."""
    inputs = sorted((normalize_input_row(n, details.get(str(n["id"]))) for n in input_nodes(nodes)),
                    key=input_order)
    restream = next((n for n in nodes if is_restream(n)), None)
    engine, mapper = _find(nodes, "TRANSFORMER", "Code Engine"), _find(nodes, "MAPPER", "Mapper")
    output = next((n for n in nodes if str(n.get("category") or "").upper() == "OUTPUT" and not n.get("deleted")),
                  None)
    return Pipeline(inputs=tuple(inputs), restream=normalize_restream(restream) if restream else None,
                    code_engine=normalize_flow_node(engine) if engine else None,
                    mapper=normalize_flow_node(mapper) if mapper else None,
                    output=normalize_output(output) if output else None)


def with_sleep_times(pipeline: Pipeline, seconds: Mapping[str, float | None]) -> Pipeline:
    """The pipeline with each input's sleep time filled in (None where it was not read)."""
    return replace(pipeline, inputs=tuple(replace(i, sleep_seconds=seconds.get(i.id)) for i in pipeline.inputs))


def flow_inputs(inputs: Iterable[PipelineInput], limit: int) -> tuple[list[PipelineInput], int]:
    """The inputs the flow drawing shows (in error first, then the busiest) and how many it leaves out."""
    rows = sorted(inputs, key=lambda i: (not i.in_error, -(i.throughput or 0.0), i.name.lower()))
    return rows[:limit], max(0, len(rows) - limit)


def sleep_refusal(seconds: Any) -> str:
    """Why a sleep time cannot be sent ("" when it can): it must be a positive number of seconds, at most 30 days."""
    value = _number(seconds)
    if value is None:
        return "The sleep time must be a number of seconds."
    if value <= 0:
        return "The sleep time must be more than 0 seconds."
    if value > MAX_SLEEP_SECONDS:
        return f"The sleep time can be at most 30 days ({MAX_SLEEP_SECONDS:,} seconds)."
    return ""


# --- reads and actions -----------------------------------------------------------------------------
class AloomaPipeline:
    """Reads for the pipeline page and its two actions; each raises PlatformError (NotFound for unknown ids)."""

    def __init__(self, service: Any) -> None:
        self.svc = service
        self.name = service.name
        self.client = service.client

    def _detail_or_none(self, input_id: str) -> dict | None:
        """An input's answer; None when it went between the plumbing read and this one."""
        try:
            return self.client.input(input_id)
        except NotFound:
            return None

    def pipeline(self) -> Fetched[Pipeline]:
        """The flow with each node's stats, inputs with their state (each input's own answer, read in parallel,
        joined by id), the Restream Queue and the output; cached for PIPELINE_TTL seconds."""
        def fetch() -> Pipeline:
            nodes = self.client.plumbing()
            ids = [str(n["id"]) for n in input_nodes(nodes)]
            details = parallel_map(self._detail_or_none, ids, max_workers=8)
            return normalize_pipeline(nodes, {i: d for i, d in zip(ids, details) if d is not None})
        return cached_read(self.name, PIPELINE_KEY, fetch, timeout=PIPELINE_TTL)

    def _sleep_or_none(self, input_id: str) -> float | None:
        try:
            return self.client.input_sleep_time(input_id)
        except NotFound:
            return None

    def sleep_times(self, input_ids: Iterable[str]) -> Fetched[dict[str, float | None]]:
        """Each input's sleep time in seconds (read in parallel; None for an input gone meanwhile), cached."""
        ids = sorted(set(input_ids))
        def fetch() -> dict[str, float | None]:
            return dict(zip(ids, parallel_map(self._sleep_or_none, ids, max_workers=8)))
        fetched = cached_read(self.name, SLEEP_KEY, fetch, timeout=SLEEP_TTL)
        if set(ids) - set(fetched.value):  # an input added since the copy was made: read them all again
            invalidate(self.name, SLEEP_KEY)
            fetched = cached_read(self.name, SLEEP_KEY, fetch, timeout=SLEEP_TTL)
        return fetched

    def restream_queue(self) -> RestreamQueue:
        """The Restream Queue as Alooma has it now (read live: the confirm step decides on it); NotFound when the
        plumbing lists no Restream node."""
        return normalize_restream(self._restream_node())

    def _restream_node(self) -> dict:
        node = next((n for n in self.client.plumbing() if is_restream(n)), None)
        if node is None:
            raise NotFound(self.name, "the pipeline has no Restream Queue")
        return node

    def start_restream(self) -> RestreamQueue:
        """Start restreaming the held events as the client does: PUT plumbing/nodes/{restream id} with the node,
        configuration.streaming "true" and stats None. Refused unsent (InvalidRequest) when nothing is held or a
        restream is already running; answers the queue before the start."""
        node = self._restream_node()
        queue = normalize_restream(node)
        if queue.start_refusal:
            raise InvalidRequest(self.name, queue.start_refusal)
        body = dict(node, stats=None, configuration=dict(_config(node), streaming="true"))
        self.client.update_node(queue.node_id, body)
        invalidate(self.name, PIPELINE_KEY)
        invalidate_feed(self.name)  # Alooma announces the restream in its notifications
        return queue

    def input_sleep(self, input_id: str) -> InputSleep:
        """An input with its sleep time, read live; NotFound for an unknown or malformed id."""
        self.svc.require_id(input_id, "input")
        detail, seconds = parallel_calls(lambda: self.client.input(input_id),
                                         lambda: self.client.input_sleep_time(input_id))
        job = detail.get("job") if isinstance(detail.get("job"), dict) else {}
        task = norm.input_task(detail)
        return InputSleep(id=input_id, name=str(job.get("name") or task.get("name") or input_id),
                          type=str(job.get("type") or task.get("type") or "—"), seconds=seconds)

    def set_sleep_time(self, input_id: str, seconds: float) -> None:
        """Change the input's sleep time (PUT inputSleepTime/{id}); Alooma restarts its pull schedule from now.
        A value outside (0, 30 days] is refused unsent (InvalidRequest)."""
        refusal = sleep_refusal(seconds)
        if refusal:
            raise InvalidRequest(self.name, refusal)
        self.svc.require_id(input_id, "input")
        self.client.set_input_sleep_time(input_id, float(seconds))
        invalidate(self.name, SLEEP_KEY, PIPELINE_KEY)
