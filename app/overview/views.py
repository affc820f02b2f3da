"""The front page: every configured connection, with links to its pages."""
from __future__ import annotations

from flask import jsonify, render_template
from flask_login import login_required

from app.connections import registry
from app.overview import bp
from app.platforms.registry import platform_name


@bp.route("/")
@login_required
def index():
    connections = registry().all()
    return render_template("overview/index.html", connections=connections, platform_name=platform_name)


@bp.route("/healthz")
def healthz():
    """For load balancers: the process answers and the database is reachable."""
    from app.extensions import db
    db.session.execute(db.text("SELECT 1"))
    return jsonify({"status": "ok"})
