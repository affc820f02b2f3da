"""The one place an outbound HTTP session is built and used: timeouts, retries, error mapping."""
from __future__ import annotations

import email.utils
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import Message
from typing import Any, Callable, Iterator, Protocol

import requests
import requests.auth

from app import __version__
from app.errors import (
    AuthError,
    BadResponse,
    InvalidRequest,
    NotFound,
    PermissionDenied,
    PlatformError,
    RateLimited,
    Unavailable,
)

log = logging.getLogger(__name__)

USER_AGENT = f"Flightdeck/{__version__} (+https://github.com/flightdeck)"
RETRY_STATUSES = frozenset({429, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


_answer_ms: dict[str, float] = {}  # connection -> how long its platform took to answer, latest request of this process


def latest_answer_ms(connection: str) -> float | None:
    """How long the connection's platform took to answer its latest request from this process, if any.

    The overview tile shows this rather than how long the page took to read its cache."""
    return _answer_ms.get(connection)


@dataclass(frozen=True)
class HttpSettings:
    """Timeouts and retry policy for one connection."""

    connect_timeout: float = 3.05
    read_timeout: float = 15.0
    retries: int = 2
    max_retry_after: float = 5.0
    backoff: float = 0.2

    @classmethod
    def from_config(cls, config: dict) -> "HttpSettings":
        return cls(
            connect_timeout=config.get("HTTP_CONNECT_TIMEOUT", cls.connect_timeout),
            read_timeout=config.get("HTTP_READ_TIMEOUT", cls.read_timeout),
            retries=config.get("HTTP_RETRIES", cls.retries),
            max_retry_after=config.get("HTTP_MAX_RETRY_AFTER", cls.max_retry_after),
        )


class Authenticator(Protocol):
    """How a connection proves who it is: headers per request, and one recovery on 401."""

    def apply(self, headers: dict[str, str]) -> None: ...

    def recover(self) -> bool:
        """Called once after a 401; returns True when a retry may now succeed (token refreshed)."""

    # Optional: `refuses(response) -> bool` says that an answer other than a 401 also means the token was refused
    # (vantage6 answers 422 "Signature verification failed" for a token its restarted server no longer knows).


ErrorMessage = Callable[[Any], "str | None"]
DOWNLOAD_CHUNK = 64 * 1024


@dataclass
class Download:
    """A platform file on its way to the browser: `chunks()` streams it once and then closes the connection."""

    filename: str
    content_type: str
    length: int | None
    response: requests.Response

    def chunks(self) -> Iterator[bytes]:
        try:
            yield from self.response.iter_content(DOWNLOAD_CHUNK)
        finally:
            self.response.close()


def attachment_name(response: requests.Response, fallback: str) -> str:
    """The filename of a Content-Disposition header, else `fallback`."""
    header = response.headers.get("Content-Disposition", "")
    message = Message()
    message["content-disposition"] = header
    name = message.get_filename() if header else None
    return (name or fallback).replace("/", "_").replace("\\", "_")


def build_session(session_cls: type[requests.Session] = requests.Session, **kwargs: Any) -> requests.Session:
    """Every outbound session (plain or authlib's OAuth sessions) gets the same user agent here."""
    session = session_cls(**kwargs)
    session.headers["User-Agent"] = USER_AGENT
    return session


def parse_retry_after(response: requests.Response) -> float | None:
    """Seconds to wait from Retry-After (seconds or HTTP date) or AAC's x-retry-after header."""
    for header in ("Retry-After", "x-retry-after"):
        raw = response.headers.get(header)
        if not raw:
            continue
        try:
            return max(0.0, float(raw))
        except ValueError:
            parsed = email.utils.parsedate_to_datetime(raw) if raw else None
            if parsed is not None:
                return max(0.0, (parsed - datetime.now(timezone.utc)).total_seconds())
    return None


class PlatformHttp:
    """A connection's HTTP client: one requests.Session, timeouts always set, errors mapped to PlatformError."""

    def __init__(
        self,
        connection: str,
        base_url: str,
        *,
        settings: HttpSettings,
        authenticator: Authenticator | None = None,
        error_message: ErrorMessage | None = None,
        default_headers: dict[str, str] | None = None,
        signer: requests.auth.AuthBase | None = None,
    ) -> None:
        self.connection = connection
        self.base_url = base_url.rstrip("/")
        self.settings = settings
        self.authenticator = authenticator
        self.error_message = error_message or (lambda body: None)
        self.session = build_session()
        self.session.headers.update(default_headers or {})
        self.session.auth = signer  # per-request signing (OAuth1), applied after our headers

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        expect_json: bool = True,
        stream: bool = False,
    ) -> requests.Response:
        """Send one request (a JSON body, or `data` form-encoded); reads are retried on 429/502/503/504,
        writes never are.

        Raises the PlatformError subclass matching the failure. After a 401 the authenticator
        may refresh its token once, and the request is sent again.
        """
        method = method.upper()
        retries_left = self.settings.retries if method in IDEMPOTENT_METHODS else 0
        recovered = False
        attempt = 0
        while True:
            response = self._send(method, path, params=params, json=json, data=data, headers=headers, stream=stream)
            if not recovered and self.authenticator is not None and self._token_refused(response):
                recovered = True
                if self.authenticator.recover():
                    continue
            if response.status_code in RETRY_STATUSES and retries_left > 0:
                wait = parse_retry_after(response)
                if wait is None:
                    wait = self.settings.backoff * (2 ** attempt)
                if wait <= self.settings.max_retry_after:
                    retries_left -= 1
                    attempt += 1
                    time.sleep(wait)
                    continue
            if response.status_code >= 400:
                raise self._error_for(response)
            if expect_json and response.status_code not in (204, 304) and not stream:
                self.decode(response)
            return response

    def get_json(self, path: str, **kwargs: Any) -> Any:
        """GET and decode JSON."""
        return self.decode(self.request("GET", path, **kwargs))

    def download(self, path: str, *, params: dict[str, Any] | None = None, fallback_name: str) -> Download:
        """GET a file without reading it into memory; the caller streams Download.chunks()."""
        response = self.request("GET", path, params=params, expect_json=False, stream=True)
        length = response.headers.get("Content-Length")
        return Download(filename=attachment_name(response, fallback_name),
                        content_type=response.headers.get("Content-Type", "application/octet-stream"),
                        length=int(length) if length and length.isdigit() else None, response=response)

    def decode(self, response: requests.Response) -> Any:
        """The body as JSON, or BadResponse naming the connection (never echoing the body)."""
        if response.status_code in (204, 304) or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise BadResponse(self.connection, f"answered {response.status_code} with a body that is not JSON "
                                               f"({response.headers.get('Content-Type', 'no content type')})") from None

    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Accept": "application/json"}
        headers.update(kwargs.pop("headers") or {})
        if self.authenticator is not None:
            self.authenticator.apply(headers)
        try:
            response = self.session.request(
                method,
                self.url(path),
                headers=headers,
                timeout=(self.settings.connect_timeout, self.settings.read_timeout),
                **kwargs,
            )
            _answer_ms[self.connection] = response.elapsed.total_seconds() * 1000
            return response
        except requests.Timeout:
            raise Unavailable(self.connection, f"timed out after {self.settings.read_timeout:g} s") from None
        except requests.ConnectionError:
            raise Unavailable(self.connection, f"could not connect to {self.base_url}") from None
        except requests.RequestException as exc:
            raise Unavailable(self.connection, f"request failed ({type(exc).__name__})") from None

    def _token_refused(self, response: requests.Response) -> bool:
        refuses = getattr(self.authenticator, "refuses", None)
        return response.status_code == 401 or bool(refuses and refuses(response))

    def _error_for(self, response: requests.Response) -> PlatformError:
        status = response.status_code
        try:
            detail = self.error_message(response.json())
        except ValueError:
            detail = None
        except Exception:  # a drifted error body must not hide the status
            detail = None
        said = f": {detail}" if detail else ""
        if status == 401:
            return AuthError(self.connection, f"credentials were refused (401){said}", status=status)
        if status == 403:
            return PermissionDenied(self.connection, f"permission denied (403){said}", status=status)
        if status in (404, 410):
            return NotFound(self.connection, f"not found ({status}){said}", status=status)
        if status == 429:
            retry_after = parse_retry_after(response)
            wait = f"; retry after {retry_after:g} s" if retry_after is not None else ""
            return RateLimited(self.connection, f"rate limited (429){wait}{said}", retry_after=retry_after)
        if status >= 500:
            return Unavailable(self.connection, f"server error ({status}){said}", status=status)
        return InvalidRequest(self.connection, f"request refused ({status}){said}", status=status)
