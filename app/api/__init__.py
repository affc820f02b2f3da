"""JSON API mirroring the pages: /api/v1/<platform>/<connection>/…"""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from app.api import views  # noqa: E402,F401
