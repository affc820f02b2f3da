"""Sign-in's `next`: only same-site paths, whatever disguise an off-site target wears."""
from __future__ import annotations

import pytest

from app.auth.views import safe_next
from tests.conftest import PASSWORD, app_settings
from tests.helpers import csrf_from

NASTY = [
    "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example", "/\\/evil.example",
    "https:evil.example", "https://evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
    "/%2F%2Fevil.example", "/%2f/evil.example", "%2F%2Fevil.example", "/%5Cevil.example", "/%5C%5Cevil.example",
    "/\t/evil.example", "/\n/evil.example", "/\r\nLocation: https://evil.example", "/%0d%0aSet-Cookie:x=1",
    "/\x00/evil.example", "/%09/evil.example", " //evil.example", "/ /evil.example", "evil.example",
    "http:/evil.example", "/\x7f/evil.example",
]
SAFE = ["/runs", "/aac/aac-main/schedules?q=nightly%20load&page=2", "/admin/audit?from=2024-01-01#top", "/"]


@pytest.fixture(scope="module")
def bare_app(tmp_path_factory):
    """An app with no connections and no database: enough for url_for."""
    from app import create_app
    return create_app("testing", app_settings(tmp_path_factory.mktemp("bare")))


@pytest.mark.parametrize("target", NASTY)
def test_off_site_targets_go_to_the_front_page(bare_app, target):
    """Is each disguised off-site target (slashes, backslashes, schemes, percent-encoding, control characters)
    replaced by the front page?"""
    with bare_app.test_request_context():
        assert safe_next(target) == "/"


@pytest.mark.parametrize("target", SAFE)
def test_same_site_paths_are_kept(bare_app, target):
    """Are ordinary same-site paths with queries kept as they are?"""
    with bare_app.test_request_context():
        assert safe_next(target) == target


@pytest.mark.parametrize("target", ["/\\evil.example", "/%2F%2Fevil.example", "https:evil.example"])
def test_sign_in_redirects_home_instead_of_off_site(app, target):
    """Does signing in with a nasty ?next= land on the front page, and signed in already too?"""
    client = app.test_client()
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post("/auth/login", query_string={"next": target},
                           data={"username": "viewer", "password": PASSWORD, "csrf_token": token})
    assert (response.status_code, response.headers["Location"]) == (302, "/")
    again = client.get("/auth/login", query_string={"next": target})
    assert (again.status_code, again.headers["Location"]) == (302, "/")
