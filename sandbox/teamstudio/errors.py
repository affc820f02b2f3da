"""Team Studio's error body, kept in one place: `{"errors": {"message": ..., "fields"?: ...}}` with a 4xx/5xx.

The alpine client never shows the server's error shape (teamstudio.md marks it [I]); every error the
emulator sends, injected faults included, is built here so the choice can change in one spot.
"""
from __future__ import annotations

from typing import Any

STATUS_MESSAGES = {
    400: "The request is invalid.",
    401: "Your session has expired or does not exist. Please log in again.",
    403: "You do not have permission to perform this action.",
    404: "The requested resource was not found.",
    405: "The method is not allowed for this resource.",
    422: "The request could not be processed.",
    429: "Too many requests. Please try again later.",
    500: "An internal server error occurred.",
    502: "Bad gateway.",
    503: "The service is temporarily unavailable.",
    504: "Gateway timeout.",
}


class TeamStudioError(Exception):
    """A failure answered with `status` and the errors body; `fields` names offending inputs with a code."""

    status = 500

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}

    def body(self) -> dict[str, Any]:
        """The JSON body sent with this failure."""
        return errors_body(self.message, self.fields)


class BadRequest(TeamStudioError):
    """400: a body that is not what the endpoint reads (e.g. not JSON)."""

    status = 400


class Unauthorized(TeamStudioError):
    """401: no session, an unknown one, or one that has ended (expired, logged out, expired by control)."""

    status = 401


class Forbidden(TeamStudioError):
    """403: the session's user may not do this (not an admin, not a member of a private workspace)."""

    status = 403


class NotFound(TeamStudioError):
    """404: no such object."""

    status = 404


class Unprocessable(TeamStudioError):
    """422: a well-formed request with invalid values (unknown enum, taken name, undeclared variable)."""

    status = 422


def errors_body(message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    """{"errors": {"message": ..., "fields": {name: {CODE: {}}}}}; fields only when some input is named."""
    errors: dict[str, Any] = {"message": message}
    if fields:
        errors["fields"] = {name: {code: {}} for name, code in fields.items()}
    return {"errors": errors}


def not_found(kind: str, ident: object) -> NotFound:
    """The 404 for an unknown id of a kind ("Workspace", "Job", ...)."""
    return NotFound(f"{kind} {ident} not found.")


def error_payload(status: int, path: str, retry_after: int | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """Body and headers for an injected failure (fault hooks): the errors body, Retry-After on 429."""
    headers = {"Retry-After": str(retry_after or 30)} if status == 429 else {}
    message = STATUS_MESSAGES.get(status, "An internal server error occurred." if status >= 500 else f"HTTP {status}")
    return errors_body(message), headers
