"""Alteryx Server: the blueprint at /server."""
from flask import Blueprint

bp = Blueprint("server", __name__, url_prefix="/server")

from app.platforms.server import views  # noqa: E402,F401  (routes register on import)
