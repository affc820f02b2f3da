"""The settings of an Alteryx Analytics Cloud connection."""
from app.connection_settings import OneOf, Setting, ui_url_setting

SETTINGS = (
    Setting("workspace_id", "Workspace id", "number", required=True,
            help="Sent as x-trifacta-workspace-id: the workspace whose schedules and jobs are shown."),
    Setting("refresh_token", "Refresh token", "secret", required=True,
            help="Of an OAuth 2.0 API token (User Preferences > OAuth 2.0 API Tokens). It rotates: Flightdeck stores "
                 "each new one, encrypted, before using it."),
    Setting("access_token", "Access token", "secret", help="Optional: the API token's access token, used until it "
                                                           "expires."),
    Setting("token_endpoint", "Token endpoint", "url", placeholder="https://pingauth.alteryxcloud.com/as/token",
            help="Needed without an access token; else {iss}/token from the access token wins."),
    Setting("client_id", "Client id", placeholder="aac-public-api",
            help="Needed without an access token; else the access token names its own client."),
    ui_url_setting("Alteryx Analytics Cloud"),
)
# The first refresh needs the client and the endpoint: an access token names both (its client_id and iss claims).
RULES = (OneOf((("client_id", "token_endpoint"), ("access_token",)),
               "Give the client id and the token endpoint, or the API token's access token, which names both."),)
