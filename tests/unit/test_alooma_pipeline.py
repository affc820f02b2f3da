"""Alooma pipeline normalisers on JSON recorded from the emulator: the flow, the Restream Queue, the output's
connection and masked configuration, inputs joined with their state, sleep-time bounds."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from app.api.serialize import to_json
from app.masking import MASK
from app.platforms.alooma.pipeline import (flow_inputs, input_nodes, normalize_input_row, normalize_output, normalize_pipeline, normalize_restream, sleep_refusal,
                                           with_sleep_times)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "alooma"
PLUMBING = json.loads((FIXTURES / "plumbing.json").read_text())
NODES = PLUMBING["plumbing"]["nodes"]


def _node(kind: str) -> dict:
    return next(n for n in NODES if n["type"] == kind)


def _pipeline():
    return normalize_pipeline(NODES, PLUMBING["details"])


def test_the_flow_has_every_input_the_restream_queue_code_engine_mapper_and_output():
    """Are the eight inputs (not the Restream node) joined with their state, and each stage found by its type?"""
    flow = _pipeline()
    assert len(flow.inputs) == 8 and "Restream" not in {i.name for i in flow.inputs}
    assert (flow.code_engine.name, flow.code_engine.throughput, flow.code_engine.latency) == ("Code Engine", 97.3, 521)
    assert (flow.mapper.name, flow.mapper.latency) == ("Mapper", 1042)
    assert (flow.output.name, flow.output.type, flow.output.throughput) == ("Snowflake", "SNOWFLAKE", 95.9)
    assert flow.restream.node_id == _node("RESTREAM")["id"]
    assert flow.input_throughput == round(sum(n["stats"]["throughput"] for n in input_nodes(NODES)), 1)


def test_inputs_in_error_come_first_with_their_error_and_times():
    """Is the failing input first, with its message, count, last success and next pull read as UTC?"""
    flow = _pipeline()
    first = flow.inputs[0]
    assert first.id == PLUMBING["inInError"] and first.state == "failed" and first.in_error
    assert first.error_message == "INVALID_SESSION_ID: Session expired or invalid" and first.error_count == 1277
    assert first.last_success == datetime(2026, 11, 22, 8, 12, 33, tzinfo=timezone.utc)
    assert first.next_processing == datetime(2026, 11, 23, 18, 42, 33, tzinfo=timezone.utc)
    assert flow.inputs_in_error == 1
    assert flow.inputs[1].state == "paused" and flow.inputs[1].id in PLUMBING["paused"]
    assert all(i.state == "active" and not i.error_message for i in flow.inputs[2:])


def test_an_input_without_its_detail_is_unknown_not_an_error():
    """When an input's own answer is missing, is it still listed, with state unknown and its plumbing stats?"""
    row = normalize_input_row(input_nodes(NODES)[0], None)
    assert row.state == "unknown" and row.name == "Shop MySQL" and row.throughput is not None
    assert row.last_success is None and row.error_count == 0


def test_the_restream_queue_reads_the_misspelt_count_and_bytes():
    """Are availbleForRestream, currentQueueSize of maxQueueSize and streaming read, with the share in use?"""
    queue = normalize_restream(_node("RESTREAM"))
    assert (queue.held, queue.size_used, queue.max_size) == (80948, 106608516, 5368709120)
    assert not queue.streaming and queue.percent_used == pytest.approx(100 * 106608516 / 5368709120)
    assert queue.start_refusal == ""


def test_a_streaming_or_empty_queue_refuses_to_start_and_says_why():
    """Is starting refused when a restream runs already, or when nothing is held, each with its reason?"""
    streaming = normalize_restream(PLUMBING["restreamStarted"])
    assert streaming.streaming and streaming.throughput == 50.0
    assert "already running" in streaming.start_refusal
    empty = normalize_restream({**_node("RESTREAM"), "stats": {"availbleForRestream": 0, "currentQueueSize": 0,
                                                                 "maxQueueSize": 0}})
    assert "no events" in empty.start_refusal and empty.percent_used is None


def test_the_output_connection_state_and_failure_message():
    """Is a working output CONNECTION_SUCCESSFUL, and a failing one CONNECTION_FAILED with Alooma's message?"""
    assert _pipeline().output.connected
    failed = normalize_output(PLUMBING["failedOutput"])
    assert not failed.connected and failed.connection_state == "CONNECTION_FAILED"
    assert failed.message.startswith("Could not connect to Snowflake") and failed.throughput == 0.0


def test_the_output_configuration_is_masked_before_it_leaves_the_module():
    """Is the stored password masked (and nothing else), so no form of the record holds it?"""
    output = normalize_output(_node("SNOWFLAKE"))
    entries = {e.key: e for e in output.configuration}
    assert entries["password"].value == MASK and entries["password"].masked
    assert entries["username"].value == "ALOOMA_LOADER" and not entries["username"].masked
    assert "recorded-secret" not in json.dumps(to_json(output))


def test_sleep_times_join_inputs_by_id():
    """Is each input given its own sleep time, and one not read left empty?"""
    seconds = {k: v["inputSleepTime"] for k, v in PLUMBING["sleepTimes"].items()}
    missing = PLUMBING["paused"][0]
    flow = with_sleep_times(_pipeline(), {k: v for k, v in seconds.items() if k != missing})
    by_id = {i.id: i for i in flow.inputs}
    assert by_id[PLUMBING["inInError"]].sleep_seconds == 900.0 and by_id[missing].sleep_seconds is None
    assert by_id[PLUMBING["inInError"]].sleep_time.total_seconds() == 900


def test_the_drawing_shows_inputs_in_error_first_then_the_busiest():
    """Does the flow drawing keep the failing input and the busiest ones, counting those left out?"""
    drawn, left_out = flow_inputs(_pipeline().inputs, 3)
    assert drawn[0].in_error and left_out == 5
    assert drawn[1].throughput >= drawn[2].throughput


@pytest.mark.parametrize("value, words", [
    (300, ""), (0.5, ""), (2592000, ""), (0, "more than 0"), (-5, "more than 0"), (2592001, "at most 30 days"),
    (float("nan"), "number of seconds"), (float("inf"), "number of seconds"), ("300", "number of seconds"),
    (True, "number of seconds"),
])
def test_sleep_time_bounds(value, words):
    """Is a sleep time accepted only as a positive number of seconds up to 30 days, each refusal in words?"""
    refusal = sleep_refusal(value)
    assert (words in refusal) if words else refusal == ""
