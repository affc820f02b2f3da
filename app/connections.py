"""Reads the configured connections and builds one service per connection, once per process."""
from __future__ import annotations

import os
import re
import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, abort, current_app, request

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
KNOWN_FIELDS = {"name", "platform", "base_url", "label", "sandbox"}
FILE_SOURCE = "file"
DATABASE_SOURCE = "database"


class ConnectionConfigError(ValueError):
    """connections.toml is wrong; the message names the entry and the field."""


@dataclass(frozen=True)
class Connection:
    """One platform instance: from connections.toml (secrets named by environment variable) or made by an admin in
    the browser (secrets stored encrypted with it, decrypted here only in memory and never in its repr)."""

    name: str
    platform: str
    base_url: str
    label: str = ""
    sandbox: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    source: str = FILE_SOURCE  # FILE_SOURCE or DATABASE_SOURCE
    revision: str = ""  # changes on every save of a stored connection; part of its cache keys
    secrets: dict[str, str] = field(default_factory=dict, repr=False)
    allowed_network: str = ""  # the private range an admin allowed a stored connection's addresses to be in

    def option(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)

    @property
    def stored(self) -> bool:
        """Made in the browser: editable there, unlike connections.toml's, which stay read-only."""
        return self.source == DATABASE_SOURCE

    def secret(self, key: str) -> str | None:
        """The secret `key`: stored with the connection, or the environment variable named by option `<key>_env`."""
        if self.stored:
            return self.secrets.get(key) or None
        env_name = self.options.get(f"{key}_env")
        return os.environ.get(env_name) if env_name else None

    def has_secret(self, key: str) -> bool:
        """Whether the connection is set up with this secret (for a file connection: names its variable)."""
        return bool(self.secrets.get(key)) if self.stored else bool(self.options.get(f"{key}_env"))

    def secret_place(self, key: str) -> str:
        """Where a person fixes the secret, for messages: the variable (and the restart it needs) or the form."""
        if self.stored:
            return f"the connection's {key.replace('_', ' ')} (Admin > Connections > {self.name} > Edit)"
        env_name = self.options.get(f"{key}_env")
        where = f"the environment variable {env_name}" if env_name else f"the environment variable named by {key}_env"
        return f"{where} (restart Flightdeck after changing it)"

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
    """The app's connections and their services; a service (and its HTTP session) is built once per process.

    connections.toml is read once at start. Stored connections (made in the browser) are synced before each request
    from a one-query stamp, so an edit made in one gunicorn worker is seen by every other at its next request; a
    service whose connection changed is built anew. A file connection wins over a stored one of the same name.
    """

    def __init__(self, connections: list[Connection]) -> None:
        self.file_connections = {c.name: c for c in connections}
        self.connections = dict(self.file_connections)
        self._services: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._stamp: frozenset[tuple[str, str]] | None = None

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

    def sync(self) -> None:
        """Take in stored connections added, edited or removed since the last request (in any worker)."""
        from app.connection_store import load_stored, stored_stamp

        stamp = stored_stamp()
        if stamp == self._stamp:
            return
        stored = {c.name: c for c in load_stored() if c.name not in self.file_connections}
        with self._lock:
            merged = {**self.file_connections, **stored}
            for name in list(self._services):
                if merged.get(name) != self.connections.get(name):
                    del self._services[name]
            self.connections = merged
            self._stamp = stamp


def load_connections(app: Flask) -> ConnectionRegistry:
    from app.platforms.registry import PLATFORM_KEYS

    path = Path(app.config["CONNECTIONS_FILE"])
    connections = parse_connections(path.read_text(), set(PLATFORM_KEYS)) if path.exists() else []
    return ConnectionRegistry(connections)


def register_connections(app: Flask) -> None:
    app.extensions["flightdeck.connections"] = load_connections(app)

    @app.before_request
    def sync_stored_connections() -> None:
        if request.endpoint != "static":
            registry().sync()


def registry() -> ConnectionRegistry:
    return current_app.extensions["flightdeck.connections"]


def service_or_404(name: str, platform: str) -> Any:
    """The service of a connection named in a URL; an unknown connection is a 404 page."""
    if registry().get(name, platform) is None:
        abort(404, description=f"No {platform} connection is named {name!r}.")
    return registry().service(name)
