"""The sandbox OpenID Connect provider over real HTTP: discovery, keys, the code flow with PKCE, and its refusals."""
from __future__ import annotations

import base64
import hashlib
import html
import re
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import KeySet

from sandbox.oidc.seed import ROLE_RULES
from tests.helpers import Emulator

CALLBACK = "http://127.0.0.1:8000/auth/sso/callback"


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _request(client_id: str, **overrides: str) -> tuple[dict[str, str], str]:
    """The query of an authentication request and its PKCE verifier."""
    verifier = secrets.token_urlsafe(48)
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": CALLBACK,
              "scope": "openid profile email", "state": secrets.token_urlsafe(12), "nonce": secrets.token_urlsafe(12),
              "code_challenge": _challenge(verifier), "code_challenge_method": "S256", **overrides}
    return {k: v for k, v in params.items() if v is not None}, verifier


def _sign_in(url: str, params: dict[str, str], username: str, password: str, **extra: str) -> requests.Response:
    """GET the sign-in form, then POST it as a person would (the form's action keeps the request's query)."""
    page = requests.get(f"{url}/authorize", params=params, timeout=5)
    assert page.status_code == 200, page.text
    action = html.unescape(re.search(r'<form method="post" action="([^"]+)"', page.text).group(1))
    return requests.post(f"{url}{action}", data={"username": username, "password": password, **extra},
                         allow_redirects=False, timeout=5)


def _callback_query(response: requests.Response) -> dict[str, str]:
    assert response.status_code == 302, response.text
    location = response.headers["Location"]
    assert location.startswith(CALLBACK)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def _exchange(url: str, minted: dict, code: str, verifier: str, secret: str | None = None) -> requests.Response:
    return requests.post(f"{url}/token", data={"grant_type": "authorization_code", "code": code,
                                               "redirect_uri": CALLBACK, "code_verifier": verifier},
                         auth=(minted["client_id"], secret or minted["client_secret"]), timeout=5)


def _tokens(oidc: Emulator, minted: dict, username: str = "ana", password: str = "ana-sandbox") -> dict:
    params, verifier = _request(minted["client_id"])
    query = _callback_query(_sign_in(oidc.url, params, username, password))
    answer = _exchange(oidc.url, minted, query["code"], verifier)
    assert answer.status_code == 200, answer.text
    return {**answer.json(), "nonce": params["nonce"]}


def _id_claims(url: str, id_token: str) -> dict:
    keys = KeySet.import_key_set(requests.get(f"{url}/jwks", timeout=5).json())
    return dict(jwt.decode(id_token, keys, algorithms=["RS256"]).claims)


@pytest.fixture
def minted(oidc_emulator: Emulator) -> dict:
    return oidc_emulator.mint()


def test_discovery_names_this_address_and_what_the_flow_needs(oidc_emulator: Emulator):
    """Does the discovery document name the emulator's own address as issuer, code flow, S256 and RS256 only?"""
    doc = requests.get(f"{oidc_emulator.url}/.well-known/openid-configuration", timeout=5).json()
    assert doc["issuer"] == oidc_emulator.url
    assert {doc[k] for k in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")} == {
        f"{oidc_emulator.url}/{path}" for path in ("authorize", "token", "userinfo", "jwks")}
    assert (doc["response_types_supported"], doc["code_challenge_methods_supported"],
            doc["id_token_signing_alg_values_supported"]) == (["code"], ["S256"], ["RS256"])
    assert "groups" in doc["claims_supported"]
    keys = requests.get(doc["jwks_uri"], timeout=5).json()["keys"]
    assert len(keys) == 1 and keys[0]["kty"] == "RSA" and keys[0]["kid"] and "d" not in keys[0]


def test_mint_returns_one_client_and_the_role_rules(oidc_emulator: Emulator, minted: dict):
    """Does POST /_sandbox/tokens answer the one client (the same twice) with the issuer and the sandbox rules?"""
    assert minted["client_id"] == "flightdeck" and len(minted["client_secret"]) >= 32
    assert minted["issuer"] == oidc_emulator.url and minted["role_rules"] == ROLE_RULES
    assert oidc_emulator.mint()["client_secret"] == minted["client_secret"]


def test_code_flow_with_pkce_gives_a_signed_id_token_with_groups(oidc_emulator: Emulator, minted: dict):
    """Does a full code + PKCE flow give an RS256 ID token (iss, aud, nonce, groups) and a working userinfo?"""
    tokens = _tokens(oidc_emulator, minted)
    claims = _id_claims(oidc_emulator.url, tokens["id_token"])
    assert claims["iss"] == oidc_emulator.url and claims["aud"] == [minted["client_id"]]
    assert claims["nonce"] == tokens["nonce"] and claims["preferred_username"] == "ana"
    assert claims["groups"] == ["flightdeck-admins", "staff"] and claims["exp"] > claims["iat"]
    info = requests.get(f"{oidc_emulator.url}/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"},
                        timeout=5).json()
    assert info["sub"] == claims["sub"] and info["groups"] == claims["groups"]


def test_wrong_pkce_verifier_is_refused(oidc_emulator: Emulator, minted: dict):
    """Is a code exchanged with another verifier refused with invalid_grant, no token issued?"""
    params, _ = _request(minted["client_id"])
    code = _callback_query(_sign_in(oidc_emulator.url, params, "omar", "omar-sandbox"))["code"]
    answer = _exchange(oidc_emulator.url, minted, code, secrets.token_urlsafe(48))
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"
    assert "access_token" not in answer.json() and oidc_emulator.state()["tokens_issued"] == 0


def test_a_request_without_pkce_goes_back_with_invalid_request(oidc_emulator: Emulator, minted: dict):
    """Is an authentication request without a code challenge sent back to the client as invalid_request?"""
    params, _ = _request(minted["client_id"], code_challenge=None, code_challenge_method=None)
    answer = requests.get(f"{oidc_emulator.url}/authorize", params=params, allow_redirects=False, timeout=5)
    query = _callback_query(answer)
    assert query["error"] == "invalid_request" and "PKCE" in query["error_description"]
    assert query["state"] == params["state"]


def test_bad_password_shows_the_form_again_and_issues_no_code(oidc_emulator: Emulator, minted: dict):
    """Does a wrong password answer 401 with the form and a message, and no redirect or code?"""
    params, _ = _request(minted["client_id"])
    answer = _sign_in(oidc_emulator.url, params, "ana", "not-her-password")
    assert answer.status_code == 401 and "Wrong username or password." in answer.text
    assert "Location" not in answer.headers and oidc_emulator.state()["codes_issued"] == 0
    assert "<script" not in answer.text and "default-src 'none'" in answer.headers["Content-Security-Policy"]


def test_a_code_is_spent_once(oidc_emulator: Emulator, minted: dict):
    """Is the second exchange of one code refused?"""
    params, verifier = _request(minted["client_id"])
    code = _callback_query(_sign_in(oidc_emulator.url, params, "vera", "vera-sandbox"))["code"]
    assert _exchange(oidc_emulator.url, minted, code, verifier).status_code == 200
    again = _exchange(oidc_emulator.url, minted, code, verifier)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_a_code_expires_after_ten_minutes(oidc_emulator: Emulator, minted: dict):
    """Is a code older than ten minutes on the emulator clock refused?"""
    params, verifier = _request(minted["client_id"])
    code = _callback_query(_sign_in(oidc_emulator.url, params, "vera", "vera-sandbox"))["code"]
    oidc_emulator.advance(601)
    assert _exchange(oidc_emulator.url, minted, code, verifier).json()["error"] == "invalid_grant"


def test_wrong_client_secret_is_refused(oidc_emulator: Emulator, minted: dict):
    """Is a token request with the wrong client secret refused as invalid_client?"""
    params, verifier = _request(minted["client_id"])
    code = _callback_query(_sign_in(oidc_emulator.url, params, "ana", "ana-sandbox"))["code"]
    answer = _exchange(oidc_emulator.url, minted, code, verifier, secret="wrong-secret")
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"


@pytest.mark.parametrize("callback", ["http://evil.example:8000/cb", "http://127.0.0.1.evil.example/cb",
                                      "javascript:alert(1)", "http://user@127.0.0.1:8000/cb"])
def test_callbacks_off_this_machine_get_an_error_page_not_a_redirect(oidc_emulator: Emulator, minted: dict,
                                                                     callback: str):
    """Does the loopback leniency stop at this machine: another host gets an error page, never a redirect?"""
    params, _ = _request(minted["client_id"], redirect_uri=callback)
    answer = requests.get(f"{oidc_emulator.url}/authorize", params=params, allow_redirects=False, timeout=5)
    assert answer.status_code == 400 and "Location" not in answer.headers
    assert "invalid_request" in answer.text and "<form" not in answer.text


def test_any_loopback_port_is_a_valid_callback(oidc_emulator: Emulator, minted: dict):
    """Are localhost and 127.0.0.1 callbacks on any port served the sign-in form (the sandbox's leniency)?"""
    for callback in ("http://localhost/auth/sso/callback", "http://127.0.0.1:54321/elsewhere"):
        params, _ = _request(minted["client_id"], redirect_uri=callback)
        answer = requests.get(f"{oidc_emulator.url}/authorize", params=params, timeout=5)
        assert answer.status_code == 200 and "<form" in answer.text


def test_unknown_client_gets_an_error_page(oidc_emulator: Emulator, minted: dict):
    """Is a request for a client the provider does not know refused on a page, not redirected?"""
    params, _ = _request("someone-else")
    answer = requests.get(f"{oidc_emulator.url}/authorize", params=params, allow_redirects=False, timeout=5)
    assert answer.status_code == 400 and "invalid_client" in answer.text


def test_cancel_goes_back_with_access_denied(oidc_emulator: Emulator, minted: dict):
    """Does the Cancel button send the person back with error=access_denied and the state?"""
    params, _ = _request(minted["client_id"])
    query = _callback_query(_sign_in(oidc_emulator.url, params, "", "", cancel="1"))
    assert query["error"] == "access_denied" and query["state"] == params["state"] and "code" not in query


def test_a_replayed_nonce_is_refused(oidc_emulator: Emulator, minted: dict):
    """Is a second authentication request with a nonce already used sent back as invalid_request?"""
    params, _ = _request(minted["client_id"])
    _callback_query(_sign_in(oidc_emulator.url, params, "ana", "ana-sandbox"))
    again = requests.get(f"{oidc_emulator.url}/authorize", params=params, allow_redirects=False, timeout=5)
    assert _callback_query(again)["error"] == "invalid_request"


def test_userinfo_needs_a_valid_token(oidc_emulator: Emulator, minted: dict):
    """Does /userinfo refuse a missing or unknown bearer token with 401?"""
    assert requests.get(f"{oidc_emulator.url}/userinfo", timeout=5).status_code == 401
    unknown = requests.get(f"{oidc_emulator.url}/userinfo", headers={"Authorization": "Bearer nope"}, timeout=5)
    assert unknown.status_code == 401 and unknown.json()["error"] == "invalid_token"


def test_control_changes_groups_until_reset(oidc_emulator: Emulator, minted: dict):
    """Do groups set through POST /_sandbox/oidc/users reach the next ID token, and does reset restore them?"""
    changed = requests.post(f"{oidc_emulator.url}/_sandbox/oidc/users",
                            json={"username": "vera", "groups": ["flightdeck-operators"]}, timeout=5)
    assert changed.json() == {"ok": True, "user": {"username": "vera", "sub": changed.json()["user"]["sub"],
                                                   "groups": ["flightdeck-operators"]}}
    tokens = _tokens(oidc_emulator, minted, "vera", "vera-sandbox")
    assert _id_claims(oidc_emulator.url, tokens["id_token"])["groups"] == ["flightdeck-operators"]
    oidc_emulator.reset()
    tokens = _tokens(oidc_emulator, minted, "vera", "vera-sandbox")
    assert _id_claims(oidc_emulator.url, tokens["id_token"])["groups"] == ["flightdeck-viewers"]


def test_control_adds_a_person_and_refuses_bad_bodies(oidc_emulator: Emulator, minted: dict):
    """Can the control add a person who then signs in, and does it refuse an unknown user without a password?"""
    url = f"{oidc_emulator.url}/_sandbox/oidc/users"
    added = requests.post(url, json={"username": "zoe", "password": "zoe-pw", "groups": ["x"]}, timeout=5)
    assert added.status_code == 200
    assert _id_claims(oidc_emulator.url, _tokens(oidc_emulator, minted, "zoe", "zoe-pw")["id_token"])["groups"] == ["x"]
    assert requests.post(url, json={"username": "nobody-here"}, timeout=5).status_code == 400
    assert requests.post(url, json={"username": "ana", "groups": "admins"}, timeout=5).status_code == 400
