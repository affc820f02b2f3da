"""The sign-in rate limit (Flask-Limiter): guessing passwords from one address is slowed whatever the account."""
from __future__ import annotations

from flask import Flask, current_app, render_template
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

# Keyed on the client address (the real one behind PROXY_COUNT proxies, which ProxyFix restores). Errors of the
# storage are swallowed and counted in memory meanwhile: a Redis outage must not stop people signing in (the
# per-account lockout in the database still holds).
limiter = Limiter(get_remote_address, headers_enabled=True, swallow_errors=True, in_memory_fallback_enabled=True,
                  key_prefix="flightdeck")


def login_rate() -> str:
    """The limit on sign-in POSTs, read per request so that tests and deployments can set it."""
    return current_app.config["LOGIN_RATE_LIMIT"]


def storage_uri(config: dict) -> str:
    """Where the counts live: Redis when the cache is Redis (every gunicorn worker then shares them), else memory."""
    if config.get("CACHE_TYPE") == "RedisCache" and config.get("CACHE_REDIS_URL"):
        return config["CACHE_REDIS_URL"]
    return "memory://"


def init_rate_limits(app: Flask) -> None:
    """Bind the limiter to `app` and answer a breach with a page that says what happened and when to retry."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", storage_uri(app.config))
    limiter.init_app(app)

    @app.errorhandler(RateLimitExceeded)
    def too_many(error: RateLimitExceeded):
        app.logger.warning("sign-in rate limit reached (%s)", error.description)
        message = ("Too many sign-in attempts came from your address in a short time. Wait a minute, then try "
                   "again; nothing was checked.")
        return render_template("errors/error.html", status=429, title="Too many sign-in attempts",
                               message=message), 429
