"""Cross-platform pages."""
from flask import Blueprint

bp = Blueprint("overview", __name__)

from app.overview import views  # noqa: E402,F401
from app.overview import upcoming_views  # noqa: E402,F401
