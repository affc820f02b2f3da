"""vantage6 pages: the shared ones (tasks as runs, images as workflows, the token panel)."""
from app.platforms.vantage6 import bp
from app.platforms.views import add_standard_routes

add_standard_routes(bp, "vantage6")
