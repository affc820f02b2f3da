"""What every platform service declares and shares: capabilities, the HTTP client and cache keys."""
from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from app.connections import Connection
from app.errors import NotSupported
from app.http import HttpSettings
from app.tokens import TokenSettings


class PlatformService:
    """Base of <Key>Service: capability flags the pages read, and NotSupported for the rest."""

    platform: ClassVar[str]
    display_name: ClassVar[str]
    supports_run: ClassVar[bool] = False
    supports_cancel: ClassVar[bool] = False
    supports_schedule_toggle: ClassVar[bool] = False
    supports_token_refresh: ClassVar[bool] = False

    def __init__(self, connection: Connection, config: Any) -> None:
        self.connection = connection
        self.name = connection.name
        self.http_settings = HttpSettings.from_config(config)
        self.token_settings = TokenSettings(
            lock_dir=Path(config["LOCK_DIR"]), refresh_margin=int(config["TOKEN_REFRESH_MARGIN"]),
            http=self.http_settings)

    def not_supported(self, action: str) -> NotSupported:
        return NotSupported(self.name, f"{self.display_name} does not support {action}")

    # Every service implements these reads (CONNECTORS.md says what each returns and raises).
    REQUIRED_READS: ClassVar[tuple[str, ...]] = (
        "schedules", "schedule", "runs", "recent_runs", "run", "workflows", "workflow")

    # Optional actions: a service sets the matching supports_* flag and overrides the method.
    def start_run(self, kind: str, target_id: str, params: dict[str, str], execution_id: str) -> str | None:
        raise self.not_supported("starting runs")

    def set_schedule_enabled(self, schedule_id: str, enabled: bool) -> Any:
        raise self.not_supported("enabling or disabling schedules")

    def token_info(self) -> Any:
        raise self.not_supported("token refresh")

    def refresh_token(self) -> Any:
        raise self.not_supported("token refresh")
