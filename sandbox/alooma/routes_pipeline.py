"""Pipeline paths: plumbing (nodes, outputs, node updates, restream purge), inputs, sleep time and metrics."""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from sandbox.alooma.models import AloomaBackend
from sandbox.alooma.web import body, no_content, rest


def register_pipeline(bp: Blueprint, backend: AloomaBackend) -> None:
    """Attach the pipeline routes to the Alooma blueprint."""

    @rest(bp, "plumbing/")
    def plumbing() -> ResponseReturnValue:  # ?resolution=1min is accepted and ignored: stats are per minute
        return jsonify(backend.plumbing())

    @rest(bp, "plumbing/outputs")
    def plumbing_outputs() -> ResponseReturnValue:
        return jsonify(backend.outputs())

    @rest(bp, "plumbing/nodes/<node_id>", methods=("PUT",))
    def update_node(node_id: str) -> ResponseReturnValue:
        return jsonify(backend.update_node(node_id, body()))

    @rest(bp, "plumbing/nodes/remove/<input_id>", methods=("POST",))
    def remove_input(input_id: str) -> ResponseReturnValue:
        backend.remove_input(input_id)
        return no_content()

    @rest(bp, "plumbing/purge/restream", methods=("POST", "DELETE"))
    def purge_restream() -> ResponseReturnValue:
        backend.purge_restream()
        return no_content()

    @rest(bp, "inputs")
    def list_inputs() -> ResponseReturnValue:
        return jsonify(backend.list_inputs())

    @rest(bp, "inputs/<input_id>")
    def get_input(input_id: str) -> ResponseReturnValue:
        return jsonify(backend.get_input(input_id))

    @rest(bp, "inputs/<input_id>/pause", methods=("PUT", "POST"))
    def pause_input(input_id: str) -> ResponseReturnValue:
        return jsonify(backend.pause_input(input_id, request.args.get("pause")))

    @rest(bp, "inputSleepTime/<input_id>", methods=("GET", "PUT"))
    def input_sleep_time(input_id: str) -> ResponseReturnValue:
        if request.method == "PUT":
            return jsonify(backend.set_sleep_time(input_id, body()))
        return jsonify(backend.get_sleep_time(input_id))

    @rest(bp, "metrics")
    def metrics() -> ResponseReturnValue:
        args = request.args
        return jsonify(backend.metrics(args.get("metrics"), args.get("from"), args.get("resolution")))
