"""Server-side role checks; the templates only hide buttons, these refuse the request."""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable

from flask import abort
from flask_login import current_user, login_required


def role_required(role: str) -> Callable:
    """Refuse with 403 unless the signed-in user has at least `role` (viewer < operator < admin)."""
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(role):
                abort(403, description=f"This needs the {role} role; you are signed in as {current_user.role}.")
            return view(*args, **kwargs)
        wrapped.required_role = role  # read by tests/security to try every route with each lesser role
        return wrapped
    return decorator


def can(role: str) -> bool:
    """For templates: whether to show a button."""
    return bool(getattr(current_user, "is_authenticated", False) and current_user.has_role(role))
