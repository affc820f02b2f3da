"""Flightdeck's own users (admins only, like every /admin URL): list, create, disable, role, password, unlock."""
from __future__ import annotations

import math

from click import BadParameter
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.admin import bp
from app.admin.user_forms import NewUserForm, PasswordResetForm, RoleForm
from app.audit import record_action
from app.auth.cli import create_user
from app.auth.lockout import is_locked
from app.extensions import db
from app.listing import search_text
from app.models import ROLES, User, utcnow
from app.pagination import Page, clamp_page, requested_per_page
from app.platforms.forms import ConfirmForm

STATES = ("active", "disabled", "locked")
SSO_PASSWORD_REFUSAL = ("{name} signs in through single sign-on: Flightdeck keeps no password for this account. "
                        "Change it at the identity provider.")


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404, description=f"There is no user with id {user_id}.")
    return user


def active_admin_count() -> int:
    query = db.select(db.func.count()).select_from(User).where(User.role == "admin", User.active.is_(True))
    return db.session.execute(query).scalar_one()


def change_refusal(actor: User, target: User, *, disabling: bool = False, new_role: str | None = None,
                   active_admins: int) -> str | None:
    """Why an admin may not make this change, or None. Flightdeck must always keep one admin who can sign in,
    and nobody locks themselves out by accident: somebody else has to do that."""
    loses_admin = target.active and target.role == "admin" and (disabling or (new_role not in (None, "admin")))
    if disabling and target.id == actor.id:
        return "You cannot disable your own account; another admin has to do that."
    if loses_admin and target.id == actor.id:
        return "You cannot remove your own admin role; another admin has to do that."
    if loses_admin and active_admins <= 1:
        return f"{target.username} is the last active admin; make another user admin first."
    return None


def _audit(action: str, user: User, outcome: str = "ok", **extra) -> None:
    """Audit a change to one user; record_action's commit also commits the change, so neither is kept alone."""
    record_action(action, outcome=outcome, object_type="user", object_id=user.username, **extra)


def _back(user: User):
    return redirect(url_for("admin.user", user_id=user.id))


def _user_query():
    """The users the list's query string asks for: a search in the username, a role and a state."""
    query = db.select(User)
    q = search_text(request.args)
    if q:
        query = query.where(db.func.lower(User.username).contains(q.lower(), autoescape=True))
    role = request.args.get("role", "")
    if role in ROLES:
        query = query.where(User.role == role)
    state = request.args.get("state", "")
    if state == "active":
        query = query.where(User.active.is_(True))
    elif state == "disabled":
        query = query.where(User.active.is_(False))
    elif state == "locked":
        query = query.where(User.locked_until > utcnow())
    return query, q, role if role in ROLES else "", state if state in STATES else ""


@bp.route("/users")
def users():
    query, q, role, state = _user_query()
    total = db.session.execute(db.select(db.func.count()).select_from(query.subquery())).scalar_one()
    per_page = requested_per_page()
    page_number = min(clamp_page(request.args.get("page")), max(1, math.ceil(total / per_page)))
    rows = db.session.execute(query.order_by(db.func.lower(User.username), User.id)
                              .limit(per_page).offset((page_number - 1) * per_page)).scalars().all()
    return render_template("admin/users.html", page=Page(rows, page_number, per_page, total), q=q, role=role,
                           state=state, roles=ROLES, states=STATES, is_locked=is_locked)


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    """A local user; hashed exactly as `flask users create` does, since both go through create_user."""
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = create_user(form.username.data, form.password.data, form.role.data)
        except BadParameter as error:  # a user of that name appeared since the form was checked
            form.username.errors = [*form.username.errors, error.message]
        else:
            _audit("user_create", user, params={"role": user.role, "auth_source": user.auth_source})
            flash(f"Created {user.role} {user.username}.", "info")
            return _back(user)
    return render_template("admin/user_form.html", form=form), 400 if form.is_submitted() else 200


def _user_page(user: User, role_form: RoleForm | None = None, password_form: PasswordResetForm | None = None,
               status: int = 200):
    if role_form is None:
        role_form = RoleForm(formdata=None, role=user.role)
    return render_template("admin/user.html", user=user, locked=is_locked(user), role_form=role_form,
                           password_form=password_form or PasswordResetForm(formdata=None),
                           unlock_form=ConfirmForm(formdata=None)), status


@bp.route("/users/<int:user_id>")
def user(user_id: int):
    return _user_page(_user_or_404(user_id))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
def user_role(user_id: int):
    target = _user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _user_page(target, role_form=form, status=400)
    old, new = target.role, form.role.data
    if old == new:
        flash(f"{target.username} is {old} already; nothing changed.", "info")
        return _back(target)
    params = {"old_role": old, "new_role": new}
    refusal = change_refusal(current_user, target, new_role=new, active_admins=active_admin_count())
    if refusal:
        _audit("user_role", target, outcome="refused", params=params, error=refusal)
        flash(f"{refusal} Nothing changed.", "error")
        return _back(target)
    target.role = new
    _audit("user_role", target, params=params)
    flash(f"{target.username} is now {new} (was {old}).", "info")
    return _back(target)


@bp.route("/users/<int:user_id>/password", methods=["POST"])
def user_password(user_id: int):
    target = _user_or_404(user_id)
    if target.auth_source != "local":
        refusal = SSO_PASSWORD_REFUSAL.format(name=target.username)
        _audit("user_password_reset", target, outcome="refused", error=refusal)
        flash(refusal, "error")
        return _back(target)
    form = PasswordResetForm()
    if not form.validate_on_submit():
        return _user_page(target, password_form=form, status=400)
    target.set_password(form.password.data)
    _audit("user_password_reset", target)  # never the password, not even hashed
    flash(f"New password set for {target.username}; tell them over a channel other than email.", "info")
    return _back(target)


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
def user_unlock(user_id: int):
    """Clear the failed sign-ins and the lock they caused, so the user can try again at once."""
    target = _user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, description="This form is malformed or expired; reload the page.")
    params = {"failed_logins": target.failed_logins, "locked_until": target.locked_until}
    target.failed_logins, target.locked_until = 0, None
    _audit("user_unlock", target, params=params)
    flash(f"{target.username} is unlocked.", "info")
    return _back(target)


def _toggle(user_id: int, enable: bool):
    """The confirm step (GET) and the change (POST) of disable and enable; a refused change is audited too."""
    target = _user_or_404(user_id)
    action = "user_enable" if enable else "user_disable"
    form = ConfirmForm()
    refusal = None if enable else change_refusal(current_user, target, disabling=True,
                                                 active_admins=active_admin_count())
    if form.validate_on_submit():
        if target.active == enable:
            flash(f"{target.username} is {'active' if enable else 'disabled'} already; nothing changed.", "info")
        elif refusal:
            _audit(action, target, outcome="refused", error=refusal)
            flash(f"{refusal} Nothing changed.", "error")
        else:
            target.active = enable
            _audit(action, target, params={"role": target.role})
            flash(f"{target.username} is enabled and can sign in again." if enable else
                  f"{target.username} is disabled: signed out everywhere and cannot sign in.", "info")
        return _back(target)
    return render_template("admin/user_confirm.html", user=target, enable=enable, form=form, refusal=refusal), \
        400 if form.is_submitted() else 200


@bp.route("/users/<int:user_id>/disable", methods=["GET", "POST"])
def user_disable(user_id: int):
    return _toggle(user_id, enable=False)


@bp.route("/users/<int:user_id>/enable", methods=["GET", "POST"])
def user_enable(user_id: int):
    return _toggle(user_id, enable=True)
