"""The values a workflow was last started with from Flightdeck, so its next run form starts from them."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from app.masking import looks_secret
from app.extensions import db
from app.models import RunRecord


@dataclass(frozen=True)
class LastUsed:
    """The parameters and run settings of the latest run of one workflow, and who started it when."""

    username: str
    started_at: datetime
    params: dict[str, str] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)


def remember(record: RunRecord, params: dict[str, str], options: dict[str, str]) -> None:
    """Keep what a run is started with on its record (committed with it); a secret-looking value is not kept,
    so it is never offered to the next person who opens the form."""
    record.params = json.dumps({"params": shareable(params), "options": shareable(options)}, sort_keys=True)


def shareable(values: dict[str, str]) -> dict[str, str]:
    """The values whose names do not look secret (app.masking's rule)."""
    return {k: v for k, v in values.items() if not looks_secret(k)}


def last_used(connection: str, kind: str, target_id: str) -> LastUsed | None:
    """The newest run of this workflow that kept its values, by anyone; None when there is none.

    Shared across operators on purpose: the last values anyone ran with are the likeliest next ones.
    """
    record = db.session.execute(
        db.select(RunRecord).filter_by(connection=connection, target_kind=kind, target_id=target_id)
        .where(RunRecord.params.is_not(None)).order_by(RunRecord.started_at.desc(), RunRecord.id.desc()).limit(1)
    ).scalar_one_or_none()
    if record is None:
        return None
    try:
        kept = json.loads(record.params or "")
    except ValueError:
        return None
    if not isinstance(kept, dict):
        return None
    return LastUsed(record.username, record.started_at, _strings(kept.get("params")), _strings(kept.get("options")))


def _strings(value: object) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
