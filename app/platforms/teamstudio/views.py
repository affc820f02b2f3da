"""Team Studio pages: the shared platform pages (jobs as schedules, runs, workflows with variables, session)."""
from app.platforms.teamstudio import bp
from app.platforms.views import add_standard_routes

add_standard_routes(bp, "teamstudio")
