"""Request and response helpers shared by the Team Studio route modules."""
from __future__ import annotations

import json
from typing import Any

from flask import Response, jsonify, request
from flask.typing import ResponseReturnValue

from sandbox.teamstudio.errors import BadRequest
from sandbox.teamstudio.paging import get_body, paging
from sandbox.teamstudio.base import COOKIE_NAME


def query() -> dict[str, str]:
    """The query string, first value of each name."""
    return request.args.to_dict()


def get_json_body() -> dict[str, Any]:
    """The JSON object a GET may carry (paging, filters)."""
    return get_body(request.get_data(cache=True), request.mimetype)


def page_args() -> tuple[int, int]:
    """(page, per_page) from the query string or the GET's JSON body."""
    return paging(query(), get_json_body())


def json_body(optional: bool = True) -> Any:
    """The JSON sent with a POST/PUT (None for an empty body when optional); malformed JSON is a 400."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if optional:
            return None
        raise BadRequest("A JSON body is required.")
    try:
        return json.loads(raw)
    except ValueError:
        raise BadRequest("The request body is not valid JSON.") from None


def json_object() -> dict[str, Any]:
    """A JSON object body (users, workspace settings, members)."""
    found = json_body(optional=False)
    if not isinstance(found, dict):
        raise BadRequest("The request body must be a JSON object.")
    return found


def chorus_token() -> str | None:
    """The session of a Chorus call: the session_id query parameter, else the session cookie."""
    if "session_id" in request.args:
        return request.args["session_id"]
    return request.cookies.get(COOKIE_NAME)


def engine_token() -> str | None:
    """The session of an engine call: the x-token header."""
    return request.headers.get("x-token")


def plain(text: str, status: int = 200) -> Response:
    """A plain-text answer (VERSION, the process status lines)."""
    return Response(text, status=status, mimetype="text/plain")


def ok_empty() -> ResponseReturnValue:
    """200 with an empty JSON object (deletes, logout)."""
    return jsonify({}), 200


def created(payload: Any) -> ResponseReturnValue:
    """201 with the payload (creates answer the new object in `response`)."""
    return jsonify(payload), 201
