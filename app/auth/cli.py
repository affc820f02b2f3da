"""`flask users …`: create accounts, and the first admin of a new installation."""
from __future__ import annotations

import secrets

import click
from flask import Flask
from flask.cli import AppGroup

from app.extensions import db
from app.models import ROLES, User

users_cli = AppGroup("users", help="Manage local Flightdeck accounts.")


def create_user(username: str, password: str, role: str) -> User:
    if role not in ROLES:
        raise click.BadParameter(f"role must be one of {', '.join(ROLES)}")
    if db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none():
        raise click.BadParameter(f"user {username!r} exists already")
    user = User(username=username, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True)
@click.password_option(help="Prompted for when not given.")
def create_command(username: str, role: str, password: str) -> None:
    """Create a local user."""
    create_user(username, password, role)
    click.echo(f"Created {role} {username}.")


@users_cli.command("bootstrap")
def bootstrap_command() -> None:
    """Create the first admin with a random password, printed once; does nothing when users exist."""
    if db.session.execute(db.select(User).limit(1)).scalar_one_or_none() is not None:
        click.echo("Users exist already; sign in with your account (or `flask users create`).")
        return
    password = secrets.token_urlsafe(12)
    create_user("admin", password, "admin")
    click.echo("First start: created the admin account. This password is shown once; keep it.")
    click.echo(f"  username: admin\n  password: {password}")


@users_cli.command("list")
def list_command() -> None:
    """List users and roles."""
    for user in db.session.execute(db.select(User).order_by(User.username)).scalars():
        click.echo(f"{user.username}\t{user.role}\t{'active' if user.active else 'disabled'}")


def register_cli(app: Flask) -> None:
    app.cli.add_command(users_cli)
