"""Alooma pages: the shared ones (scheduled queries as schedules, their latest runs, inputs, the session panel)."""
from app.platforms.alooma import bp
from app.platforms.views import add_standard_routes

add_standard_routes(bp, "alooma")
