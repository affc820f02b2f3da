"""Alooma: the blueprint at /alooma."""
from flask import Blueprint

bp = Blueprint("alooma", __name__, url_prefix="/alooma")

from app.platforms.alooma import views  # noqa: E402,F401  (routes register on import)
