"""Alooma's error body, kept in one place (alooma.md marks its shape inferred [I]).

The client only shows the status reason and the body text, so any JSON with a message fits. The emulator
answers a Spring-style object, `{"timestamp": <epoch ms>, "status", "error": <reason>, "message", "path"}`,
for every error it sends: refused requests, unknown paths and injected faults alike.
"""
from __future__ import annotations

from http import HTTPStatus
from typing import Any


class AloomaError(Exception):
    """A failure answered with `status` and the error body."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(AloomaError):
    """400: a body or parameter the endpoint cannot use (a sleep time that is not a positive number, ...)."""

    status = 400


class Unauthorized(AloomaError):
    """401: no credentials, an invalid API key, a session that ended, or another account's name in the path."""

    status = 401


class NotFound(AloomaError):
    """404: no such input, query, event type, module or secret."""

    status = 404


class Conflict(AloomaError):
    """409: the object is busy (a scheduled query already running)."""

    status = 409


def reason(status: int) -> str:
    """The HTTP reason phrase ("Not Found")."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def error_body(status: int, message: str, path: str, timestamp_ms: int) -> dict[str, Any]:
    """The one error shape."""
    return {"timestamp": timestamp_ms, "status": status, "error": reason(status), "message": message, "path": path}


FAULT_MESSAGES = {
    429: "Too many requests, please retry later",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service temporarily unavailable",
    504: "Gateway timeout",
}


def fault_payload(status: int, path: str, timestamp_ms: int,
                  retry_after: int | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """Body and headers for an injected failure (the fault hooks): the error body, Retry-After on 429."""
    headers = {"Retry-After": str(retry_after or 30)} if status == 429 else {}
    message = FAULT_MESSAGES.get(status, reason(status))
    return error_body(status, message, path, timestamp_ms), headers
