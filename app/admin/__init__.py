"""Admin pages: audit log, Flightdeck's users and connections, and the cross-platform people, owners and run rights."""
from flask import Blueprint, abort
from flask_login import current_user

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def admins_only():
    """Every /admin URL refuses non-admins, whatever route is added later."""
    if not current_user.is_authenticated:
        from flask import redirect, request, url_for
        return redirect(url_for("auth.login", next=request.path))
    if not current_user.has_role("admin"):
        abort(403, description="Admin pages need the admin role.")


from app.admin import connections, people_views, users, views  # noqa: E402,F401
