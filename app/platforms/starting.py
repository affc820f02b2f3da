"""Starting one run from Flightdeck: the execution id claimed first, the platform called, the outcome audited.

The run form and the parameter sweep both start runs this way, so a double click, an ambiguous answer and
the audit trail behave the same for both.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_login import current_user

from app.audit import record_action
from app.cache import invalidate_after_action
from app.errors import PlatformError, RateLimited, Unavailable
from app.extensions import db
from app.models import RunRecord
from app.platforms.records import Workflow
from app.platforms.run_memory import remember


@dataclass
class Started:
    """What came of one start: the record (None when nothing is kept), or the error and whether the run may
    have started anyway (a timeout or 5xx: the record is then kept so a resubmit cannot start it twice)."""

    record: RunRecord | None
    error: PlatformError | None = None
    ambiguous: bool = False


def start_recorded_run(svc: Any, workflow: Workflow, params: dict[str, str], options: dict[str, str],
                       execution_id: str, *, sweep_id: str | None = None,
                       audit_extra: dict[str, str] | None = None) -> Started:
    """Claim `execution_id`, start the run on the platform, keep its run id and audit `run_start`."""
    params = {k: v.strip() for k, v in params.items()}
    options = {k: v.strip() for k, v in options.items()}
    settings = {f"run {k}": v for k, v in options.items()}  # kept apart from answers of the same name
    audit = dict(connection=svc.name, platform=svc.platform, object_type=workflow.kind, object_id=workflow.id)
    said = {"name": workflow.name, **(audit_extra or {}), **settings, **params}
    record = RunRecord(execution_id=execution_id, connection=svc.name, platform=svc.platform,
                       target_kind=workflow.kind, target_id=workflow.id, username=current_user.username,
                       sweep_id=sweep_id)
    remember(record, params, options)
    db.session.add(record)
    db.session.commit()  # claims the execution id before the platform is called
    try:
        run_id = svc.start_run(workflow.kind, workflow.id, params, execution_id, options)
    except PlatformError as error:
        ambiguous = isinstance(error, Unavailable) and not isinstance(error, RateLimited)
        record_action("run_start", outcome="unknown" if ambiguous else "failed", params=said,
                      error=error.describe(), **audit)
        if not ambiguous:
            db.session.delete(record)
            db.session.commit()
        return Started(record if ambiguous else None, error, ambiguous)
    record.run_id = run_id
    db.session.commit()
    invalidate_after_action(svc.name)
    record_action("run_start", outcome="ok", params={**said, "run_id": run_id}, **audit)
    return Started(record)
