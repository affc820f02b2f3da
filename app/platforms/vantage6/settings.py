"""The settings of a vantage6 connection: a user account, and Keycloak's endpoint on version 5 servers."""
from app.connection_settings import Setting, ui_url_setting

SETTINGS = (
    Setting("api_path", "API path", placeholder="/api", help="The server's api_path; /api when empty."),
    Setting("username", "Username", required=True, help="The account Flightdeck signs in with."),
    Setting("password", "Password", "secret", required=True),
    Setting("oidc_token_url", "Keycloak token endpoint", "url",
            placeholder="https://auth.example.org/realms/vantage6/protocol/openid-connect/token",
            help="Version 5 servers only: the OpenID Connect token endpoint they trust."),
    Setting("client_id", "Keycloak client", placeholder="public_client", help="Version 5 servers only."),
    ui_url_setting("vantage6"),
)
RULES = ()
