"""Configuration classes; every secret comes from the environment, never from this file."""
from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("FLIGHTDECK_INSTANCE_DIR", BASE_DIR / "instance"))


class ConfigError(RuntimeError):
    """Raised when the configuration cannot start a safe application."""


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw not in (None, "") else default


class Config:
    """Production settings: refuses to start without FLIGHTDECK_SECRET_KEY."""

    INSTANCE_DIR = INSTANCE_DIR
    SECRET_KEY = os.environ.get("FLIGHTDECK_SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "FLIGHTDECK_DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'flightdeck.db'}"
    )
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    CONNECTIONS_FILE = os.environ.get("FLIGHTDECK_CONNECTIONS_FILE", str(INSTANCE_DIR / "connections.toml"))
    LOCK_DIR = str(INSTANCE_DIR / "locks")

    # Caching: SimpleCache per process by default; FileSystemCache or Redis for several workers.
    CACHE_TYPE = os.environ.get("FLIGHTDECK_CACHE_TYPE", "SimpleCache")
    CACHE_DIR = os.environ.get("FLIGHTDECK_CACHE_DIR", str(INSTANCE_DIR / "cache"))
    CACHE_REDIS_URL = os.environ.get("FLIGHTDECK_CACHE_REDIS_URL", "")
    CACHE_DEFAULT_TIMEOUT = _env_int("FLIGHTDECK_CACHE_SECONDS", 30)
    # Entries a SimpleCache or FileSystemCache holds before pruning (flask-caching's default is 500, too few
    # once finished Server jobs are kept one per entry).
    CACHE_THRESHOLD = _env_int("FLIGHTDECK_CACHE_THRESHOLD", 20000)
    # Cross-platform pages wait this long for each connection before showing it as degraded.
    FANOUT_DEADLINE = _env_float("FLIGHTDECK_FANOUT_DEADLINE", 4.0)

    # Outbound HTTP to the platforms.
    HTTP_CONNECT_TIMEOUT = _env_float("FLIGHTDECK_HTTP_CONNECT_TIMEOUT", 3.05)
    HTTP_READ_TIMEOUT = _env_float("FLIGHTDECK_HTTP_READ_TIMEOUT", 15.0)
    HTTP_RETRIES = _env_int("FLIGHTDECK_HTTP_RETRIES", 2)
    HTTP_MAX_RETRY_AFTER = _env_float("FLIGHTDECK_HTTP_MAX_RETRY_AFTER", 5.0)
    TOKEN_REFRESH_MARGIN = _env_int("FLIGHTDECK_TOKEN_REFRESH_MARGIN", 60)

    PAGE_SIZE = _env_int("FLIGHTDECK_PAGE_SIZE", 25)
    # Behind a load balancer: how many proxies set X-Forwarded-For/-Proto (audit rows then show the client).
    PROXY_COUNT = _env_int("FLIGHTDECK_PROXY_COUNT", 0)
    RUN_POLL_MS = _env_int("FLIGHTDECK_RUN_POLL_MS", 2000)
    # Audit rows older than this many days are deleted by `flask audit prune` (run it from cron); 0 keeps them forever.
    AUDIT_RETENTION_DAYS = _env_int("FLIGHTDECK_AUDIT_RETENTION_DAYS", 365)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    # Sign-in POSTs allowed per client address (Flask-Limiter syntax); counted in Redis when the cache is Redis.
    LOGIN_RATE_LIMIT = os.environ.get("FLIGHTDECK_LOGIN_RATE_LIMIT", "10 per minute")
    # Consecutive wrong passwords that lock an account, and for how many minutes (an admin can unlock it sooner).
    LOGIN_MAX_FAILURES = _env_int("FLIGHTDECK_LOGIN_MAX_FAILURES", 5)
    LOGIN_LOCKOUT_MINUTES = _env_int("FLIGHTDECK_LOGIN_LOCKOUT_MINUTES", 15)
    # Strict-Transport-Security max-age, sent on HTTPS requests and whenever cookies are Secure (production).
    HSTS_MAX_AGE = _env_int("FLIGHTDECK_HSTS_SECONDS", 31536000)
    # Single sign-on (OpenID Connect, app/auth/sso.py): on when an issuer (or a discovery URL) and a client id are
    # set. The issuer's discovery document is <issuer>/.well-known/openid-configuration unless the URL is given.
    SSO_ISSUER = os.environ.get("FLIGHTDECK_SSO_ISSUER", "")
    SSO_METADATA_URL = os.environ.get("FLIGHTDECK_SSO_METADATA_URL", "")
    # The client registered at the identity provider; the secret comes only from the environment, never shown.
    SSO_CLIENT_ID = os.environ.get("FLIGHTDECK_SSO_CLIENT_ID", "")
    SSO_CLIENT_SECRET = os.environ.get("FLIGHTDECK_SSO_CLIENT_SECRET", "")
    # The sign-in page's button reads "Sign in with <label>".
    SSO_LABEL = os.environ.get("FLIGHTDECK_SSO_LABEL", "single sign-on")
    # claim:value=role rules, comma-separated (groups:flightdeck-admins=admin,...); the highest matching role wins
    # and a person no rule matches is refused.
    SSO_ROLE_RULES = os.environ.get("FLIGHTDECK_SSO_ROLE_RULES", "")
    # Scopes asked for (openid is required); the ID token must carry the claims the rules read.
    SSO_SCOPES = os.environ.get("FLIGHTDECK_SSO_SCOPES", "openid profile email")
    WTF_CSRF_TIME_LIMIT = None
    TESTING = False
    DEBUG = False

    @classmethod
    def validate(cls, settings: dict) -> None:
        """Refuse to start where a secret is missing: a guessable key would forge sessions."""
        if not settings.get("SECRET_KEY"):
            raise ConfigError(
                "FLIGHTDECK_SECRET_KEY is not set. Set it to a long random value, for example:\n"
                "  export FLIGHTDECK_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')\n"
                "It signs sessions and encrypts stored platform tokens; keep it stable across restarts."
            )


class DemoConfig(Config):
    """`make run`: a local dashboard; the key is generated once into instance/ if not in the environment."""

    SESSION_COOKIE_SECURE = False

    @classmethod
    def validate(cls, settings: dict) -> None:
        if not settings.get("SECRET_KEY"):
            settings["SECRET_KEY"] = _instance_secret_key(Path(settings["INSTANCE_DIR"]))


class DevConfig(DemoConfig):
    """Local development with Flask's reloader."""


class TestConfig(Config):
    """pytest: in-memory-ish database chosen by the fixture, CSRF on (tests prove it), fast HTTP."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    SESSION_COOKIE_SECURE = False
    CACHE_TYPE = "SimpleCache"
    HTTP_CONNECT_TIMEOUT = 2.0
    HTTP_READ_TIMEOUT = 3.0
    HTTP_MAX_RETRY_AFTER = 1.0
    RUN_POLL_MS = 300


def _instance_secret_key(instance_dir: Path) -> str:
    """Read or create instance/secret_key so that a demo keeps its sessions and tokens across restarts."""
    import secrets

    instance_dir.mkdir(parents=True, exist_ok=True)
    path = instance_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


CONFIGS = {"production": Config, "demo": DemoConfig, "development": DevConfig, "testing": TestConfig}
