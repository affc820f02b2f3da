"""Database models: users, stored platform tokens, audit events, runs and sweeps started from Flightdeck."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db

ROLES = ("viewer", "operator", "admin")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UtcDateTime(db.TypeDecorator):
    """Stores UTC and always reads back timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value


class User(UserMixin, db.Model):
    """A local account; role is one of ROLES and is checked on the server for every action."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False, default="viewer")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # "local" (a password here, for break-glass admins) or "sso" (the identity provider vouches; no password)
    auth_source: Mapped[str] = mapped_column(String(16), nullable=False, default="local", server_default="local")
    sso_subject: Mapped[str | None] = mapped_column(String(255), nullable=True, unique=True, index=True)
    failed_logins: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def has_role(self, needed: str) -> bool:
        """Roles are ordered: admin can do what an operator can, an operator what a viewer can."""
        return ROLES.index(self.role) >= ROLES.index(needed)


class StoredToken(db.Model):
    """The current OAuth token pair of one connection, encrypted at rest."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    connection: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    access_token: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    refresh_token: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    token_endpoint: Mapped[str | None] = mapped_column(String(500), nullable=True)
    seed_fingerprint: Mapped[str | None] = mapped_column(String(32), nullable=True)
    refreshed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_outcome: Mapped[str | None] = mapped_column(String(32), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    generation: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class AuditEvent(db.Model):
    """One action somebody took: who, when, from where, on what, with which outcome."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(80), nullable=False, index=True)
    remote_addr: Mapped[str | None] = mapped_column(String(64), nullable=True)
    connection: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True)
    platform: Mapped[str | None] = mapped_column(String(32), nullable=True)
    object_type: Mapped[str | None] = mapped_column(String(40), nullable=True)
    object_id: Mapped[str | None] = mapped_column(String(120), nullable=True)
    action: Mapped[str] = mapped_column(String(60), nullable=False, index=True)
    params: Mapped[str | None] = mapped_column(Text, nullable=True)
    outcome: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    # the hash chain: each row's hash covers its fields and the previous row's hash (app/audit.py)
    prev_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    row_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)


class RunRecord(db.Model):
    """A run started from Flightdeck, keyed by the execution id its form carried (one click, one run)."""

    __tablename__ = "run_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    execution_id: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    connection: Mapped[str] = mapped_column(String(80), nullable=False)
    platform: Mapped[str] = mapped_column(String(32), nullable=False)
    target_kind: Mapped[str] = mapped_column(String(32), nullable=False)
    target_id: Mapped[str] = mapped_column(String(120), nullable=False)
    run_id: Mapped[str | None] = mapped_column(String(120), nullable=True)
    username: Mapped[str] = mapped_column(String(80), nullable=False)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    # the values the run was started with, as JSON {"params": {...}, "options": {...}}: the next run form of the
    # same workflow starts from them
    params: Mapped[str | None] = mapped_column(Text, nullable=True)
    sweep_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)


class Sweep(db.Model):
    """A parameter sweep: one workflow run once per value of one variable, its runs charted side by side.

    Its runs are the RunRecords carrying its id; the id is also the sweep form's execution id, so a
    second submit of one form finds the sweep the first one started.
    """

    __tablename__ = "sweeps"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    connection: Mapped[str] = mapped_column(String(80), nullable=False, index=True)
    platform: Mapped[str] = mapped_column(String(32), nullable=False)
    workflow_id: Mapped[str] = mapped_column(String(120), nullable=False)
    workflow_name: Mapped[str] = mapped_column(String(255), nullable=False)
    variable: Mapped[str] = mapped_column(String(120), nullable=False)
    values: Mapped[str] = mapped_column(Text, nullable=False)  # JSON list, in the order given
    username: Mapped[str] = mapped_column(String(80), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)

    @property
    def value_list(self) -> list[str]:
        return [str(v) for v in json.loads(self.values)]


class StoredConnection(db.Model):
    """A connection an admin made in the browser: settings in the clear, secrets encrypted together (app/crypto.py).

    `revision` changes on every save, so each worker notices an edit made in another (app/connection_store.py) and
    cached reads of the connection's old settings are never served for its new ones (app/cache.py).
    """

    __tablename__ = "connections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(63), unique=True, nullable=False)
    platform: Mapped[str] = mapped_column(String(32), nullable=False)
    label: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    base_url: Mapped[str] = mapped_column(String(500), nullable=False)
    options: Mapped[str] = mapped_column(Text, nullable=False, default="{}")  # JSON of the non-secret settings
    secrets: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # Fernet of a JSON object
    # the private network (CIDR) an admin allowed the connection's addresses to be in; empty: public addresses only
    allowed_network: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    revision: Mapped[str] = mapped_column(String(32), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(80), nullable=False)
