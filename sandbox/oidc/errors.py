"""The provider's error bodies: OAuth 2.0's `{"error", "error_description"}` (RFC 6749 §5.2), for injected faults."""
from __future__ import annotations

from typing import Any

ERRORS = {400: "invalid_request", 401: "invalid_client", 403: "access_denied", 404: "not_found",
          429: "slow_down", 500: "server_error", 502: "temporarily_unavailable", 503: "temporarily_unavailable",
          504: "temporarily_unavailable"}


def error_payload(status: int, path: str, retry_after: int | None = None) -> tuple[Any, dict[str, str]]:
    """Body and headers the provider answers a failed request with."""
    code = ERRORS.get(status, "server_error" if status >= 500 else "invalid_request")
    headers = {"Cache-Control": "no-store"}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return {"error": code, "error_description": f"The provider could not answer {path} ({status})."}, headers
