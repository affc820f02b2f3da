"""The one reader of the platforms' ISO-8601 timestamps."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any


def parse_time(value: Any) -> datetime | None:
    """An ISO-8601 string as an aware UTC datetime; a value with no offset is UTC (as every platform here
    documents), and anything unreadable is absent rather than an error.

    Handles "2025-05-01T06:30:02.114Z" (AAC, Server), "2017-02-28T21:35:54Z" (Team Studio's Chorus) and
    "2017-04-25T15:00:35.178-0700" (its engine)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
