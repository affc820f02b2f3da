"""The pipeline: plumbing nodes with live stats, inputs (state, pause, sleep time), the Restream Queue and the
output. Node stats are the last complete minute's metrics, shared among the inputs that are pulling."""
from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from sandbox.alooma import serialize
from sandbox.alooma.base import BackendBase, require_object
from sandbox.alooma.errors import BadRequest, NotFound
from sandbox.alooma.status import input_health
from sandbox.common.locking import locked

MAX_SLEEP_SECONDS = 30 * 86400  # beyond a month a pull schedule means nothing (and would overflow the clock math)
MASK = "**********"


def sleep_value(body: Any) -> float:
    """The new sleep time from a PUT body: a bare JSON number (as the client sends it), a numeric string, or
    {"inputSleepTime": n}; anything but a positive number of seconds is a 400."""
    if isinstance(body, dict) and "inputSleepTime" in body:
        body = body["inputSleepTime"]
    value = float("nan")
    if isinstance(body, (int, float)) and not isinstance(body, bool):
        value = float(body)
    elif isinstance(body, str):
        try:
            value = float(body.strip())
        except ValueError:
            pass
    if not math.isfinite(value) or value <= 0:
        raise BadRequest("Input sleep time must be a positive number of seconds")
    if value > MAX_SLEEP_SECONDS:
        raise BadRequest(f"Input sleep time must be at most {MAX_SLEEP_SECONDS} seconds")
    return value


class PipelineMixin(BackendBase):
    """Plumbing, inputs, restream and output operations."""

    def _stats(self) -> dict[str, dict[str, float]]:
        now, m = self.now(), self.last_minute()
        pulling = {i.id: i.weight for i in self.world.inputs.values() if input_health(i, now).status == "active"}
        total, rate = sum(pulling.values()) or 1.0, m["INCOMING_EVENTS"] / 60.0
        restreamed = m["RESTREAMED_EVENTS"] / 60.0
        stats = {ident: {"latency": 0, "throughput": round(rate * pulling.get(ident, 0.0) / total, 1)}
                 for ident in self.world.inputs}
        stats["transformer"] = {"latency": round(m["LATENCY_AVG"] * 0.1), "throughput": round(rate + restreamed, 1)}
        stats["mapper"] = {"latency": round(m["LATENCY_AVG"] * 0.2),
                           "throughput": round(rate + restreamed - m["ERROR_EVENTS"] / 60.0, 1)}
        stats["output"] = {"latency": round(m["LATENCY_AVG"]), "throughput": round(m["LOADED_EVENTS_RATE"] / 60.0, 1)
                           if self.world.output.connected else 0.0}
        return stats

    def _restream_node(self) -> dict[str, Any]:
        queue, now = self.world.restream, self.now()
        held, running = int(queue.held_at(now)), queue.current(now) is not None
        stats = {"latency": 0, "throughput": round(queue.out_rate / 60.0, 1) if running else 0.0,
                 "availbleForRestream": held, "currentQueueSize": min(held * queue.avg_size, queue.max_size),
                 "maxQueueSize": queue.max_size}
        return serialize.node("INPUT", queue.node_id, "Restream", "RESTREAM", stats, None,
                              {"streaming": "true" if running else "false"})

    @locked
    def plumbing(self) -> dict[str, Any]:
        """GET plumbing/: every node (inputs, Restream, Code Engine, Mapper, output)."""
        stats = self._stats()
        nodes = [serialize.input_node(i, stats[i.id]) for i in self.world.inputs.values()]
        nodes += [self._restream_node(), serialize.processor_node(self.world.transformer, stats["transformer"]),
                  serialize.processor_node(self.world.mapper, stats["mapper"]),
                  serialize.output_node(self.world.output, stats["output"])]
        return {"nodes": nodes}

    @locked
    def outputs(self) -> list[dict[str, Any]]:
        """GET plumbing/outputs."""
        return [serialize.output_node(self.world.output, self._stats()["output"])]

    @locked
    def list_inputs(self) -> dict[str, Any]:
        """GET inputs: {input id: input node} (the client reads it with .values())."""
        stats = self._stats()
        return {i.id: serialize.input_node(i, stats[i.id]) for i in self.world.inputs.values()}

    @locked
    def get_input(self, input_id: str) -> dict[str, Any]:
        """GET inputs/{id}: {"job", "tasks"}."""
        item = self.input_or_404(input_id)
        return serialize.input_detail(item, input_health(item, self.now()), self.world.deployment)

    @locked
    def pause_input(self, input_id: str, pause: str | None) -> dict[str, Any]:
        """inputs/{id}/pause?pause=true|false: stop or resume pulling from now."""
        item = self.input_or_404(input_id)
        if pause not in ("true", "false"):
            raise BadRequest("pause must be true or false")
        if (pause == "true") != item.fires.paused():
            item.fires.begin(self.now(), None if pause == "true" else timedelta(seconds=item.sleep_time))
        return serialize.input_node(item, self._stats()[item.id])

    @locked
    def remove_input(self, input_id: str) -> None:
        """POST plumbing/nodes/remove/{id}: the input goes (its event types stay, as in Alooma)."""
        self.input_or_404(input_id)
        del self.world.inputs[input_id]

    @locked
    def get_sleep_time(self, input_id: str) -> dict[str, float]:
        """GET inputSleepTime/{id}."""
        return {"inputSleepTime": self.input_or_404(input_id).sleep_time}

    @locked
    def set_sleep_time(self, input_id: str, body: Any) -> dict[str, float]:
        """PUT inputSleepTime/{id}: validated; the next pull is one new sleep time from now."""
        item = self.input_or_404(input_id)
        item.sleep_time = sleep_value(body)
        if not item.fires.paused():
            item.fires.begin(self.now(), timedelta(seconds=item.sleep_time))
        return {"inputSleepTime": item.sleep_time}

    @locked
    def update_node(self, node_id: str, body: Any) -> dict[str, Any]:
        """PUT plumbing/nodes/{id}: the Restream node starts or stops streaming; the output takes a new
        configuration (same type only; a masked password keeps the stored one)."""
        body = require_object(body, "The node")
        if node_id == self.world.restream.node_id:
            streaming = str(require_object(body.get("configuration"), "configuration").get("streaming")).lower()
            if streaming not in ("true", "false"):
                raise BadRequest("configuration.streaming must be true or false")
            if streaming == "true":
                self._start_restream()
            else:
                self._stop_restream()
            return self._restream_node()
        if node_id == self.world.output.id:
            return self._set_output(body)
        if node_id in self.world.inputs or node_id in (self.world.transformer.id, self.world.mapper.id):
            raise BadRequest(f"Node {node_id} cannot be changed through plumbing/nodes")
        raise NotFound(f"Node {node_id} does not exist")

    def _start_restream(self) -> None:
        now, world = self.now(), self.world
        run = world.restream.start(now)
        if run is not None:
            world.add_notice(now, "RESTREAM_STARTED", "info", f"Restream started: {int(run.held):,} events",
                             [str(int(run.held))])
            world.add_notice(run.drains_at, "RESTREAM_COMPLETED", "info",
                             f"Restream completed: {int(run.held):,} events were restreamed", [str(int(run.held))])

    def _stop_restream(self) -> None:
        now = self.now()
        if self.world.restream.stop(now) is not None:
            self.world.drop_notices_after(now, "RESTREAM_COMPLETED")
            self.world.add_notice(now, "RESTREAM_STOPPED", "warning", "Restream stopped before the queue drained", [])

    @locked
    def purge_restream(self) -> None:
        """plumbing/purge/restream: drop every held event."""
        now = self.now()
        held = int(self.world.restream.held_at(now))
        self.world.restream.purge(now)
        self.world.drop_notices_after(now, "RESTREAM_COMPLETED")
        self.world.add_notice(now, "RESTREAM_PURGED", "warning", f"{held:,} events were purged from the Restream "
                              "Queue", [str(held)])

    def _set_output(self, body: dict[str, Any]) -> dict[str, Any]:
        out = self.world.output
        config = require_object(body.get("configuration"), "configuration")
        wanted = str(body.get("type") or config.get("sinkType") or out.type).upper()
        if wanted != out.type:
            raise BadRequest(f"Changing output types is not supported (from {out.type} to {wanted})")
        out.configuration.update({k: v for k, v in config.items() if v != MASK})
        out.name = str(body.get("name") or out.name)
        return serialize.output_node(out, self._stats()["output"])

    @locked
    def set_output_connection(self, connected: bool, message: str | None = None) -> dict[str, Any]:
        """Control: make the output's connection fail (or succeed again)."""
        out = self.world.output
        out.connected = connected
        out.failure = "" if connected else (message or f"Could not connect to {out.name}: connection timed out")
        return serialize.output_node(out, self._stats()["output"])
