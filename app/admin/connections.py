"""Connections (admins only, like every /admin URL): those of connections.toml read-only, those made here added,
edited, tested and removed; secrets are write-only."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.admin import bp
from app.admin.connection_forms import build_form
from app.audit import record_action
from app.connection_store import (ConnectionChange, as_connection, create_stored, delete_stored, secrets_set,
                                  stored_row, update_stored)
from app.connections import Connection, registry
from app.extensions import db
from app.models import StoredConnection
from app.platforms.forms import ConfirmForm
from app.platforms.registry import PLATFORM_KEYS, platform_name, service_class


@dataclass(frozen=True)
class SettingRow:
    """One setting as the pages show it: a value, or for a secret only whether it is set (and where from)."""

    label: str
    value: str
    secret: bool
    is_set: bool


def setting_rows(connection: Connection) -> list[SettingRow]:
    rows = []
    for setting in service_class(connection.platform).connection_settings:
        if setting.kind == "secret":
            is_set = connection.secret(setting.key) is not None
            env = None if connection.stored else connection.option(f"{setting.key}_env")
            value = ("set" if is_set else "not set") + (f" (environment variable {env})" if env else "")
            rows.append(SettingRow(setting.label, value, True, is_set))
        else:
            value = connection.option(setting.key)
            rows.append(SettingRow(setting.label, "" if value is None else str(value), False, value is not None))
    return rows


def _platform_or_404(platform: str) -> str:
    if platform not in PLATFORM_KEYS:
        abort(404, description=f"There is no platform {platform!r}.")
    return platform


def _connection_or_404(name: str) -> Connection:
    connection = registry().get(name)
    if connection is None:
        abort(404, description=f"There is no connection named {name!r}.")
    return connection


def _stored_or_404(name: str) -> StoredConnection:
    """Only connections made here can change: one from connections.toml is refused with the reason."""
    row = stored_row(name)
    if row is None:
        if name in registry().file_connections:
            abort(403, description=f"{name} comes from connections.toml: change it there and restart Flightdeck.")
        abort(404, description=f"There is no connection named {name!r}.")
    return row


def _audit(action: str, name: str, platform: str, outcome: str = "ok", **extra: Any) -> None:
    """record_action's commit also commits the change, so a change is never kept without its audit row."""
    record_action(action, outcome=outcome, connection=name, platform=platform, object_type="connection",
                  object_id=name, **extra)


@bp.route("/connections")
def connections():
    stored = {row.name: row for row in db.session.execute(db.select(StoredConnection)
                                                         .order_by(StoredConnection.name)).scalars()}
    listed = [*registry().file_connections.values(), *[registry().get(n) for n in stored if registry().get(n)]]
    hidden = [row for name, row in stored.items() if name in registry().file_connections]
    return render_template("admin/connections.html", listed=listed, stored=stored, hidden=hidden,
                           setting_rows=setting_rows, platforms=[(k, platform_name(k)) for k in PLATFORM_KEYS])


@bp.route("/connections/<name>")
def connection(name: str):
    found = _connection_or_404(name)
    return render_template("admin/connection.html", connection=found, rows=setting_rows(found),
                           row=stored_row(name) if found.stored else None, test_form=ConfirmForm(formdata=None))


def _form_page(form, platform: str, row: StoredConnection | None, status: int = 200):
    return render_template("admin/connection_form.html", form=form, platform=platform, row=row,
                           settings=form.settings, secret_kinds={s.key for s in form.settings if s.kind == "secret"}), \
        status


def _refused_save(action: str, form, name: str, platform: str) -> None:
    """A save refused for its addresses is audited: pointing Flightdeck inside the network is worth knowing about."""
    refused = form.refused_addresses()
    if refused:
        _audit(action, name, platform, outcome="refused", error=" ".join(refused),
               params={"base_url": form.base_url.data})


@bp.route("/connections/new")
def connection_pick_platform():
    return render_template("admin/connection_pick.html", platforms=[(k, platform_name(k)) for k in PLATFORM_KEYS])


@bp.route("/connections/new/<platform>", methods=["GET", "POST"])
def connection_new(platform: str):
    platform = _platform_or_404(platform)
    form = build_form(platform, service_class(platform))
    if form.validate_on_submit():
        change = form.change()
        create_stored(form.name.data, change, current_user.username)
        try:
            _audit("connection_create", form.name.data, platform, params=_summary(change))
        except IntegrityError:  # another admin saved the same name since the form was checked
            db.session.rollback()
            form.name.errors = [f"A connection named {form.name.data!r} exists already."]
        else:
            registry().sync()
            flash(f"Added {form.name.data}. Test it below.", "info")
            return redirect(url_for("admin.connection", name=form.name.data))
    if form.is_submitted():
        _refused_save("connection_create", form, form.name.data or "", platform)
    return _form_page(form, platform, None, 400 if form.is_submitted() else 200)


@bp.route("/connections/<name>/edit", methods=["GET", "POST"])
def connection_edit(name: str):
    row = _stored_or_404(name)
    kept = frozenset(secrets_set(row))
    if request.method == "POST":
        form = build_form(row.platform, service_class(row.platform), editing=row, kept_secrets=kept)
    else:
        form = build_form(row.platform, service_class(row.platform), editing=row, kept_secrets=kept,
                          label=row.label, base_url=row.base_url, allowed_network=row.allowed_network,
                          **{f"s_{k}": str(v) for k, v in as_connection(row).options.items()})
    form.name.data = row.name  # names are URLs, token rows and audit history: they never change
    if form.validate_on_submit():
        changed = update_stored(row, form.change(), current_user.username)
        if not changed:
            db.session.rollback()
            flash(f"Nothing changed in {name}.", "info")
            return redirect(url_for("admin.connection", name=name))
        _audit("connection_update", name, row.platform, params={"changed": changed})
        registry().sync()
        flash(f"Saved {name}: {', '.join(c.replace('secret:', '') for c in changed)} changed.", "info")
        return redirect(url_for("admin.connection", name=name))
    if form.is_submitted():
        _refused_save("connection_update", form, name, row.platform)
    return _form_page(form, row.platform, row, 400 if form.is_submitted() else 200)


@bp.route("/connections/<name>/test", methods=["POST"])
def connection_test(name: str):
    """Call the platform now with the connection's credentials and say what answered, or why it failed."""
    found = _connection_or_404(name)
    if not ConfirmForm().validate_on_submit():
        abort(400, description="This form is malformed or expired; reload the page.")
    health = registry().service(name).check_connection()
    outcome = "ok" if health.ok else "failed"
    _audit("connection_test", name, found.platform, outcome=outcome, error=None if health.ok else health.message,
           params={"latency_ms": round(health.latency_ms or 0)})
    took = f"{health.latency_ms:.0f} ms" if health.latency_ms is not None else "no time"
    if health.ok:
        flash(f"Test of {name} passed in {took}: {health.message}.", "info")
    else:
        flash(f"Test of {name} failed after {took}: {health.message}", "error")
    return redirect(url_for("admin.connection", name=name))


@bp.route("/connections/<name>/remove", methods=["GET", "POST"])
def connection_remove(name: str):
    """The confirm step (GET) and the removal (POST): the row and every token held for it go."""
    row = _stored_or_404(name)
    form = ConfirmForm()
    if form.validate_on_submit():
        platform = row.platform
        delete_stored(row)
        _audit("connection_delete", name, platform, params={"base_url": row.base_url})
        registry().sync()
        flash(f"Removed {name} and the tokens held for it.", "info")
        return redirect(url_for("admin.connections"))
    return render_template("admin/connection_remove.html", row=row, form=form), 400 if form.is_submitted() else 200


def _summary(change: ConnectionChange) -> dict[str, Any]:
    """A new connection's audit parameters: its settings, and its secrets by name only (under a key the secret rule
    of app/masking.py leaves alone, since the names are no secret)."""
    return {"base_url": change.base_url, "label": change.label, "allowed_network": change.allowed_network,
            **change.options, "write_only_fields": sorted(change.new_secrets)}
