"""Alteryx Analytics Cloud: the blueprint at /aac."""
from flask import Blueprint

bp = Blueprint("aac", __name__, url_prefix="/aac")

from app.platforms.aac import views  # noqa: E402,F401  (routes register on import)
