"""The settings of an Alooma connection: the account and either an API key or a user's login."""
from app.connection_settings import OneOf, Setting

SETTINGS = (
    Setting("account_name", "Account", required=True, placeholder="acme",
            help="The REST root is {base URL}/{account}/rest."),
    Setting("api_key", "API key", "secret", help="Sent as authorization: API <key>. Either this, or a login below."),
    Setting("username", "Login email", help="A user's email, signed in again whenever Alooma ends the session."),
    Setting("password", "Login password", "secret"),
)
RULES = (OneOf((("api_key",), ("username", "password")), "Give an API key or a login (email and password)."),)
