"""The settings of an Alteryx Server connection: Server API v3, the OAuth1-signed subscription API, or both."""
from app.connection_settings import OneOf, Setting, ui_url_setting

SETTINGS = (
    Setting("webapi_url", "Web API address", "url", placeholder="https://alteryx.example.com/webapi",
            help="Server API v3 (Server 2021.4 and later): the Web API Address in your profile's Keys."),
    Setting("client_id", "API access key", help="Server API v3: the API access key (profile > Keys)."),
    Setting("client_secret", "API access secret", "secret", help="Server API v3: the API access secret."),
    Setting("gallery_url", "Gallery address", "url", placeholder="https://alteryx.example.com/gallery",
            help="Subscription API v1 signed with OAuth 1.0a (servers before 2022.1); leave empty on later ones."),
    Setting("api_key", "Subscription API key", help="Subscription API v1: the key from your profile's Keys."),
    Setting("api_secret", "Subscription API secret", "secret", help="Subscription API v1: its secret."),
    ui_url_setting("Alteryx Server"),
)
RULES = (
    OneOf((("webapi_url", "client_id", "client_secret"), ("gallery_url", "api_key", "api_secret")),
          "Give Server API v3 (Web API address, API access key and secret), the subscription API (gallery address, "
          "key and secret), or both."),
)
