"""vantage6: the blueprint at /vantage6."""
from flask import Blueprint

bp = Blueprint("vantage6", __name__, url_prefix="/vantage6")

from app.platforms.vantage6 import inventory_views, task_views, views  # noqa: E402,F401  (routes register on import)
