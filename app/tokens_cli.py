"""`flask tokens …`: see and refresh connection tokens from a shell or a cron job."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from app.audit import record_action
from app.connections import registry
from app.errors import PlatformError

tokens_cli = AppGroup("tokens", help="Platform tokens of the configured connections.")


def _token_services(name: str | None) -> list:
    services = []
    registry().sync()  # the stored connections too: a shell has no request to sync them before
    for connection in registry().all():
        if name and connection.name != name:
            continue
        service = registry().service(connection.name)
        if service.supports_token_refresh:
            services.append(service)
    if name and not services:
        raise click.BadParameter(f"no connection {name!r} with a refreshable token")
    return services


@tokens_cli.command("status")
@click.argument("name", required=False)
def status_command(name: str | None) -> None:
    """Expiry and last refresh outcome per connection (never the tokens)."""
    for service in _token_services(name):
        for info in service.token_info():
            expires = info.expires_at.isoformat() if info.expires_at else "not fetched"
            click.echo(f"{service.name}\t{info.kind}\texpires {expires}\t{info.last_outcome or '-'}\t"
                       f"{info.last_error or ''}")


@tokens_cli.command("refresh")
@click.argument("name", required=False)
def refresh_command(name: str | None) -> None:
    """Refresh now (all connections, or NAME); run it from cron to keep idle refresh tokens alive."""
    failed = False
    for service in _token_services(name):
        try:
            info = service.refresh_token()
        except PlatformError as error:
            failed = True
            record_action("token_refresh", outcome="failed", connection=service.name, platform=service.platform,
                          object_type="token", error=error.describe(), username="cli")
            click.echo(f"{service.name}\tfailed\t{error.describe()}", err=True)
        else:
            record_action("token_refresh", outcome="ok", connection=service.name, platform=service.platform,
                          object_type="token", params={"expires_at": info.expires_at}, username="cli")
            click.echo(f"{service.name}\tok\texpires {info.expires_at.isoformat() if info.expires_at else '-'}")
    if failed:
        raise SystemExit(1)


def register_tokens_cli(app: Flask) -> None:
    app.cli.add_command(tokens_cli)
