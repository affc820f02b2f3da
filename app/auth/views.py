"""Local sign-in with hashed passwords; every sign-in attempt is audited."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from app.audit import record_action
from app.auth import bp
from app.auth.forms import LoginForm
from app.extensions import db
from app.models import User, utcnow


def safe_next(target: str | None) -> str:
    """Only same-site relative paths; anything else goes to the front page."""
    if not target:
        return url_for("overview.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("overview.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.execute(db.select(User).filter_by(username=form.username.data)).scalar_one_or_none()
        if user is None or not user.check_password(form.password.data) or not user.active:
            record_action("sign_in", outcome="refused", username=form.username.data[:80], error="bad credentials")
            flash("Wrong username or password.", "error")
            return render_template("auth/login.html", form=form), 401
        login_user(user)
        user.last_login_at = utcnow()
        db.session.commit()
        record_action("sign_in", outcome="ok")
        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        record_action("sign_out", outcome="ok")
    logout_user()
    flash("Signed out.", "info")
    return redirect(url_for("auth.login"))
