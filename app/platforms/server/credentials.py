"""The OAuth1 half of the Server token panel: signed requests have no token, so the panel checks a signature."""
from __future__ import annotations

from datetime import datetime, timezone

from app.connections import Connection
from app.errors import AuthError, PlatformError
from app.platforms.records import TokenInfo
from app.platforms.server.client import SubscriptionClient

HOW_TO_FIX = ("Check the subscription API key (the connection's api_key) and its secret in {env}: in Server, open your profile > Keys. Also check that this machine's clock is "
              "right, since the server refuses signatures with a stale timestamp.")


class SignatureCheck:
    """Signs one small request and reports whether the server accepted the signature."""

    def __init__(self, connection: Connection, client: SubscriptionClient) -> None:
        self.connection = connection
        self.client = client

    def check(self) -> TokenInfo:
        env = self.connection.secret_place("api_secret")
        outcome, error = "ok", None
        try:
            self.client.list_workflows(limit=1)
        except AuthError as refused:
            outcome, error = "rejected", f"the server refused the signature: {refused.message}"
        except PlatformError as failure:
            outcome, error = "failed", failure.message
        missing = not self.connection.secret("api_secret")
        return TokenInfo(
            connection=self.connection.name, kind="Subscription API v1 request signing (OAuth 1.0a, HMAC-SHA1)",
            expires_at=None, refreshed_at=datetime.now(timezone.utc), last_outcome=outcome, last_error=error,
            needs_new_token=outcome == "rejected" or missing,
            how_to_fix=HOW_TO_FIX.format(env=env) if (outcome == "rejected" or missing) else "",
            refreshable=False,
            note="Each request is signed with the API key and secret (one-legged OAuth 1.0a); there is no token "
                 "to refresh. This panel signs a small request each time it is shown.")
