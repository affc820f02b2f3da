"""AAC pages: the shared platform pages (schedules, runs, workflows, run, toggle, token)."""
from app.platforms.aac import bp
from app.platforms.views import add_standard_routes

add_standard_routes(bp, "aac")
