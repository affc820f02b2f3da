"""The front page: every connection's tile, headline figures and charts across all of them."""
from __future__ import annotations

from flask import jsonify, render_template
from flask_login import login_required

from app.charts import count_by, runs_per_day_by_status, success_rate_by
from app.connections import registry
from app.fanout import gather
from app.overview import bp
from app.overview.summary import collect, headline, now_utc, tile
from app.platforms.registry import platform_name


@bp.route("/")
@login_required
def index():
    connections = registry().all()
    outcomes = gather([c.name for c in connections], collect)
    now = now_utc()
    tiles = [tile(c, outcomes[c.name], now) for c in connections]
    runs = [r for t in tiles for r in t.runs]
    schedules = [s for t in tiles for s in t.schedules]
    charts = {}
    if runs:
        charts["per_day"] = runs_per_day_by_status(runs, now)
        charts["success"] = success_rate_by(runs, lambda r: platform_name(r.platform))
    if schedules:
        charts["owners"] = count_by((s.owner for s in schedules), "schedules")
    return render_template("overview/index.html", tiles=tiles, totals=headline(tiles), charts=charts)


@bp.route("/healthz")
def healthz():
    """For load balancers: the process answers and the database is reachable."""
    from app.extensions import db
    db.session.execute(db.text("SELECT 1"))
    return jsonify({"status": "ok"})
