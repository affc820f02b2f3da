"""Alteryx Server's error bodies: ASP.NET's {"message": ...} for the APIs, {"error": ...} for the token endpoint."""
from __future__ import annotations

from typing import Any

DENIED = "Authorization has been denied for this request."
STATUS_MESSAGES = {
    400: "The request is invalid.",
    401: DENIED,
    403: "You do not have permission to perform this action.",
    404: "The requested resource was not found.",
    405: "The requested resource does not support this http method.",
    429: "Too many requests. Please try again later.",
    500: "An error has occurred.",
    502: "Bad gateway.",
    503: "The service is temporarily unavailable.",
    504: "Gateway timeout.",
}


class ServerError(Exception):
    """An API failure: an HTTP status and ASP.NET's {"message": ...} body."""

    status = 500

    def __init__(self, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """The JSON body Server sends with this failure."""
        return {"message": self.message}


class BadRequest(ServerError):
    """400: a bad contract, an invalid answer, an unknown referenced object."""

    status = 400


class Unauthorized(ServerError):
    """401: a missing or expired bearer token, or a refused OAuth1 signature."""

    status = 401


class Forbidden(ServerError):
    """403: the caller's role or ownership does not allow this."""

    status = 403


class NotFound(ServerError):
    """404: no such object (or not visible to the caller)."""

    status = 404


class OAuthError(Exception):
    """A token-endpoint failure in the RFC 6749 shape (OWIN answers 400 for these)."""

    def __init__(self, error: str, status: int = 400) -> None:
        super().__init__(error)
        self.error = error
        self.status = status

    def body(self) -> dict[str, str]:
        """{"error": "..."}, as OWIN's OAuth server answers."""
        return {"error": self.error}


def no_route(url: str) -> str:
    """ASP.NET Web API's message for a path it has no route for."""
    return f"No HTTP resource was found that matches the request URI '{url}'."


def no_method(method: str) -> str:
    """ASP.NET Web API's message for a known path with the wrong verb."""
    return f"The requested resource does not support http method '{method}'."


def error_payload(status: int, path: str, retry_after: int | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """Body and headers for an injected failure: {"message"} everywhere, Retry-After on 429."""
    headers = {"Retry-After": str(retry_after or 30)} if status == 429 else {}
    message = STATUS_MESSAGES.get(status, "An error has occurred." if status >= 500 else f"HTTP {status}")
    return {"message": message}, headers
