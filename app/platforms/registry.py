"""Platform key -> service class; the one list of platforms the app knows."""
from __future__ import annotations

from importlib import import_module
from typing import Any

PLATFORMS: dict[str, tuple[str, str]] = {
    # key: (module path of the service class, display name)
    "aac": ("app.platforms.aac.service:AacService", "Alteryx Analytics Cloud"),
    "server": ("app.platforms.server.service:ServerService", "Alteryx Server"),
    "teamstudio": ("app.platforms.teamstudio.service:TeamStudioService", "TIBCO Team Studio"),
    "vantage6": ("app.platforms.vantage6.service:Vantage6Service", "vantage6"),
    "alooma": ("app.platforms.alooma.service:AloomaService", "Alooma"),
}
PLATFORM_KEYS = tuple(PLATFORMS)


def platform_name(key: str) -> str:
    return PLATFORMS[key][1] if key in PLATFORMS else key


def service_class(key: str) -> Any:
    module, _, attr = PLATFORMS[key][0].partition(":")
    return getattr(import_module(module), attr)


def blueprints() -> list[Any]:
    """Each platform package exposes `bp`; imported lazily so importing the app does no work."""
    return [import_module(f"app.platforms.{key}").bp for key in PLATFORM_KEYS]
