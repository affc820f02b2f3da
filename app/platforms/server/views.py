"""Alteryx Server pages: the shared platform pages (schedules, jobs, workflows, run, toggle, token, outputs)."""
from app.platforms.server import bp
from app.platforms.views import add_standard_routes

add_standard_routes(bp, "server")
