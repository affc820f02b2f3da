"""Fault knobs (latency, failures, 429s, malformed or drifted bodies, error rate) and the hooks applying them."""
from __future__ import annotations

import copy
import json
import random
import threading
import time
from typing import Any, Protocol

from flask import Flask, Response, request

CONTROL_PREFIX = "/_sandbox"
MALFORMED_BODY = "<html><body><h1>502 Bad Gateway</h1>upstream proxy error</body></html>"
DEFAULT_TOKEN_LIFETIME = 300
COUNTED_KNOBS = ("fail_next", "rate_limit_next", "malformed_next", "drift_next", "timeout_next")
KNOBS = ("latency_ms", "error_rate", "token_lifetime") + COUNTED_KNOBS


class FaultError(ValueError):
    """A knob was given a value the emulator cannot apply."""


class ErrorBodies(Protocol):
    """What the hooks need from a platform backend: its own error body and headers for a status."""

    def error_payload(self, status: int, path: str, retry_after: int | None = None) -> tuple[Any, dict[str, str]]:
        """Body (JSON-able) and extra headers the platform would send with this status."""


def _path_matches(prefix: str | None, path: str) -> bool:
    return prefix in (None, "", "*") or path.startswith(prefix)


def drift_payload(payload: Any) -> Any:
    """A plausible shape drift: lists move from "data" to "items", an envelope's "response" to "data", objects
    lose "id", bare strings get wrapped."""
    def strip_id(item: Any) -> Any:
        return {k: v for k, v in item.items() if k != "id"} if isinstance(item, dict) else item

    if isinstance(payload, dict) and isinstance(payload.get("data"), list):
        rest = {k: v for k, v in payload.items() if k != "data"}
        return {"items": [strip_id(item) for item in payload["data"]], **rest}
    if isinstance(payload, dict) and "response" in payload:  # Team Studio's envelope drifts to "data"
        rest = {k: v for k, v in payload.items() if k != "response"}
        inner = payload["response"]
        return {"data": [strip_id(i) for i in inner] if isinstance(inner, list) else strip_id(inner), **rest}
    if isinstance(payload, dict):
        return strip_id(payload)
    if isinstance(payload, list):
        return {"items": [strip_id(item) for item in payload]}
    return {"value": payload}


class FaultState:
    """The current knobs; counted knobs are consumed atomically so concurrent requests never double-spend."""

    def __init__(self, seed: int = 1, default_token_lifetime: int = DEFAULT_TOKEN_LIFETIME) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._knobs: dict[str, Any] = {}
        # Platforms differ in how long their tokens live when no knob is set (AAC 300 s, Server v3 3600 s).
        self.default_token_lifetime = int(default_token_lifetime)

    def clear(self, seed: int | None = None) -> None:
        """Drop every knob (and reseed the error-rate source, so a reset replays the same failures)."""
        with self._lock:
            self._knobs = {}
            if seed is not None:
                self._rng = random.Random(seed)

    def as_dict(self) -> dict[str, Any]:
        """The knobs as set, with remaining counts."""
        with self._lock:
            return {"token_lifetime": self.default_token_lifetime, **copy.deepcopy(self._knobs)}

    @property
    def token_lifetime(self) -> int:
        """Seconds a newly issued access token lives."""
        with self._lock:
            return int(self._knobs.get("token_lifetime", self.default_token_lifetime))

    def merge(self, knobs: dict[str, Any]) -> None:
        """Set the given knobs, each replacing its previous value; unknown or ill-typed knobs are refused."""
        if not isinstance(knobs, dict):
            raise FaultError("faults body must be a JSON object")
        checked = {name: self._check(name, value) for name, value in knobs.items()}
        with self._lock:
            for name, value in checked.items():
                if value is None:
                    self._knobs.pop(name, None)
                else:
                    self._knobs[name] = value

    @staticmethod
    def _check(name: str, value: Any) -> Any:
        if name not in KNOBS:
            raise FaultError(f"unknown knob {name!r}; known: {', '.join(KNOBS)}")
        if value is None:
            return None
        try:
            if name == "latency_ms":
                return {str(prefix): float(ms) for prefix, ms in dict(value).items()}
            if name == "error_rate":
                rate = float(value)
                if not 0.0 <= rate <= 1.0:
                    raise FaultError("error_rate must be between 0 and 1")
                return rate
            if name == "token_lifetime":
                return max(1, int(value))
            spec = dict(value)
            spec["count"] = int(spec.get("count", 1))
            if name == "fail_next":
                spec["status"] = int(spec.get("status", 503))
            if name == "rate_limit_next":
                spec["retry_after"] = int(spec.get("retry_after", 30))
            if name == "timeout_next":
                spec["seconds"] = float(spec.get("seconds", 5))
            return spec
        except (TypeError, ValueError) as exc:
            if isinstance(exc, FaultError):
                raise
            raise FaultError(f"bad value for {name}: {exc}") from exc

    def _take(self, name: str, path: str) -> dict[str, Any] | None:
        """Consume one use of a counted knob if it applies to path (caller holds the lock)."""
        spec = self._knobs.get(name)
        if not spec or spec["count"] <= 0 or not _path_matches(spec.get("path"), path):
            return None
        spec["count"] -= 1
        if spec["count"] <= 0:
            del self._knobs[name]
        return spec

    def latency_for(self, path: str) -> float:
        """Seconds to wait before answering: the longest matching prefix wins, '*' is the fallback."""
        with self._lock:
            table = self._knobs.get("latency_ms") or {}
        best = max((p for p in table if p != "*" and path.startswith(p)), key=len, default="*")
        return table.get(best, 0.0) / 1000.0

    def before(self, path: str) -> tuple[float, str | None, dict[str, Any] | None]:
        """Decide, once per request, the extra wait and which failure (if any) this request gets."""
        with self._lock:
            timeout = self._take("timeout_next", path)
            wait = timeout["seconds"] if timeout else 0.0
            for name in ("fail_next", "rate_limit_next", "malformed_next"):
                spec = self._take(name, path)
                if spec:
                    return wait, name, spec
            rate = self._knobs.get("error_rate", 0.0)
            if rate and self._rng.random() < rate:
                return wait, "error_rate", {"status": 500}
        return wait, None, None

    def take_drift(self, path: str) -> bool:
        """Whether this response should drift (consumes one use)."""
        with self._lock:
            return self._take("drift_next", path) is not None


def _json_response(body: Any, status: int, headers: dict[str, str]) -> Response:
    return Response(json.dumps(body), status=status, headers=headers, mimetype="application/json")


def install_fault_hooks(app: Flask, faults: FaultState, bodies: ErrorBodies) -> None:
    """Apply the knobs to every non-control request, before the platform's own auth and routing."""

    @app.before_request
    def _apply_faults() -> Response | None:
        path = request.path
        if path.startswith(CONTROL_PREFIX):
            return None
        delay = faults.latency_for(path)
        wait, kind, spec = faults.before(path)
        if delay + wait > 0:
            time.sleep(delay + wait)
        if kind == "malformed_next":
            return Response(MALFORMED_BODY, status=200, mimetype="text/html")
        if kind == "rate_limit_next":
            body, headers = bodies.error_payload(429, path, retry_after=spec["retry_after"])
            return _json_response(body, 429, headers)
        if kind in ("fail_next", "error_rate"):
            status = spec["status"]
            retry_after = 30 if status == 429 else None
            body, headers = bodies.error_payload(status, path, retry_after=retry_after)
            return _json_response(body, status, headers)
        return None

    @app.after_request
    def _apply_drift(response: Response) -> Response:
        if request.path.startswith(CONTROL_PREFIX) or response.status_code != 200 or not response.is_json:
            return response
        if faults.take_drift(request.path):
            response.set_data(json.dumps(drift_payload(response.get_json())))
        return response
