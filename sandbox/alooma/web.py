"""Request and response helpers shared by the Alooma route modules: both REST roots, JSON bodies, empty replies."""
from __future__ import annotations

import json
from typing import Any, Callable, Iterable, TypeVar

from flask import Blueprint, Response, request

from sandbox.alooma.errors import BadRequest

F = TypeVar("F", bound=Callable[..., Any])
# The client's REST root is {base}/rest/, or {base}/{account_name}/rest/ when an account is named.
ROOTS = ("/rest/", "/<account>/rest/")


def rest(bp: Blueprint, rule: str, methods: Iterable[str] = ("GET",)) -> Callable[[F], F]:
    """Register a view under both REST roots (a trailing slash is optional, as the client mixes both)."""
    def register(view: F) -> F:
        for root in ROOTS:
            bp.add_url_rule(root + rule, view.__name__, view, methods=list(methods), strict_slashes=False)
        return view
    return register


def body() -> Any:
    """The request's JSON (None when empty); malformed JSON is a 400. Content-Type is not required."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise BadRequest("The request body is not valid JSON") from None


def no_content() -> Response:
    """204 with no body (deletes and actions the client only checks for success)."""
    return Response(status=204)


def text(value: str) -> Response:
    """A bare text body (GET mapping-mode, which the client returns as res.content)."""
    return Response(value, mimetype="text/plain")
