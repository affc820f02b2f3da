"""The viewer's time zone: chosen once in the top bar, remembered in a cookie, used by every page."""
from __future__ import annotations

from tests.helpers import csrf_from
from tests.web.test_views import audit_rows


def _choose(client, zone: str, next_url: str = "/runs"):
    token = csrf_from(client.get("/").get_data(as_text=True))
    return client.post("/preferences/timezone", data={"csrf_token": token, "tz": zone, "next": next_url})


def test_chosen_zone_is_remembered_and_audited(client_as, app):
    """Does choosing a zone set a long-lived cookie, mark every page with it and write an audit event?"""
    client = client_as("viewer")
    response = _choose(client, "Asia/Tokyo")
    assert response.status_code == 302 and response.headers["Location"].endswith("/runs")
    assert "fd_tz=Asia/Tokyo" in response.headers["Set-Cookie"] and "Max-Age=31536000" in response.headers[
        "Set-Cookie"]
    page = client.get("/aac/aac-main/schedules").get_data(as_text=True)
    assert '<body data-timezone="Asia/Tokyo">' in page
    assert '<option value="Asia/Tokyo" selected>' in page
    assert audit_rows(app, "preference_timezone")[0].outcome == "ok"


def test_times_keep_utc_on_hover(client_as):
    """Does every time carry its UTC value in the title, whatever zone it is shown in?"""
    client = client_as("viewer")
    _choose(client, "Europe/Berlin")
    page = client.get("/aac/aac-main/runs").get_data(as_text=True)
    assert 'title="20' in page and ' UTC">' in page


def test_unknown_zone_changes_nothing(client_as):
    """Is an unknown zone refused with a message, leaving the choice as it was?"""
    client = client_as("viewer")
    _choose(client, "Europe/Berlin")
    response = _choose(client, "Mars/Olympus_Mons")
    assert "fd_tz" not in response.headers.get("Set-Cookie", "")
    page = client.get("/").get_data(as_text=True)
    assert "is not a time zone this server knows" in page and 'data-timezone="Europe/Berlin"' in page


def test_browser_zone_again(client_as):
    """Does choosing "browser's zone" forget the cookie?"""
    client = client_as("viewer")
    _choose(client, "Asia/Tokyo")
    _choose(client, "")
    assert '<body data-timezone="">' in client.get("/").get_data(as_text=True)


def test_without_csrf_nothing_is_set(client_as):
    """Is a POST without the CSRF token refused and the zone left alone?"""
    client = client_as("viewer")
    response = client.post("/preferences/timezone", data={"tz": "Asia/Tokyo"})
    assert response.status_code in (302, 400) and "fd_tz" not in response.headers.get("Set-Cookie", "")


def test_next_must_stay_on_this_site(client_as):
    """Does a `next` pointing elsewhere send the viewer to the overview instead?"""
    response = _choose(client_as("viewer"), "UTC", next_url="https://evil.example/")
    assert response.headers["Location"] == "/"


def test_upcoming_uses_the_chosen_zone(client_as):
    """Does the upcoming page draw its chart and heat map in the remembered zone by default?"""
    client = client_as("viewer")
    _choose(client, "Asia/Tokyo")
    assert "(Asia/Tokyo), clashes marked" in client.get("/upcoming").get_data(as_text=True)
