"""Platform emulators (moto-style): create_app(key) serves one platform's real paths plus /_sandbox/ controls."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from flask import Blueprint, Flask

from sandbox.common.control import control_blueprint
from sandbox.common.faults import install_fault_hooks


@dataclass(frozen=True)
class Emulator:
    """How to build one platform's emulator: its backend (state) and its blueprint (HTTP layer)."""

    backend_factory: Callable[[int, str], Any]
    blueprint_factory: Callable[[Any], Blueprint]


def _alooma() -> Emulator:
    from sandbox.alooma.models import AloomaBackend
    from sandbox.alooma.routes import alooma_blueprint

    return Emulator(lambda seed, size: AloomaBackend(seed=seed, size=size), alooma_blueprint)


def _aac() -> Emulator:
    from sandbox.aac.models import AacBackend
    from sandbox.aac.routes import aac_blueprint

    return Emulator(lambda seed, size: AacBackend(seed=seed, size=size), aac_blueprint)


def _server() -> Emulator:
    from sandbox.server.models import ServerBackend
    from sandbox.server.routes import server_blueprint

    return Emulator(lambda seed, size: ServerBackend(seed=seed, size=size), server_blueprint)


def _teamstudio() -> Emulator:
    from sandbox.teamstudio.models import TeamStudioBackend
    from sandbox.teamstudio.routes import teamstudio_blueprint

    return Emulator(lambda seed, size: TeamStudioBackend(seed=seed, size=size), teamstudio_blueprint)


def _vantage6() -> Emulator:
    from sandbox.vantage6.models import Vantage6Backend
    from sandbox.vantage6.routes import vantage6_blueprint

    return Emulator(lambda seed, size: Vantage6Backend(seed=seed, size=size), vantage6_blueprint)


def _oidc() -> Emulator:
    from sandbox.oidc.models import OidcBackend
    from sandbox.oidc.routes import oidc_blueprint

    return Emulator(lambda seed, size: OidcBackend(seed=seed, size=size), oidc_blueprint)


# key -> loader, imported lazily so one emulator's import cost is paid only when it is used.
EMULATORS: dict[str, Callable[[], Emulator]] = {"aac": _aac, "alooma": _alooma, "server": _server,
                                               "teamstudio": _teamstudio, "vantage6": _vantage6,
                                               "oidc": _oidc}


def create_app(key: str, seed: int = 1, size: str = "small") -> Flask:
    """A Flask app emulating platform `key`; its backend is app.extensions["sandbox_backend"]."""
    if key not in EMULATORS:
        raise KeyError(f"no emulator for {key!r}; known: {', '.join(sorted(EMULATORS))}")
    emulator = EMULATORS[key]()
    backend = emulator.backend_factory(seed, size)
    app = Flask(f"sandbox.{key}")
    app.json.sort_keys = False  # keep AAC's field order, as a real response would
    app.extensions["sandbox_backend"] = backend
    app.extensions["sandbox_key"] = key
    install_fault_hooks(app, backend.faults, backend)
    app.register_blueprint(control_blueprint(backend))
    app.register_blueprint(emulator.blueprint_factory(backend))
    return app


def backend_of(app: Flask) -> Any:
    """The backend object behind an emulator app (for in-process use, e.g. the dashboard's demo mode)."""
    return app.extensions["sandbox_backend"]
