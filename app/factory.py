"""create_app(): a flat list of register_* steps; nothing here calls a platform."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask_login import current_user

from config import CONFIGS


def create_app(config_name: str | None = None, overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app; `config_name` defaults to FLIGHTDECK_CONFIG, else production."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    config_class = CONFIGS[config_name or os.environ.get("FLIGHTDECK_CONFIG", "production")]
    app.config.from_object(config_class)
    app.config.update(overrides or {})
    config_class.validate(app.config)
    Path(app.config["INSTANCE_DIR"]).mkdir(parents=True, exist_ok=True)

    register_logging(app)
    register_proxy(app)
    register_extensions(app)
    register_connections_step(app)
    register_blueprints(app)
    register_errors(app)
    register_security_headers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_logging(app: Flask) -> None:
    from app.logging_filter import install_redaction
    install_redaction(app)


def register_proxy(app: Flask) -> None:
    count = int(app.config.get("PROXY_COUNT") or 0)
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def register_extensions(app: Flask) -> None:
    from app.auth.ratelimit import init_rate_limits
    from app.extensions import cache, csrf, db, login_manager, migrate
    from app.models import User

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    cache.init_app(app)
    init_rate_limits(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see this page."

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.active else None


def register_connections_step(app: Flask) -> None:
    from app.connections import register_connections
    register_connections(app)


def register_blueprints(app: Flask) -> None:
    from app.admin import bp as admin_bp
    from app.api import bp as api_bp
    from app.auth import bp as auth_bp
    from app.overview import bp as overview_bp
    from app.platforms.registry import blueprints
    from app.preferences import bp as preferences_bp

    for blueprint in (auth_bp, overview_bp, admin_bp, api_bp, preferences_bp, *blueprints()):
        app.register_blueprint(blueprint)


def register_errors(app: Flask) -> None:
    from app.errors import register_error_handlers
    register_error_handlers(app)


CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


# No page needs a device or a payment API; an empty allow-list turns each off for the page and any frame.
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
                      "payment=(), usb=()")


def register_security_headers(app: Flask) -> None:
    """The headers every response carries: pages, JSON, error pages, redirects and static files alike."""

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        # Secure cookies mean the site is served over HTTPS (production), even where a proxy ends TLS and the
        # request reaches us as plain HTTP; browsers ignore the header on plain HTTP anyway.
        max_age = int(app.config.get("HSTS_MAX_AGE") or 0)
        if max_age and (request.is_secure or app.config.get("SESSION_COOKIE_SECURE")):
            response.headers.setdefault("Strict-Transport-Security", f"max-age={max_age}; includeSubDomains")
        if request.endpoint and not request.endpoint.startswith("static"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def register_template_helpers(app: Flask) -> None:
    from app.auth.roles import can
    from app.connections import registry
    from app.platforms.registry import PLATFORM_KEYS, platform_name
    from app.templating import age_text, duration_text

    from app.preferences import viewer_timezone, zone_choices

    app.jinja_env.globals.update(can=can, platform_name=platform_name, platform_keys=PLATFORM_KEYS,
                                 all_connections=lambda: registry().all(), viewer_timezone=viewer_timezone,
                                 zone_choices=zone_choices)
    app.jinja_env.filters["duration"] = duration_text
    app.jinja_env.filters["age"] = age_text

    @app.context_processor
    def user_context() -> dict[str, Any]:
        return {"current_user": current_user}


def register_commands(app: Flask) -> None:
    from app.audit_cli import register_audit_cli
    from app.auth.cli import register_cli
    from app.tokens_cli import register_tokens_cli
    register_cli(app)
    register_tokens_cli(app)
    register_audit_cli(app)
