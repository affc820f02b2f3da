"""Server emulator auth: OAuth1 signatures on the Gallery v1 API, client-credential tokens and bearer checks on /webapi."""
from __future__ import annotations

import time

import pytest
import requests
from authlib.integrations.requests_client import OAuth1Auth
from authlib.oauth1.rfc5849 import client_auth

SUBSCRIPTION = "/gallery/api/v1/workflows/subscription/"
TOKEN = "/webapi/oauth2/token"


def _signed(creds: dict, signature_type: str = "QUERY", secret: str | None = None,
            key: str | None = None) -> OAuth1Auth:
    return OAuth1Auth(client_id=key or creds["api_key"], client_secret=secret or creds["api_secret"],
                      signature_type=signature_type)


def _message(response: requests.Response) -> str:
    assert response.status_code == 401, response.text
    return response.json()["message"]


def test_oauth1_in_query_string_is_accepted(server_base, server_creds):
    """Does a request signed with oauth_* parameters in the query string get the studio's workflows?"""
    response = requests.get(f"{server_base}{SUBSCRIPTION}", auth=_signed(server_creds()), timeout=10)
    assert response.status_code == 200 and isinstance(response.json(), list) and response.json()


def test_oauth1_in_authorization_header_is_accepted(server_base, server_creds):
    """Does a request signed in an `Authorization: OAuth ...` header, with query params bound in, succeed?"""
    response = requests.get(f"{server_base}{SUBSCRIPTION}", params={"search": "sales", "limit": 5},
                            auth=_signed(server_creds(), "HEADER"), timeout=10)
    assert response.status_code == 200 and response.json()


def test_oauth1_signed_post_with_json_body_is_accepted(server_base, server_creds, gallery):
    """Does a signed POST with an unsigned JSON body queue a job?"""
    app_id = gallery.get(f"{gallery.base}/workflows/subscription/", params={"search": "CRM Contacts"}).json()[0]["id"]
    response = requests.post(f"{server_base}/gallery/api/v1/workflows/{app_id}/jobs/", json={},
                             auth=_signed(server_creds(), "HEADER"), timeout=10)
    assert response.status_code == 200 and response.json()["status"] == "Queued"


def test_wrong_secret_is_401_invalid_signature(server_base, server_creds):
    """Is a request signed with the wrong secret refused with the invalid-signature message?"""
    response = requests.get(f"{server_base}{SUBSCRIPTION}", auth=_signed(server_creds(), secret="nope"), timeout=10)
    assert "invalid signature" in _message(response)


def test_stale_timestamp_is_401(server_base, server_creds, monkeypatch):
    """Is a correctly signed request stamped ten minutes ago refused as outside the time window?"""
    monkeypatch.setattr(client_auth, "generate_timestamp", lambda: str(int(time.time()) - 600))
    response = requests.get(f"{server_base}{SUBSCRIPTION}", auth=_signed(server_creds()), timeout=10)
    assert "timestamp is outside the 300-second window" in _message(response)


def test_replayed_nonce_is_401(server_base, server_creds, monkeypatch):
    """Is a second request reusing the same nonce with the same key refused?"""
    monkeypatch.setattr(client_auth, "generate_nonce", lambda: "same-nonce-twice")
    auth = _signed(server_creds())
    assert requests.get(f"{server_base}{SUBSCRIPTION}", auth=auth, timeout=10).status_code == 200
    again = requests.get(f"{server_base}{SUBSCRIPTION}", params={"limit": 1}, auth=auth, timeout=10)
    assert "nonce has already been used" in _message(again)


def test_unknown_consumer_key_is_401(server_base, server_creds):
    """Is a key the server never issued refused with the unknown-key message?"""
    response = requests.get(f"{server_base}{SUBSCRIPTION}", auth=_signed(server_creds(), key="f" * 32),
                            timeout=10)
    assert "unknown consumer key" in _message(response)


def test_missing_oauth_parameters_is_401(server_base):
    """Is an unsigned Gallery call refused, naming the missing OAuth parameters?"""
    response = requests.get(f"{server_base}{SUBSCRIPTION}", timeout=10)
    assert "missing OAuth parameter(s): oauth_consumer_key" in _message(response)


def test_advancing_emulator_clock_does_not_break_oauth1(gallery, server_control):
    """Does OAuth1 still work after the emulated clock jumps a day (timestamps are checked on real time)?"""
    server_control("POST", "clock", json={"advance": 86400})
    assert gallery.get(f"{gallery.base}/workflows/subscription/").status_code == 200


def test_token_with_basic_credentials(server_base, server_creds):
    """Does client_credentials with HTTP Basic answer a bearer token living 3599 s?"""
    creds = server_creds()
    response = requests.post(f"{server_base}{TOKEN}", data={"grant_type": "client_credentials"},
                             auth=(creds["client_id"], creds["client_secret"]), timeout=10)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 3599 and body["access_token"]
    assert "refresh_token" not in body


def test_token_with_form_credentials(server_base, server_creds):
    """Does client_credentials with client_id/client_secret in the form body answer a token?"""
    creds = server_creds()
    form = {"grant_type": "client_credentials", "client_id": creds["client_id"], "client_secret": creds["client_secret"]}
    response = requests.post(f"{server_base}{TOKEN}", data=form, timeout=10)
    assert response.status_code == 200 and response.json()["access_token"]


def test_bad_client_is_400_invalid_client(server_base, server_creds):
    """Is a wrong client secret refused with 400 invalid_client?"""
    form = {"grant_type": "client_credentials", "client_id": server_creds()["client_id"], "client_secret": "wrong"}
    response = requests.post(f"{server_base}{TOKEN}", data=form, timeout=10)
    assert (response.status_code, response.json()) == (400, {"error": "invalid_client"})


def test_other_grant_type_is_unsupported(server_base, server_creds):
    """Is grant_type=password refused with 400 unsupported_grant_type?"""
    creds = server_creds()
    response = requests.post(f"{server_base}{TOKEN}", data={"grant_type": "password"},
                             auth=(creds["client_id"], creds["client_secret"]), timeout=10)
    assert (response.status_code, response.json()["error"]) == (400, "unsupported_grant_type")


def test_missing_bearer_is_401_with_challenge(server_base):
    """Does a v3 call without a token get 401, Server's message and WWW-Authenticate: Bearer?"""
    response = requests.get(f"{server_base}/webapi/v3/workflows", timeout=10)
    assert response.status_code == 401
    assert response.json() == {"message": "Authorization has been denied for this request."}
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_token_expires_on_the_emulator_clock(v3, server_control):
    """Does a token stop working once the emulated clock passes its hour?"""
    assert v3.get(f"{v3.base}/webapi/v3/workflows").status_code == 200
    server_control("POST", "clock", json={"advance": 3601})
    response = v3.get(f"{v3.base}/webapi/v3/workflows")
    assert response.status_code == 401
    assert response.json()["message"] == "Authorization has been denied for this request."


def test_token_lifetime_knob_shortens_tokens(server_control, server_session):
    """Does the token_lifetime knob set expires_in (minus one) and the real expiry?"""
    assert server_control("GET", "faults").json()["token_lifetime"] == 3600
    server_control("POST", "faults", json={"token_lifetime": 10})
    session = server_session()
    server_control("POST", "clock", json={"advance": 9})
    assert session.get(f"{session.base}/webapi/v3/workflows").status_code == 200
    server_control("POST", "clock", json={"advance": 2})
    assert session.get(f"{session.base}/webapi/v3/workflows").status_code == 401


@pytest.mark.parametrize("path", ["/webapi/v1/workflows/subscription/", "/webapi/v1/workflows/subscription"])
def test_webapi_v1_takes_bearer_with_or_without_slash(v3, path):
    """Does the subscription API answer under /webapi/v1 with a bearer token, trailing slash optional?"""
    response = v3.get(f"{v3.base}{path}")
    assert response.status_code == 200 and response.json()[0]["metaInfo"]["name"]


def test_gallery_rejects_bearer_tokens(v3):
    """Does the OAuth1-only Gallery path refuse a bearer token?"""
    response = v3.get(f"{v3.base}{SUBSCRIPTION}")
    assert response.status_code == 401 and "missing OAuth parameter" in response.json()["message"]
