"""AloomaPipeline against the running Alooma emulator over real HTTP: the flow, the Restream Queue and its start,
input sleep times, failures."""
from __future__ import annotations

import os

import pytest
import requests

from app.cache import invalidate
from app.connections import registry
from app.errors import InvalidRequest, NotFound, Unavailable
from app.masking import MASK
from app.platforms.alooma.pipeline import AloomaPipeline


@pytest.fixture
def reads(alooma_app):
    """The pipeline reads of the login connection."""
    with alooma_app.test_request_context():
        yield AloomaPipeline(registry().service("alooma-main"))


def _rest(emulator, method: str, path: str, **kwargs):
    response = requests.request(method, f"{emulator.url}/rest/{path}", timeout=5,
                                headers={"authorization": f"API {os.environ['ALOOMA_KEY_API_KEY']}"}, **kwargs)
    response.raise_for_status()
    return response.json() if response.content else None


def test_the_flow_matches_what_alooma_holds(reads, alooma_emulator):
    """Are the inputs joined with their state (the failing and paused ones as the emulator has them), and the
    Restream Queue, Code Engine, Mapper and output its nodes?"""
    state = alooma_emulator.state()
    flow = reads.pipeline().value
    assert len(flow.inputs) == state["inputs"]
    by_id = {i.id: i for i in flow.inputs}
    assert by_id[state["inputInError"]["id"]].state == "failed" and by_id[state["inputInError"]["id"]].error_message
    assert all(by_id[i].state == "paused" for i in state["pausedInputs"])
    assert all(i.next_processing is not None for i in flow.inputs if i.state == "active")
    assert flow.restream.node_id == state["restream"]["nodeId"] and abs(flow.restream.held - state["restream"]["held"]) <= 10
    assert flow.restream.max_size == 5 * 1024 ** 3 and not flow.restream.streaming
    assert (flow.code_engine.id, flow.mapper.id, flow.output.id) == (
        state["nodes"]["transformer"], state["nodes"]["mapper"], state["nodes"]["output"])
    assert flow.output.connected and flow.output.type == state["nodes"]["outputType"]


def test_the_output_configuration_never_holds_the_stored_password(reads, alooma_emulator):
    """Is the output's stored password masked in the record the service hands out?"""
    stored = next(n for n in _rest(alooma_emulator, "GET", "plumbing/")["nodes"] if n["category"] == "OUTPUT")
    entries = {e.key: e.value for e in reads.pipeline().value.output.configuration}
    assert entries["password"] == MASK and stored["configuration"]["password"] not in entries.values()


def test_a_failing_output_is_read_with_its_message(reads, alooma_emulator):
    """When the emulator's output cannot connect, is the output CONNECTION_FAILED with that message?"""
    requests.post(f"{alooma_emulator.url}/_sandbox/alooma/output", timeout=5,
                  json={"connected": False, "message": "Host unreachable"}).raise_for_status()
    output = reads.pipeline().value.output
    assert output.connection_state == "CONNECTION_FAILED" and output.message == "Host unreachable"


def test_sleep_times_are_read_for_every_input(reads, alooma_emulator):
    """Is each input's sleep time read (in seconds), as Alooma's own endpoint gives it?"""
    ids = [i.id for i in reads.pipeline().value.inputs]
    seconds = reads.sleep_times(ids).value
    assert set(seconds) == set(ids)
    assert all(seconds[i] == _rest(alooma_emulator, "GET", f"inputSleepTime/{i}")["inputSleepTime"] for i in ids)


def test_start_restream_sets_the_queue_streaming(reads, alooma_emulator):
    """Does starting the restream move the emulator's queue to streaming, and the next read show it?"""
    reads.pipeline()  # a cached copy the start must drop
    before = reads.start_restream()
    assert before.held > 0 and not before.streaming
    assert alooma_emulator.state()["restream"]["streaming"]
    assert reads.pipeline().value.restream.streaming


def test_a_running_restream_is_refused_unsent(reads, alooma_emulator):
    """Is a second start refused with the reason, before anything reaches Alooma?"""
    reads.start_restream()
    notices = alooma_emulator.state()["notices"]
    with pytest.raises(InvalidRequest, match="already running"):
        reads.start_restream()
    assert alooma_emulator.state()["notices"] == notices


def test_an_empty_queue_is_refused_unsent(reads, alooma_emulator):
    """With the queue purged, is a start refused as having nothing to restream, and the queue left still?"""
    _rest(alooma_emulator, "POST", "plumbing/purge/restream")
    assert reads.restream_queue().held == 0
    with pytest.raises(InvalidRequest, match="no events"):
        reads.start_restream()
    assert not alooma_emulator.state()["restream"]["streaming"]


def test_a_sleep_time_change_is_read_back(reads, alooma_emulator):
    """Does a new sleep time reach Alooma, and do the live read and the (dropped) cached copy both show it?"""
    input_id = alooma_emulator.state()["inputInError"]["id"]
    ids = [i.id for i in reads.pipeline().value.inputs]
    assert reads.sleep_times(ids).value[input_id] == 900.0
    reads.set_sleep_time(input_id, 45.5)
    assert _rest(alooma_emulator, "GET", f"inputSleepTime/{input_id}")["inputSleepTime"] == 45.5
    assert reads.input_sleep(input_id).seconds == 45.5 and reads.sleep_times(ids).value[input_id] == 45.5


@pytest.mark.parametrize("seconds", [0, -1, 30 * 86400 + 1, float("nan")])
def test_a_bad_sleep_time_is_refused_unsent(reads, alooma_emulator, seconds):
    """Is a sleep time outside (0, 30 days] refused before it is sent?"""
    state = alooma_emulator.state()
    input_id = state["inputInError"]["id"]
    alooma_emulator.faults(fail_next={"count": 1, "status": 503,
                                      "path": f"/{state['account']}/rest/inputSleepTime/{input_id}"})
    with pytest.raises(InvalidRequest):
        reads.set_sleep_time(input_id, seconds)
    assert requests.get(f"{alooma_emulator.url}/_sandbox/faults", timeout=5).json().get("fail_next")  # untouched


def test_unknown_and_malformed_inputs_are_not_found(reads):
    """Are an unknown input and a malformed id NotFound?"""
    with pytest.raises(NotFound):
        reads.input_sleep("no-such-input")
    with pytest.raises(NotFound):
        reads.input_sleep("../plumbing")


def test_a_platform_failure_falls_back_to_the_last_good_copy(reads, alooma_app, alooma_emulator):
    """With nothing cached a failure raises; with a copy cached and expired, is that copy served marked stale?"""
    alooma_emulator.faults(fail_next={"count": 200, "status": 503})
    with pytest.raises(Unavailable):
        reads.pipeline()
    alooma_emulator.clear_faults()
    reads.pipeline()
    invalidate(reads.name, "pipeline")
    alooma_emulator.faults(fail_next={"count": 200, "status": 503})
    fetched = reads.pipeline()
    assert fetched.stale is not None and len(fetched.value.inputs) == 8
