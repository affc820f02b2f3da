"""Request and response helpers shared by the vantage6 route modules."""
from __future__ import annotations

import json
from typing import Any

from flask import Response, jsonify, request

from sandbox.vantage6.errors import NOT_JSON, restful
from sandbox.vantage6.paging import Page

API = "/api"


def json_body() -> Any:
    """The JSON body of a POST/PATCH: 415 `{"message"}` unless the Content-Type is JSON, 400 if undecodable
    (both are Flask-RESTful's answers, hence `message`, not `msg`)."""
    if not request.is_json:
        raise restful(415, NOT_JSON)
    raw = request.get_data(cache=True)
    try:
        return json.loads(raw) if raw.strip() else None
    except ValueError as exc:
        raise restful(400, f"Failed to decode JSON object: {exc}") from None


def query() -> dict[str, list[str]]:
    """The query string as {name: [values]}."""
    return {key: request.args.getlist(key) for key in request.args}


def query_pairs() -> list[tuple[str, str]]:
    """The query string in its original order (links keep it)."""
    return list(request.args.items(multi=True))


def page_response(page: Page) -> Response:
    """`{"data", "links"}` with total-count and Link headers."""
    response = jsonify({"data": page.items, "links": page.links})
    response.headers.update(page.headers)
    return response


def client_ip() -> str | None:
    """The caller's address, recorded as a user's `ip` on each call."""
    return request.remote_addr
