"""vantage6's error bodies, kept in one place.

The server answers `{"msg": ...}` (validation errors add `"errors": {field: [messages]}`); Flask-RESTful's own
failures (415 for a non-JSON body, a body that is not JSON) answer `{"message": ...}`; unknown paths are
werkzeug's HTML 404 and are left to Flask. Injected faults use `{"msg"}` on /api and Keycloak's
`{"error", "error_description"}` on the /realms token host.
"""
from __future__ import annotations

from typing import Any

UNEXPECTED = "An unexpected error occurred on the server!"
NO_PERMISSION = "You lack the permission to do that!"
BODY_INCORRECT = "Request body is incorrect"
NOT_JSON = ("Did not attempt to load JSON data because the request Content-Type was not 'application/json'.")
STATUS_MESSAGES = {
    400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 422: "Unprocessable entity",
    429: "Too many requests, please try again later", 500: UNEXPECTED, 502: "Bad gateway",
    503: "Service temporarily unavailable", 504: "Gateway timeout",
}


class V6Error(Exception):
    """A failure answered with `status` and `{"msg"}` (plus `errors` for validation failures)."""

    def __init__(self, status: int, msg: str, errors: dict[str, Any] | None = None, key: str = "msg",
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(msg)
        self.status, self.msg, self.errors, self.key, self.extra = status, msg, errors, key, extra or {}

    def body(self) -> dict[str, Any]:
        """The JSON body sent with this failure."""
        body: dict[str, Any] = {self.key: self.msg}
        if self.errors is not None:
            body["errors"] = self.errors
        body.update(self.extra)
        return body


def bad_request(msg: str) -> V6Error:
    """400 with a message."""
    return V6Error(400, msg)


def invalid_body(errors: dict[str, Any]) -> V6Error:
    """400 "Request body is incorrect" with marshmallow-style field errors."""
    return V6Error(400, BODY_INCORRECT, errors)


def forbidden() -> V6Error:
    """Permission denied inside an endpoint: 401, not 403."""
    return V6Error(401, NO_PERMISSION)


def not_found(kind: str, ident: object) -> V6Error:
    """404 for an unknown id, e.g. `task id=99 is not found`."""
    return V6Error(404, f"{kind} id={ident} is not found")


def unexpected() -> V6Error:
    """500 as for any uncaught exception in the real server."""
    return V6Error(500, UNEXPECTED)


def server_error(msg: str) -> V6Error:
    """500 with a readable message (bad paging values)."""
    return V6Error(500, msg)


def restful(status: int, message: str) -> V6Error:
    """A Flask-RESTful failure: `{"message": ...}` (415, undecodable JSON)."""
    return V6Error(status, message, key="message")


def keycloak_error(status: int, error: str, description: str) -> V6Error:
    """Keycloak's token-endpoint failure: `{"error", "error_description"}`."""
    return V6Error(status, error, key="error", extra={"error_description": description})


def error_payload(status: int, path: str, retry_after: int | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """Body and headers for an injected failure (fault hooks)."""
    headers = {"Retry-After": str(retry_after or 30)} if status == 429 else {}
    message = STATUS_MESSAGES.get(status, UNEXPECTED if status >= 500 else f"HTTP {status}")
    if path.startswith("/realms/"):
        error = "temporarily_unavailable" if status >= 500 or status == 429 else "invalid_request"
        return {"error": error, "error_description": message}, headers
    return {"msg": message}, headers
