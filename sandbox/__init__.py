"""Platform emulators (moto-style): create_app(key) serves one platform's real paths plus /_sandbox/ controls."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from flask import Blueprint, Flask

from sandbox.common.control import control_blueprint
from sandbox.common.faults import install_fault_hooks
from sandbox.common.hostile import HostileFields, make_hostile


@dataclass(frozen=True)
class Emulator:
    """How to build one platform's emulator: its backend (state), its blueprint (HTTP layer) and the free-text
    fields of its world that the hostile seed fills with payloads (none: the emulator has no hostile seed)."""

    backend_factory: Callable[[int, str], Any]
    blueprint_factory: Callable[[Any], Blueprint]
    hostile_fields: HostileFields = field(default_factory=dict)


def _alooma() -> Emulator:
    from sandbox.alooma.models import AloomaBackend
    from sandbox.alooma.routes import alooma_blueprint
    from sandbox.alooma.world import HOSTILE_FIELDS

    return Emulator(lambda seed, size: AloomaBackend(seed=seed, size=size), alooma_blueprint, HOSTILE_FIELDS)


def _aac() -> Emulator:
    from sandbox.aac.models import AacBackend
    from sandbox.aac.routes import aac_blueprint
    from sandbox.aac.world import HOSTILE_FIELDS

    return Emulator(lambda seed, size: AacBackend(seed=seed, size=size), aac_blueprint, HOSTILE_FIELDS)


def _server() -> Emulator:
    from sandbox.server.models import ServerBackend
    from sandbox.server.routes import server_blueprint
    from sandbox.server.world import HOSTILE_FIELDS

    return Emulator(lambda seed, size: ServerBackend(seed=seed, size=size), server_blueprint, HOSTILE_FIELDS)


def _teamstudio() -> Emulator:
    from sandbox.teamstudio.models import TeamStudioBackend
    from sandbox.teamstudio.routes import teamstudio_blueprint
    from sandbox.teamstudio.world import HOSTILE_FIELDS

    return Emulator(lambda seed, size: TeamStudioBackend(seed=seed, size=size), teamstudio_blueprint, HOSTILE_FIELDS)


def _vantage6() -> Emulator:
    from sandbox.vantage6.models import Vantage6Backend
    from sandbox.vantage6.routes import vantage6_blueprint
    from sandbox.vantage6.world import HOSTILE_FIELDS

    return Emulator(lambda seed, size: Vantage6Backend(seed=seed, size=size), vantage6_blueprint, HOSTILE_FIELDS)


def _oidc() -> Emulator:
    from sandbox.oidc.models import OidcBackend
    from sandbox.oidc.routes import oidc_blueprint

    return Emulator(lambda seed, size: OidcBackend(seed=seed, size=size), oidc_blueprint)


# key -> loader, imported lazily so one emulator's import cost is paid only when it is used.
EMULATORS: dict[str, Callable[[], Emulator]] = {"aac": _aac, "alooma": _alooma, "server": _server,
                                               "teamstudio": _teamstudio, "vantage6": _vantage6,
                                               "oidc": _oidc}


def create_app(key: str, seed: int = 1, size: str = "small", hostile: bool = False) -> Flask:
    """A Flask app emulating platform `key`; its backend is app.extensions["sandbox_backend"]. `hostile` starts
    it with the hostile seed (as `POST /_sandbox/hostile` would), for looking at the dashboard under attack."""
    if key not in EMULATORS:
        raise KeyError(f"no emulator for {key!r}; known: {', '.join(sorted(EMULATORS))}")
    emulator = EMULATORS[key]()
    backend = emulator.backend_factory(seed, size)
    app = Flask(f"sandbox.{key}")
    app.json.sort_keys = False  # keep AAC's field order, as a real response would
    app.extensions["sandbox_backend"] = backend
    app.extensions["sandbox_key"] = key
    if hostile:
        make_hostile(backend.world, emulator.hostile_fields, key)
    install_fault_hooks(app, backend.faults, backend)
    app.register_blueprint(control_blueprint(backend, emulator.hostile_fields, key))
    app.register_blueprint(emulator.blueprint_factory(backend))
    return app


def backend_of(app: Flask) -> Any:
    """The backend object behind an emulator app (for in-process use, e.g. the dashboard's demo mode)."""
    return app.extensions["sandbox_backend"]
