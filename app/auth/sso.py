"""Single sign-on with OpenID Connect: the code flow with PKCE (S256) through authlib's Flask client.

The identity provider vouches for who someone is; Flightdeck decides what they may do, from role rules over the
ID token's claims, again at every sign-in. An SSO account is found by its subject (issuer + sub, never by name, so
a provider cannot take over a local account of the same name), has no usable password here, and is refused when
an admin disabled it. Local accounts stay for break-glass admins.

The sign-in starts with a GET (`/auth/sso/login`), not a CSRF-checked POST: starting changes nothing but this
browser's own session, and the state, nonce and PKCE verifier kept there bind the answer to the browser that
asked, so a forged start can only ever sign the victim in as themselves. A POST form would also be redirected to
the provider's origin, which the page's `form-action 'self'` policy makes browsers refuse.
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import urlsplit

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, abort, current_app, redirect, request, session, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user, login_user
from joserfc.errors import JoseError
from requests import RequestException
from sqlalchemy import func

from app.audit import record_action
from app.auth import bp
from app.auth.views import safe_next
from app.extensions import db
from app.http import USER_AGENT
from app.models import ROLES, User, utcnow
from config import ConfigError

log = logging.getLogger(__name__)

EXTENSION = "flightdeck_sso"
NEXT_KEY = "sso_next"
# A password hash with no "$" in it: werkzeug's check_password_hash answers False for every password.
UNUSABLE_PASSWORD_PREFIX = "!sso:"


@dataclass(frozen=True)
class RoleRule:
    """`claim:value=role`: a person whose claim equals value (or, for a list claim, contains it) gets role."""

    claim: str
    value: str
    role: str


def parse_role_rules(text: str) -> tuple[RoleRule, ...]:
    """The rules of FLIGHTDECK_SSO_ROLE_RULES; ConfigError naming the bad rule otherwise."""
    rules = []
    for raw in (part.strip() for part in text.split(",")):
        if not raw:
            continue
        match, sep, role = raw.rpartition("=")
        claim, colon, value = match.partition(":")
        claim, value, role = claim.strip(), value.strip(), role.strip()
        if not sep or not colon or not claim or not value:
            raise ConfigError(f"FLIGHTDECK_SSO_ROLE_RULES: {raw!r} is not claim:value=role "
                              "(e.g. groups:flightdeck-admins=admin)")
        if role not in ROLES:
            raise ConfigError(f"FLIGHTDECK_SSO_ROLE_RULES: {raw!r} names role {role!r}; roles are {', '.join(ROLES)}")
        rules.append(RoleRule(claim, value, role))
    return tuple(rules)


def role_for(claims: Mapping[str, Any], rules: tuple[RoleRule, ...]) -> str | None:
    """The highest role any rule gives these claims, or None when no rule matches."""
    found = None
    for rule in rules:
        have = claims.get(rule.claim)
        matched = rule.value in have if isinstance(have, (list, tuple)) else str(have) == rule.value
        if have is not None and matched and (found is None or ROLES.index(rule.role) > ROLES.index(found)):
            found = rule.role
    return found


@dataclass(frozen=True)
class SsoSettings:
    """What SSO needs from the configuration; the secret is kept out of repr (and so out of logs)."""

    issuer: str
    metadata_url: str
    client_id: str
    client_secret: str = field(repr=False)
    label: str
    scopes: str
    rules: tuple[RoleRule, ...]

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "SsoSettings | None":
        """None when SSO is not configured; ConfigError when it is configured halfway or wrongly."""
        issuer = str(config.get("SSO_ISSUER") or "").strip()
        metadata_url = str(config.get("SSO_METADATA_URL") or "").strip()
        client_id = str(config.get("SSO_CLIENT_ID") or "").strip()
        secret = str(config.get("SSO_CLIENT_SECRET") or "")
        if not (issuer or metadata_url or client_id):
            return None
        missing = [name for name, value in (("FLIGHTDECK_SSO_ISSUER (or FLIGHTDECK_SSO_METADATA_URL)",
                                             issuer or metadata_url), ("FLIGHTDECK_SSO_CLIENT_ID", client_id),
                                            ("FLIGHTDECK_SSO_CLIENT_SECRET", secret)) if not value]
        if missing:
            raise ConfigError(f"Single sign-on is configured halfway: set {' and '.join(missing)} too.")
        rules = parse_role_rules(str(config.get("SSO_ROLE_RULES") or ""))
        if not rules:
            raise ConfigError("FLIGHTDECK_SSO_ROLE_RULES is empty: nobody could sign in with single sign-on. "
                              "Set e.g. groups:flightdeck-admins=admin,groups:flightdeck-viewers=viewer")
        scopes = str(config.get("SSO_SCOPES") or "openid")
        if "openid" not in scopes.split():
            raise ConfigError("FLIGHTDECK_SSO_SCOPES must include openid")
        return cls(issuer, metadata_url or f"{issuer.rstrip('/')}/.well-known/openid-configuration", client_id,
                   secret, str(config.get("SSO_LABEL") or "single sign-on"), scopes, rules)


@dataclass(frozen=True)
class Sso:
    """One app's SSO: its settings and its authlib client."""

    settings: SsoSettings
    client: Any  # authlib's FlaskOAuth2App

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document (fetched once per process); refuses one naming another issuer."""
        metadata = self.client.load_server_metadata()
        expected = self.settings.issuer
        if expected and str(metadata.get("issuer", "")).rstrip("/") != expected.rstrip("/"):
            raise SsoFailure(502, "discovery names another issuer",
                             f"The identity provider's discovery document names issuer {metadata.get('issuer')!r}, "
                             f"not the configured {expected!r}. Check FLIGHTDECK_SSO_ISSUER.")
        return metadata


class SsoFailure(Exception):
    """A sign-in that cannot go on: the status and message the person sees, the reason the audit keeps."""

    def __init__(self, status: int, reason: str, message: str, username: str | None = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.message, self.username = status, reason, message, username


def _init_sso(state: BlueprintSetupState) -> None:
    """Read the settings when the auth blueprint is registered, so a bad configuration stops create_app()."""
    app: Flask = state.app
    settings = SsoSettings.from_config(app.config)
    sso = None
    if settings is not None:
        timeout = (float(app.config.get("HTTP_CONNECT_TIMEOUT", 3.05)), float(app.config.get("HTTP_READ_TIMEOUT", 15)))
        client = OAuth(app).register(
            "oidc", client_id=settings.client_id, client_secret=settings.client_secret,
            server_metadata_url=settings.metadata_url, user_agent=USER_AGENT,
            client_kwargs={"scope": settings.scopes, "code_challenge_method": "S256",
                           "token_endpoint_auth_method": "client_secret_basic", "default_timeout": timeout})
        sso = Sso(settings, client)
    app.extensions[EXTENSION] = sso


bp.record_once(_init_sso)


@bp.app_context_processor
def _sso_label() -> dict[str, Any]:
    """`sso_label` for the sign-in page: the button's label, or None when SSO is off."""
    sso = current_app.extensions.get(EXTENSION)
    return {"sso_label": sso.settings.label if sso else None}


def _sso() -> Sso:
    sso = current_app.extensions.get(EXTENSION)
    if sso is None:
        abort(404, description="Single sign-on is not configured here; sign in with your Flightdeck account.")
    return sso


def _provider(sso: Sso) -> str:
    return urlsplit(sso.settings.issuer or sso.settings.metadata_url).netloc or "the identity provider"


@bp.get("/sso/login")
def sso_login():
    """Send the browser to the provider (state, nonce and PKCE verifier stay in this session)."""
    sso = _sso()
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    session[NEXT_KEY] = safe_next(request.args.get("next"))
    try:
        sso.metadata()
        return sso.client.authorize_redirect(url_for("auth.sso_callback", _external=True))
    except SsoFailure as failure:
        return _refuse(failure)
    except (RequestException, AuthlibBaseError, ValueError) as exc:
        return _refuse(SsoFailure(502, f"provider unavailable ({type(exc).__name__})",
                                  f"The identity provider at {_provider(sso)} did not answer. Try again later, or "
                                  "sign in with a local account."))


@bp.get("/sso/callback")
def sso_callback():
    """The provider's answer: verify it, map the role, find or create the account, sign in."""
    sso = _sso()
    try:
        claims = _verified_claims(sso)
        user, params = _account_for(sso, claims)
    except SsoFailure as failure:
        return _refuse(failure)
    login_user(user)
    record_action("sign_in", outcome="ok", object_type="user", object_id=user.username, params=params)
    return redirect(safe_next(session.pop(NEXT_KEY, None)))


def _verified_claims(sso: Sso) -> dict[str, Any]:
    """The ID token's claims, after authlib checked state, the code exchange (with the PKCE verifier), the
    token's signature against the provider's keys, iss, aud, exp and nonce."""
    provider = _provider(sso)
    try:
        sso.metadata()
        token = sso.client.authorize_access_token()
    except MismatchingStateError:
        raise SsoFailure(400, "state mismatch", "This sign-in answer does not belong to a sign-in this browser "
                         "started (it is old, was used already or was tampered with). Start again from the "
                         "sign-in page.") from None
    except OAuthError as exc:
        if exc.error in ("server_error", "temporarily_unavailable"):
            raise SsoFailure(502, f"provider answered {exc.error}", f"The identity provider at {provider} could not "
                             "sign you in just now. Try again later, or sign in with a local account.") from None
        cancelled = exc.error == "access_denied"
        raise SsoFailure(403 if cancelled else 400, f"provider answered {exc.error}",
                         "The sign-in was cancelled at the identity provider." if cancelled else
                         f"The identity provider did not sign you in ({exc.error}). Start again from the "
                         "sign-in page.") from None
    except JoseError as exc:  # bad signature, or iss, aud, exp or nonce not as they must be
        detail = exc.description or exc.error
        raise SsoFailure(400, f"ID token refused ({detail})", f"The identity token from {provider} failed "
                         f"verification ({detail}); you are not signed in. Start again from the sign-in "
                         "page.") from None
    except (RequestException, AuthlibBaseError, ValueError) as exc:
        raise SsoFailure(502, f"provider unavailable ({type(exc).__name__})", f"The identity provider at "
                         f"{provider} did not answer. Try again later, or sign in with a local account.") from None
    claims = token.get("userinfo")
    if not claims or not claims.get("sub") or not claims.get("iss"):
        raise SsoFailure(400, "no ID token", f"{provider} sent no identity token; you are not signed in.")
    return dict(claims)


def _account_for(sso: Sso, claims: Mapping[str, Any]) -> tuple[User, dict[str, Any]]:
    """The account these claims sign in to, created or with its role updated; SsoFailure when refused."""
    subject = f"{claims['iss']}|{claims['sub']}"
    if len(subject) > 255:
        raise SsoFailure(400, "subject too long", "The identity provider's subject is too long to store.")
    name = str(claims.get("preferred_username") or claims.get("email") or claims["sub"])[:80]
    user = db.session.execute(db.select(User).filter_by(sso_subject=subject)).scalar_one_or_none()
    if user is not None and not user.active:
        raise SsoFailure(403, "account disabled", "Your Flightdeck account is disabled. Ask a Flightdeck admin "
                         "to enable it.", user.username)
    role = role_for(claims, sso.settings.rules)
    if role is None:
        groups = claims.get("groups")
        raise SsoFailure(403, "no role rule matches", f"You signed in at the identity provider as {name}, but no "
                         "Flightdeck role is given to your account"
                         f"{' (groups: ' + ', '.join(map(str, groups)) + ')' if isinstance(groups, list) else ''}. "
                         "Ask a Flightdeck admin to add you to a group that has one.",
                         user.username if user else name)
    params: dict[str, Any] = {"method": "sso", "role": role, "created": user is None}
    if user is None:
        user = User(username=_free_username(name), role=role, auth_source="sso", sso_subject=subject,
                    password_hash=UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(16))
        db.session.add(user)
    elif user.role != role:
        params["previous_role"] = user.role
        user.role = role
    user.last_login_at = utcnow()
    db.session.commit()
    return user, params


def _free_username(name: str) -> str:
    """`name`, or `name-sso`, `name-sso2`, … when a local (or another SSO) account has it already, in any case."""
    base = name.strip()[:70] or "sso-user"
    candidates = [base, f"{base}-sso", *(f"{base}-sso{n}" for n in range(2, 1000))]
    for candidate in candidates:
        taken = db.select(User.id).filter(func.lower(User.username) == candidate.lower())
        if db.session.execute(taken).first() is None:
            return candidate
    return f"{base}-{secrets.token_hex(4)}"


def _refuse(failure: SsoFailure):
    """Audit the refused (or failed) sign-in and show a page that says why."""
    outcome = "failed" if failure.status >= 500 else "refused"
    log.warning("single sign-on %s: %s", outcome, failure.reason)
    record_action("sign_in", outcome=outcome, username=(failure.username or "unknown")[:80],
                  params={"method": "sso"}, error=failure.reason)
    abort(failure.status, description=failure.message)
