"""record_action(): the one way to write an audit event."""
from __future__ import annotations

import json
from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from app.extensions import db
from app.masking import mask_secrets
from app.models import AuditEvent

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
    """Write and commit one audit event; `outcome` is ok, failed or refused."""
    event = AuditEvent(
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
    db.session.add(event)
    db.session.commit()
    return event
