"""Reads the configured connections and builds one service per connection, once per process."""
from __future__ import annotations

import os
import re
import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, abort, current_app

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
KNOWN_FIELDS = {"name", "platform", "base_url", "label", "sandbox"}


class ConnectionConfigError(ValueError):
    """connections.toml is wrong; the message names the entry and the field."""


@dataclass(frozen=True)
class Connection:
    """One configured platform instance. Secrets are named by environment variable, never stored here."""

    name: str
    platform: str
    base_url: str
    label: str = ""
    sandbox: bool = False
    options: dict[str, Any] = field(default_factory=dict)

    def option(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)

    def secret(self, key: str) -> str | None:
        """The value of the environment variable named by option `<key>_env`, or None."""
        env_name = self.options.get(f"{key}_env")
        return os.environ.get(env_name) if env_name else None

    def secret_env_name(self, key: str) -> str | None:
        return self.options.get(f"{key}_env")

    @property
    def title(self) -> str:
        return self.label or self.name


def parse_connections(text: str, known_platforms: set[str]) -> list[Connection]:
    """Parse connections.toml: a list of [[connection]] tables."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConnectionConfigError(f"connections file is not valid TOML: {exc}") from None
    entries = data.get("connection", [])
    if not isinstance(entries, list):
        raise ConnectionConfigError("use [[connection]] tables, one per connection")
    connections: list[Connection] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        where = f"connection #{index}"
        name = str(entry.get("name", ""))
        if not NAME_PATTERN.match(name):
            raise ConnectionConfigError(f"{where}: name {name!r} must be lowercase letters, digits, - or _")
        if name in seen:
            raise ConnectionConfigError(f"{where}: name {name!r} is used twice")
        platform = entry.get("platform")
        if platform not in known_platforms:
            raise ConnectionConfigError(f"{name}: platform {platform!r} is not one of {sorted(known_platforms)}")
        base_url = str(entry.get("base_url", ""))
        if not base_url.startswith(("http://", "https://")):
            raise ConnectionConfigError(f"{name}: base_url must start with http:// or https://")
        for key, value in entry.items():
            if key.endswith(("secret", "password", "token")) and not key.endswith("_env"):
                raise ConnectionConfigError(
                    f"{name}: put secrets in the environment and name the variable with {key}_env")
        seen.add(name)
        connections.append(Connection(
            name=name, platform=platform, base_url=base_url.rstrip("/"), label=str(entry.get("label", "")),
            sandbox=bool(entry.get("sandbox", False)),
            options={k: v for k, v in entry.items() if k not in KNOWN_FIELDS},
        ))
    return connections


class ConnectionRegistry:
    """The app's connections and their services; a service (and its HTTP session) is built once per process."""

    def __init__(self, connections: list[Connection]) -> None:
        self.connections = {c.name: c for c in connections}
        self._services: dict[str, Any] = {}
        self._lock = threading.Lock()

    def all(self, platform: str | None = None) -> list[Connection]:
        return [c for c in self.connections.values() if platform is None or c.platform == platform]

    def get(self, name: str, platform: str | None = None) -> Connection | None:
        connection = self.connections.get(name)
        if connection is None or (platform is not None and connection.platform != platform):
            return None
        return connection

    def service(self, name: str) -> Any:
        from app.platforms.registry import service_class

        with self._lock:
            if name not in self._services:
                connection = self.connections[name]
                self._services[name] = service_class(connection.platform)(connection, current_app.config)
            return self._services[name]


def load_connections(app: Flask) -> ConnectionRegistry:
    from app.platforms.registry import PLATFORM_KEYS

    path = Path(app.config["CONNECTIONS_FILE"])
    connections = parse_connections(path.read_text(), set(PLATFORM_KEYS)) if path.exists() else []
    return ConnectionRegistry(connections)


def register_connections(app: Flask) -> None:
    app.extensions["flightdeck.connections"] = load_connections(app)


def registry() -> ConnectionRegistry:
    return current_app.extensions["flightdeck.connections"]


def service_or_404(name: str, platform: str) -> Any:
    """The service of a connection named in a URL; an unknown connection is a 404 page."""
    if registry().get(name, platform) is None:
        abort(404, description=f"No {platform} connection is named {name!r}.")
    return registry().service(name)
