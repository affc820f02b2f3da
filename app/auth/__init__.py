"""Sign-in, sign-out and role checks."""
from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from app.auth import sso, views  # noqa: E402,F401  (routes register on import)
