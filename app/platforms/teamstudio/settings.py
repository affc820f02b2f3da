"""The settings of a TIBCO Team Studio connection: a service account's login."""
from app.connection_settings import Setting, ui_url_setting

SETTINGS = (
    Setting("username", "Service account", required=True, help="The account Flightdeck signs in with."),
    Setting("password", "Password", "secret", required=True),
    ui_url_setting("Team Studio"),
)
RULES = ()
