"""The /_sandbox/ control endpoints every emulator shares: reset, seed, hostile, clock, faults, tokens, state."""
from __future__ import annotations

from typing import Any, Protocol

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from sandbox.common.clock import Clock, parse_iso
from sandbox.common.faults import FaultError, FaultState
from sandbox.common.hostile import HostileFields, make_hostile

SIZES = ("small", "large")


class ControlledBackend(Protocol):
    """What a platform backend offers the control layer."""

    seed: int
    size: str
    clock: Clock
    faults: FaultState
    lock: Any  # held while the world changes
    world: Any  # the seeded entities (the hostile seed walks them; an emulator without hostile fields needs none)

    def reset(self, seed: int | None = None, size: str | None = None) -> None:
        """Rebuild the world; None keeps the current seed or size."""

    def mint_token(self, base_url: str, options: dict[str, Any]) -> dict[str, Any]:
        """Issue a credential as the platform's UI would (e.g. an OAuth token pair)."""

    def state_summary(self) -> dict[str, Any]:
        """A few counts describing the world."""


def _bad(message: str) -> ResponseReturnValue:
    return jsonify({"ok": False, "error": message}), 400


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


def control_blueprint(backend: ControlledBackend, hostile_fields: HostileFields | None = None,
                      key: str = "sandbox") -> Blueprint:
    """Build the control blueprint bound to one backend; it needs no auth and no fault applies to it.
    `hostile_fields` are the free-text fields of the backend's world that `/hostile` fills with payloads, and
    `key` names the emulator in the payloads' markers."""
    bp = Blueprint("sandbox_control", __name__, url_prefix="/_sandbox")

    @bp.post("/reset")
    def reset() -> ResponseReturnValue:
        backend.clock.reset()
        backend.reset()
        return jsonify({"ok": True})

    @bp.post("/seed")
    def seed() -> ResponseReturnValue:
        body = _body()
        size = body.get("size", backend.size)
        if size not in SIZES:
            return _bad(f"size must be one of {', '.join(SIZES)}")
        try:
            new_seed = int(body.get("seed", backend.seed))
        except (TypeError, ValueError):
            return _bad("seed must be an integer")
        backend.clock.reset()
        backend.reset(seed=new_seed, size=size)
        return jsonify({"ok": True, "seed": backend.seed, "size": backend.size})

    @bp.post("/hostile")
    def hostile() -> ResponseReturnValue:
        # In place rather than a reset, so tokens already handed out keep working; a reset brings the clean
        # world back.
        if not hostile_fields:
            return _bad("this emulator has no hostile seed")
        with backend.lock:
            changed = make_hostile(backend.world, hostile_fields, key)
        return jsonify({"ok": True, "fields": changed})

    @bp.route("/clock", methods=["GET", "POST"])
    def clock() -> ResponseReturnValue:
        if request.method == "POST":
            body = _body()
            try:
                if "set" in body:
                    backend.clock.set(parse_iso(str(body["set"])))
                if "advance" in body:
                    backend.clock.advance(float(body["advance"]))
            except (TypeError, ValueError) as exc:
                return _bad(f"bad clock value: {exc}")
            if "freeze" in body:
                backend.clock.freeze() if body["freeze"] else backend.clock.unfreeze()
        return jsonify(backend.clock.as_dict())

    @bp.route("/faults", methods=["GET", "POST", "DELETE"])
    def faults() -> ResponseReturnValue:
        if request.method == "POST":
            try:
                backend.faults.merge(request.get_json(silent=True))
            except FaultError as exc:
                return _bad(str(exc))
        elif request.method == "DELETE":
            backend.faults.clear()
        return jsonify(backend.faults.as_dict())

    @bp.post("/tokens")
    def tokens() -> ResponseReturnValue:
        try:
            return jsonify(backend.mint_token(request.host_url.rstrip("/"), _body()))
        except (LookupError, ValueError) as exc:
            return _bad(str(exc))

    @bp.get("/state")
    def state() -> ResponseReturnValue:
        return jsonify(backend.state_summary())

    return bp
