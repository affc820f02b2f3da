"""The Alpine engine paths under /alpinedatalabs/api/v1/json: run, process query, stop, results.

Answers as the alpine client reads them: run -> {"meta": {"processId"}}; query -> JSON meta.state while
running and a plain-text line once over; stop -> {"status": "Flow stopped.\\n"}; results -> a JSON string
whose text is the results JSON (decode twice), "" when there are none.
"""
from __future__ import annotations

import json

from flask import Blueprint, Response, g, jsonify, request
from flask.typing import ResponseReturnValue

from sandbox.teamstudio.models import TeamStudioBackend
from sandbox.teamstudio.web import json_body, plain

ENGINE = "/alpinedatalabs/api/v1/json"


def register_engine(bp: Blueprint, backend: TeamStudioBackend) -> None:
    """The four engine endpoints (their auth is the x-token header, checked in routes.py)."""

    @bp.post(f"{ENGINE}/workflows/<int:workflow_id>/run", endpoint="engine_run")
    def run(workflow_id: int) -> ResponseReturnValue:
        save = request.args.get("saveResult", "false").lower() == "true"
        return jsonify(backend.run_workflow(g.user, workflow_id, json_body(), save))

    @bp.get(f"{ENGINE}/processes/<process_id>/query", endpoint="engine_query")
    def query(process_id: str) -> ResponseReturnValue:
        answer = backend.query_process(process_id)
        return plain(answer) if isinstance(answer, str) else jsonify(answer)

    @bp.post(f"{ENGINE}/processes/<process_id>/stop", endpoint="engine_stop")
    def stop(process_id: str) -> ResponseReturnValue:
        return jsonify(backend.stop_process(g.user, process_id))

    @bp.get(f"{ENGINE}/workflows/<int:workflow_id>/results/<process_id>", endpoint="engine_results")
    def results(workflow_id: int, process_id: str) -> ResponseReturnValue:
        # exactly the JSON string (no trailing newline), so "no results" is the two bytes ""
        text = json.dumps(backend.process_results(g.user, workflow_id, process_id))
        return Response(text, mimetype="application/json")
