"""Local sign-in with hashed passwords; every sign-in attempt is audited, guessing is rate limited and locks the
account (app/auth/ratelimit.py, app/auth/lockout.py)."""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

from app.audit import record_action
from app.auth import bp
from app.auth.forms import LoginForm
from app.auth.lockout import is_locked, locked_message, note_failure, note_success
from app.auth.ratelimit import limiter, login_rate
from app.extensions import db
from app.models import User, utcnow

# Browsers read a backslash as a slash and drop tabs and newlines inside a URL, so "/\\evil" and "/\t/evil" lead
# off-site like "//evil" does; whitespace and control characters have no place in a target as typed.
UNSAFE_IN_NEXT = re.compile(r"[\\\x00-\x20\x7f]")
UNSAFE_DECODED = re.compile(r"[\\\x00-\x1f\x7f]")  # once decoded, a space (%20) is harmless; the rest is not
WRONG_CREDENTIALS = "Wrong username or password."


def _off_site(target: str) -> bool:
    """Whether a browser could read `target` as another site's address."""
    parts = urlsplit(target)
    return bool(parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"))


def safe_next(target: str | None) -> str:
    """Only same-site relative paths; anything else goes to the front page.

    The path is checked percent-decoded too, so an encoded "/%2F%2Fevil" or "/%5Cevil" is refused like its plain
    form (a proxy or a later redirect may decode it)."""
    if not target or _off_site(target) or UNSAFE_IN_NEXT.search(target):
        return url_for("overview.index")
    decoded = unquote(target)
    if _off_site(decoded) or UNSAFE_DECODED.search(decoded):
        return url_for("overview.index")
    return target


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to check an unknown username's password against, so that both answers take the same time."""
    return generate_password_hash("flightdeck-no-such-user")


def _password_ok(user: User | None, password: str) -> bool:
    """Whether a local account's password is right; SSO accounts have none here."""
    if user is None or user.auth_source != "local":
        check_password_hash(_dummy_hash(), password)
        return False
    return user.check_password(password)


def _refuse(form: LoginForm, error: str, message: str, status: int):
    """Audit a refused sign-in and show the form again with `message`."""
    record_action("sign_in", outcome="refused", username=form.username.data[:80], error=error)
    flash(message, "error")
    return render_template("auth/login.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_rate, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.execute(db.select(User).filter_by(username=form.username.data)).scalar_one_or_none()
        if user is not None and is_locked(user):  # refused before the password is looked at
            return _refuse(form, "account locked", locked_message(user), 403)
        if not _password_ok(user, form.password.data):
            if user is not None and user.auth_source == "local" and note_failure(user):
                return _refuse(form, "bad credentials", locked_message(user), 403)
            return _refuse(form, "bad credentials", WRONG_CREDENTIALS, 401)
        if not user.active:
            return _refuse(form, "bad credentials", WRONG_CREDENTIALS, 401)
        login_user(user)
        note_success(user)
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
