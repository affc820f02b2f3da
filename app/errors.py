"""The PlatformError family every service raises, and the HTML/JSON error pages."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class PlatformError(Exception):
    """A platform call failed; `message` is safe to show (it never contains a secret)."""

    kind = "error"
    http_status = 502

    def __init__(self, connection: str, message: str, *, status: int | None = None) -> None:
        super().__init__(f"{connection}: {message}")
        self.connection = connection
        self.message = message
        self.status = status

    def describe(self) -> str:
        """One line for a banner: which connection failed and why."""
        return f"{self.connection}: {self.message}"


class AuthError(PlatformError):
    """Credentials were refused even after one token refresh and retry."""

    kind = "auth"


class TokenRejected(AuthError):
    """The refresh token itself was refused: a person must supply a new one."""

    kind = "token_rejected"


class PermissionDenied(PlatformError):
    """The platform understood who we are and said no (403)."""

    kind = "forbidden"
    http_status = 403


class NotFound(PlatformError):
    """The object does not exist on the platform (404, 410)."""

    kind = "not_found"
    http_status = 404


class Unavailable(PlatformError):
    """Timeouts, refused connections, 5xx and rate limits: try again later."""

    kind = "unavailable"
    http_status = 503


class RateLimited(Unavailable):
    """429 from the platform; `retry_after` says how long it asked us to wait."""

    kind = "rate_limited"

    def __init__(self, connection: str, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(connection, message, status=429)
        self.retry_after = retry_after


class BadResponse(PlatformError):
    """The platform answered with a body we cannot read (not JSON, or not the documented shape)."""

    kind = "bad_response"


class InvalidRequest(PlatformError):
    """The platform refused our input (400): shown to the user as a form error."""

    kind = "invalid"
    http_status = 400


class NotSupported(PlatformError):
    """The platform cannot do this action at all; pages hide the button."""

    kind = "not_supported"
    http_status = 405


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz" or request.path.endswith(".json")


def _render(status: int, title: str, message: str):
    if _wants_json():
        return jsonify({"error": {"status": status, "title": title, "message": message}}), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def register_error_handlers(app: Flask) -> None:
    """Every failure becomes a page or JSON body with a clear message; a platform failure is never a 500."""

    @app.errorhandler(PlatformError)
    def platform_error(error: PlatformError):
        app.logger.warning("platform call failed: %s (%s)", error.describe(), error.kind)
        return _render(error.http_status, "The platform could not answer", error.describe())

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _render(400, "Form expired or forged", "The form's security token was missing or wrong; "
                       "reload the page and try again. Nothing was changed.")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _render(error.code or 500, error.name, error.description or "")

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unexpected error on %s", request.path)
        return _render(500, "Something went wrong", "An unexpected error occurred; it has been logged.")
