"""Connections admins make in the browser: read, saved and removed in the database, secrets encrypted together."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from app.connections import DATABASE_SOURCE, Connection
from app.crypto import decrypt, encrypt
from app.extensions import db
from app.models import StoredConnection, StoredToken, utcnow


@dataclass(frozen=True)
class ConnectionChange:
    """What an admin submitted for a stored connection: settings in full, secrets only where typed or cleared."""

    platform: str
    label: str
    base_url: str
    allowed_network: str
    options: dict[str, Any]
    new_secrets: dict[str, str] = field(default_factory=dict, repr=False)
    cleared_secrets: frozenset[str] = frozenset()


def stored_stamp() -> frozenset[tuple[str, str]]:
    """Each stored connection's name and revision: one small query that tells a worker whether to reload."""
    rows = db.session.execute(db.select(StoredConnection.name, StoredConnection.revision)).all()
    return frozenset((name, revision) for name, revision in rows)


def stored_row(name: str) -> StoredConnection | None:
    return db.session.execute(db.select(StoredConnection).filter_by(name=name)).scalar_one_or_none()


def _secrets_of(row: StoredConnection) -> dict[str, str]:
    """The decrypted secrets; unreadable ones (FLIGHTDECK_SECRET_KEY changed) read as not set, never as an error."""
    plain = decrypt(row.secrets)
    try:
        value = json.loads(plain) if plain else {}
    except ValueError:
        value = {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def as_connection(row: StoredConnection) -> Connection:
    return Connection(name=row.name, platform=row.platform, base_url=row.base_url, label=row.label,
                      options=json.loads(row.options or "{}"), source=DATABASE_SOURCE, revision=row.revision,
                      secrets=_secrets_of(row), allowed_network=row.allowed_network)


def load_stored() -> list[Connection]:
    rows = db.session.execute(db.select(StoredConnection).order_by(StoredConnection.name)).scalars()
    return [as_connection(row) for row in rows]


def secrets_set(row: StoredConnection) -> set[str]:
    """Which secrets hold a value: the pages say set or not set, never the value."""
    return {key for key, value in _secrets_of(row).items() if value}


def create_stored(name: str, change: ConnectionChange, actor: str) -> StoredConnection:
    """Add the row (not committed: the audit record commits it with its event)."""
    row = StoredConnection(name=name, platform=change.platform, created_by=actor, secrets=None, options="{}",
                           revision="")
    db.session.add(row)
    _apply(row, change, actor)
    return row


def update_stored(row: StoredConnection, change: ConnectionChange, actor: str) -> list[str]:
    """Apply the change and say which fields it changed (secrets by name only), for the audit row and the flash.

    Tokens held for the connection are dropped when its base URL changes: they belong to the old instance. (AAC's
    rotating chain is replaced by itself when a new refresh token is typed, so a changed secret keeps them.)
    """
    before = _snapshot(row)
    _apply(row, change, actor)
    after = _snapshot(row)
    changed = [key for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]
    if "base_url" in changed:
        drop_tokens(row.name)
    return changed


def delete_stored(row: StoredConnection) -> None:
    """Remove the connection and every token held for it (not committed, like the others)."""
    drop_tokens(row.name)
    db.session.delete(row)


def drop_tokens(name: str) -> None:
    db.session.execute(db.delete(StoredToken).where(StoredToken.connection == name))


def _apply(row: StoredConnection, change: ConnectionChange, actor: str) -> None:
    secrets = {k: v for k, v in _secrets_of(row).items() if k not in change.cleared_secrets}
    secrets.update({k: v for k, v in change.new_secrets.items() if v})
    row.label = change.label
    row.base_url = change.base_url.rstrip("/")
    row.allowed_network = change.allowed_network
    row.options = json.dumps(change.options, sort_keys=True)
    row.secrets = encrypt(json.dumps(secrets, sort_keys=True)) if secrets else None
    row.revision = uuid.uuid4().hex
    row.updated_at = utcnow()
    row.updated_by = actor


def _snapshot(row: StoredConnection) -> dict[str, Any]:
    """The row's fields by name; secrets as one-way tags, so a changed secret is noticed without being kept."""
    fields: dict[str, Any] = {"label": row.label, "base_url": row.base_url, "allowed_network": row.allowed_network,
                              **json.loads(row.options or "{}")}
    for key, value in _secrets_of(row).items():
        fields[f"secret:{key}"] = hash((key, value))
    return fields
