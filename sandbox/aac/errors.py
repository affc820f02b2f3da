"""AAC's error bodies: {"exception": {...}} for the API, {"error", "error_description"} for the token endpoint."""
from __future__ import annotations

from typing import Any

# Status -> exception.name for failures the emulator invents (fault knobs, unknown paths).
STATUS_NAMES = {
    400: "ValidationFailed",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    410: "Gone",
    415: "UnsupportedMediaType",
    429: "TooManyRequestsException",
    500: "InternalServerError",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}
STATUS_MESSAGES = {
    429: "Too many requests. Please try again later.",
    500: "An unexpected error occurred",
    502: "Bad gateway",
    503: "Service temporarily unavailable",
    504: "Gateway timeout",
}


class AacError(Exception):
    """An API failure carrying the HTTP status and AAC's exception body."""

    status = 500
    name = "InternalServerError"

    def __init__(self, message: str, details: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """The JSON body AAC sends with this failure."""
        return exception_body(self.name, self.message, self.details)


class ValidationFailed(AacError):
    """400: bad parameter, unknown referenced resource or invalid value."""

    status = 400
    name = "ValidationFailed"


class Unauthorized(AacError):
    """401: missing, malformed or expired access token."""

    status = 401
    name = "Unauthorized"


class Forbidden(AacError):
    """403: the token may not act on this workspace or object."""

    status = 403
    name = "Forbidden"


class NotFound(AacError):
    """404: no such object visible to the caller."""

    status = 404
    name = "NotFound"


class TooManyRequests(AacError):
    """429: a per-minute run quota is spent; carries the rate-limit headers."""

    status = 429
    name = "TooManyRequestsException"


class NotModified(AacError):
    """304: a run request repeated an x-execution-id already accepted; answered with no body."""

    status = 304
    name = "NotModified"


class OAuthError(Exception):
    """A token-endpoint failure in the RFC 6749 shape."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status

    def body(self) -> dict[str, str]:
        """{"error", "error_description"} as PingFederate answers."""
        return {"error": self.error, "error_description": self.description}


def exception_body(name: str, message: str, details: Any = None) -> dict[str, Any]:
    """The {"exception": {...}} envelope every v4 error uses."""
    return {"exception": {"name": name, "message": message, "details": details if details is not None else message}}


def rate_limit_headers(retry_after: int, user_limit: int = 30, workspace_limit: int = 60,
                       workspace_used: int | None = None, user_used: int | None = None) -> dict[str, str]:
    """AAC's quota headers plus the standard Retry-After, so generic HTTP clients back off too."""
    used = workspace_limit if workspace_used is None else workspace_used
    user = user_limit if user_used is None else user_used
    return {
        "x-rate-limit-user-limit": str(user_limit),
        "x-rate-limit-user-remaining": str(max(0, user_limit - user)),
        "x-rate-limit-user-reset": str(retry_after),
        "x-rate-limit-workspace-limit": str(workspace_limit),
        "x-rate-limit-workspace-remaining": str(max(0, workspace_limit - used)),
        "x-rate-limit-workspace-reset": str(retry_after),
        "x-retry-after": str(retry_after),
        "Retry-After": str(retry_after),
    }


def error_payload(status: int, path: str, retry_after: int | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """Body and headers for an injected failure: OAuth shape on the token endpoint, exception shape elsewhere."""
    headers = rate_limit_headers(retry_after or 30) if status == 429 else {}
    if path.startswith("/as/"):
        error = "temporarily_unavailable" if status >= 500 or status == 429 else "invalid_request"
        return {"error": error, "error_description": STATUS_MESSAGES.get(status, f"HTTP {status}")}, headers
    name = STATUS_NAMES.get(status, "InternalServerError" if status >= 500 else "ValidationFailed")
    message = STATUS_MESSAGES.get(status, f"Request failed with status {status}")
    return exception_body(name, message), headers
