"""`flask audit …`: verify the audit log's hash chain, and prune rows past the retention (the only deletion).

Pruning is a command, never a route: it removes the oldest rows only (a prefix in id order), always keeps the
newest row so that the chain goes on from it, and records an `audit_prune` event carrying the hash of the last
row it removed. That hash is the anchor the first remaining row chains to, and verify accepts it as the chain's
start. Both happen in one transaction under the chain lock, so no prune is ever left without its event.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import delete, func, select

from app.audit import record_action
from app.audit_chain import PRUNE_ACTION, chain_lock, verify_chain
from app.extensions import db
from app.models import AuditEvent, utcnow

audit_cli = AppGroup("audit", help="The audit log: verify its hash chain, prune rows past the retention.")


@dataclass(frozen=True)
class PruneResult:
    """What one prune removed: how many rows, before which time, and the anchor the chain now starts from."""

    count: int
    cutoff: datetime
    anchor: str | None
    first_kept: int | None


def prune_before(cutoff: datetime, retention_days: int) -> PruneResult:
    """Delete the rows before `cutoff` from the oldest end and record `audit_prune`, in one transaction.

    The prefix ends at the first row at or after the cutoff (a late row with an old time does not pull newer rows
    out with it), and never includes the newest row, which the chain continues from.
    """
    session = db.session
    with chain_lock(session):
        newest = session.scalar(select(func.max(AuditEvent.id)))
        if newest is None:
            return PruneResult(0, cutoff, None, None)
        first_recent = session.scalar(select(func.min(AuditEvent.id)).where(AuditEvent.at >= cutoff))
        first_kept = newest if first_recent is None else min(first_recent, newest)
        count = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.id < first_kept))
        anchor = session.scalar(select(AuditEvent.row_hash).where(AuditEvent.id < first_kept)
                                .order_by(AuditEvent.id.desc()).limit(1))
        if count:
            session.execute(delete(AuditEvent).where(AuditEvent.id < first_kept),
                            execution_options={"synchronize_session": False})
        # record_action takes the (reentrant) lock again and commits the deletion together with the event
        record_action(PRUNE_ACTION, outcome="ok", object_type="audit_log", username="cli",
                      params={"count": count, "cutoff": cutoff.isoformat(), "retention_days": retention_days,
                              "anchor": anchor, "first_kept": first_kept})
    return PruneResult(count, cutoff, anchor, first_kept)


@audit_cli.command("verify")
def verify_command() -> None:
    """Walk the hash chain; exit 1 and name the row where it breaks."""
    report = verify_chain(db.session)
    click.echo(report.summary)
    if not report.intact:
        raise SystemExit(1)


@audit_cli.command("prune")
@click.option("--force", is_flag=True,
              help="Prune even when the chain is broken (the rows that show the break may go with it).")
def prune_command(force: bool) -> None:
    """Delete rows older than FLIGHTDECK_AUDIT_RETENTION_DAYS (0 keeps everything); run it from cron."""
    days = int(current_app.config.get("AUDIT_RETENTION_DAYS") or 0)
    if days <= 0:
        click.echo("FLIGHTDECK_AUDIT_RETENTION_DAYS is 0: the audit log is kept forever, nothing pruned.")
        return
    report = verify_chain(db.session)
    if not report.intact and not force:
        click.echo(f"Refusing to prune: the chain is {report.summary}. Look at /admin/audit/verify first; "
                   "--force prunes anyway.", err=True)
        raise SystemExit(1)
    db.session.rollback()  # end the verify's read transaction before taking the lock
    result = prune_before(utcnow() - timedelta(days=days), days)
    if not result.count:
        click.echo(f"Nothing to prune: no audit rows before {result.cutoff.isoformat()} (retention {days} days).")
        return
    start = f"the prune anchor {result.anchor}" if result.anchor else "its first chained row"
    click.echo(f"Pruned {result.count} audit rows before {result.cutoff.isoformat()} (retention {days} days); "
               f"the chain now starts from {start}.")


def register_audit_cli(app: Flask) -> None:
    app.cli.add_command(audit_cli)
