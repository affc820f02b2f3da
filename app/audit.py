"""record_action(): the one way to write an audit event, chained by hash to the one before (app/audit_chain.py).

Audit rows are append-only: nothing updates them, and the only deletion is `flask audit prune` (app/audit_cli.py).
"""
from __future__ import annotations

import json
from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from app.audit_chain import chain_lock, chain_tail, row_hash
from app.extensions import db
from app.masking import mask_secrets
from app.models import AuditEvent, utcnow

REDACTED = "[redacted]"


def redact(value: Any) -> Any:
    """Drop the values of secret-looking keys at any depth (app.masking's rule), so parameters can be kept safely."""
    return mask_secrets(value, REDACTED)


def _actor() -> str:
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user.username
    return "system"


def record_action(
    action: str,
    *,
    outcome: str,
    connection: str | None = None,
    platform: str | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    params: dict[str, Any] | None = None,
    error: str | None = None,
    username: str | None = None,
) -> AuditEvent:
    """Write and commit one audit event; `outcome` is ok, failed or refused.

    The commit also commits whatever else the session holds (callers rely on that). The time, the previous row's
    hash and this row's hash are all settled under the chain lock, so rows chain in id order and two requests
    (threads, gunicorn workers) never chain to the same previous row.
    """
    fields = dict(
        username=username or _actor(),
        remote_addr=request.remote_addr if has_request_context() else None,
        connection=connection,
        platform=platform,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        action=action,
        params=json.dumps(redact(params), sort_keys=True, default=str) if params else None,
        outcome=outcome,
        error=error,
    )
    with chain_lock(db.session):
        event = AuditEvent(at=utcnow(), **fields)
        event.prev_hash = chain_tail(db.session)
        event.row_hash = row_hash(event, event.prev_hash)
        db.session.add(event)
        db.session.commit()
    return event
