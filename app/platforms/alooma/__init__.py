"""Alooma: the blueprint at /alooma."""
from flask import Blueprint

bp = Blueprint("alooma", __name__, url_prefix="/alooma")

from app.platforms.alooma import (  # noqa: E402,F401  (routes register on import)
    catalog_views, feed_views, inventory_views, metrics_views, pipeline_views, query_views, views)
