"""TIBCO Team Studio (formerly Alpine): the blueprint at /teamstudio."""
from flask import Blueprint

bp = Blueprint("teamstudio", __name__, url_prefix="/teamstudio")

from app.platforms.teamstudio import inventory_views, job_views, sweep_views, views  # noqa: E402,F401  (routes register on import)
