"""Alooma emulator Restream Queue: events held and size used of the maximum, Start restream, stop and purge."""
from __future__ import annotations

import time

from tests.sandbox.test_alooma_helpers import Alooma, assert_error


def _restream(alooma: Alooma) -> dict:
    return next(n for n in alooma.get("plumbing/")["nodes"] if n["type"] == "RESTREAM")


def _start_body(node_id: str, streaming: str = "true") -> dict:
    """The body the client's start_restream() sends."""
    return {"id": node_id, "name": "Restream", "type": "RESTREAM", "configuration": {"streaming": streaming},
            "category": "INPUT", "deleted": False, "state": None}


def _types_since(alooma: Alooma, since: float) -> list[str]:
    return [m["type"] for m in alooma.get(f"notifications?from={int(since)}")["messages"]]


def test_restream_node_holds_events_and_its_size_of_the_maximum(alooma: Alooma) -> None:
    """The RESTREAM node's stats carry availbleForRestream (sic), currentQueueSize and maxQueueSize (bytes)."""
    node = _restream(alooma)
    stats = node["stats"]
    assert stats["availbleForRestream"] > 1000 and node["configuration"] == {"streaming": "false"}
    assert 0 < stats["currentQueueSize"] < stats["maxQueueSize"] == 5 * 1024 ** 3
    assert node["id"] == alooma.state()["restream"]["nodeId"]


def test_held_events_grow_with_the_clock_while_idle(alooma: Alooma) -> None:
    """Unloadable events keep arriving: an hour later more are held."""
    alooma.freeze()
    before = _restream(alooma)["stats"]["availbleForRestream"]
    alooma.advance(3600)
    assert _restream(alooma)["stats"]["availbleForRestream"] > before


def test_start_restream_drains_the_queue_then_stops_by_itself(alooma: Alooma) -> None:
    """PUT plumbing/nodes/{restream id} with streaming "true" starts it; the queue drains as the clock moves;
    once empty it stops, restreamed events show in the metrics, and both moments are notified."""
    alooma.freeze()
    since = time.time() - 60
    node = _restream(alooma)
    held = node["stats"]["availbleForRestream"]
    started = alooma.api("PUT", f"plumbing/nodes/{node['id']}", json=_start_body(node["id"]))
    assert started.status_code == 200 and started.json()["configuration"] == {"streaming": "true"}
    assert alooma.state()["restream"]["streaming"] is True and "RESTREAM_STARTED" in _types_since(alooma, since)
    alooma.advance(120)
    running = _restream(alooma)
    assert running["stats"]["availbleForRestream"] < held and running["stats"]["throughput"] > 0
    alooma.advance(3600)
    done = _restream(alooma)
    assert done["configuration"] == {"streaming": "false"} and done["stats"]["availbleForRestream"] < 1000
    assert "RESTREAM_COMPLETED" in _types_since(alooma, since)
    series = alooma.get("metrics?metrics=RESTREAMED_EVENTS&from=-120min&resolution=120min")
    assert series[0]["datapoints"][0][0] >= held * 0.99


def test_stop_keeps_the_rest_and_purge_empties_the_queue(alooma: Alooma) -> None:
    """streaming "false" stops a running restream (held events stay); purge (POST or DELETE) drops them."""
    alooma.freeze()
    since = time.time() - 60
    node_id = _restream(alooma)["id"]
    alooma.api("PUT", f"plumbing/nodes/{node_id}", json=_start_body(node_id))
    alooma.advance(5)
    stopped = alooma.api("PUT", f"plumbing/nodes/{node_id}", json=_start_body(node_id, "false")).json()
    assert stopped["configuration"] == {"streaming": "false"} and stopped["stats"]["availbleForRestream"] > 1000
    alooma.advance(7200)
    types = _types_since(alooma, since)
    assert "RESTREAM_STOPPED" in types and "RESTREAM_COMPLETED" not in types
    for method in ("POST", "DELETE"):
        assert alooma.api(method, "plumbing/purge/restream").status_code == 204
        assert _restream(alooma)["stats"]["availbleForRestream"] == 0
    assert "RESTREAM_PURGED" in _types_since(alooma, since)


def test_starting_an_empty_queue_changes_nothing_and_bad_bodies_are_400(alooma: Alooma) -> None:
    """Start on an empty queue stays idle; a body without configuration.streaming true/false is 400."""
    node_id = _restream(alooma)["id"]
    alooma.api("DELETE", "plumbing/purge/restream")
    assert alooma.api("PUT", f"plumbing/nodes/{node_id}", json=_start_body(node_id)).json()["configuration"] == {
        "streaming": "false"}
    for bad in ({"configuration": {"streaming": "soon"}}, {"name": "Restream"}, [1]):
        assert_error(alooma.api("PUT", f"plumbing/nodes/{node_id}", json=bad), 400)
