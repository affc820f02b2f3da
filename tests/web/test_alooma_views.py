"""Alooma pages: scheduled queries as schedules with Run now, their latest runs, inputs, the session panel."""
from __future__ import annotations

import os

import pytest
import requests

from tests.helpers import audit_rows, post_form

PAGES = ["/alooma/alooma-main/schedules", "/alooma/alooma-main/workflows", "/alooma/alooma-main/runs",
         "/alooma/alooma-main/token", "/alooma/alooma-key/schedules", "/alooma/alooma-key/runs"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_for_a_viewer(alooma_client_as, url):
    """Does each Alooma page render for a viewer without a banner?"""
    response = alooma_client_as("viewer").get(url)
    assert response.status_code == 200 and b"banner-error" not in response.data


def test_schedules_show_queries_in_words_with_their_errors(alooma_client_as):
    """Are the scheduled queries listed with their timing in words, the ones in error with the error and count?"""
    page = alooma_client_as("viewer").get("/alooma/alooma-main/schedules").get_data(as_text=True)
    assert "every 8 hours" in page and "every Monday at 06:00 (UTC)" in page
    assert "syntax error at or near" in page and "lock timeout" in page and "badge-failed" in page


def test_inputs_list_their_type_and_state_without_a_run_button(alooma_client_as):
    """Does the inputs page list every input with type and state, and offer no Run button even to operators?"""
    page = alooma_client_as("operator").get("/alooma/alooma-main/workflows").get_data(as_text=True)
    assert "<h1>Inputs</h1>" in page and "SALESFORCE · failed" in page and "GOOGLE_ANALYTICS · paused" in page
    assert "/alooma/alooma-main/run/" not in page


def test_latest_runs_link_to_a_failed_querys_error(alooma_client_as, alooma_emulator):
    """Does a failed query's latest run page show its error and the query?"""
    broken = alooma_emulator.state()["brokenQuery"]
    client = alooma_client_as("viewer")
    assert f"/alooma/alooma-main/runs/{broken}" in client.get("/alooma/alooma-main/runs").get_data(as_text=True)
    page = client.get(f"/alooma/alooma-main/runs/{broken}").get_data(as_text=True)
    assert "badge-failed" in page and "syntax error" in page and "shop.order_items" in page


def test_run_now_asks_first_then_runs_and_audits(alooma_client_as, alooma_app, alooma_emulator):
    """Does Run now confirm, then start the query, land on the query's page (which follows it) and write an audit
    event, the run page also showing it running?"""
    fixable = alooma_emulator.state()["fixableQuery"]
    client = alooma_client_as("operator")
    url = f"/alooma/alooma-main/schedules/{fixable}/run-now"
    assert url in client.get("/alooma/alooma-main/schedules").get_data(as_text=True)
    assert b"Run now</button>" in client.get(url).data
    response = post_form(client, url)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/alooma/alooma-main/queries/{fixable}")
    (event,) = audit_rows(alooma_app, "schedule_run_now")
    assert event.outcome == "ok" and event.object_id == fixable and "sf_Opportunity" in event.params
    status = client.get(f"/alooma/alooma-main/runs/{fixable}/status.json").get_json()
    assert status["status"] == "running" and not status["final"]


def test_run_now_refused_by_alooma_is_audited_as_failed(alooma_client_as, alooma_app, alooma_emulator):
    """When the query is already running, is the second Run now flashed and audited as failed?"""
    broken = alooma_emulator.state()["brokenQuery"]
    client = alooma_client_as("operator")
    url = f"/alooma/alooma-main/schedules/{broken}/run-now"
    post_form(client, url)
    response = post_form(client, url)
    assert response.status_code == 302
    outcomes = [e.outcome for e in audit_rows(alooma_app, "schedule_run_now")]
    assert outcomes == ["ok", "failed"]
    assert "already running" in client.get("/alooma/alooma-main/schedules").get_data(as_text=True)


def test_a_viewer_cannot_run_a_query_now(alooma_client_as, alooma_emulator):
    """Is a viewer refused Run now with 403, and shown no Run now link?"""
    fixable = alooma_emulator.state()["fixableQuery"]
    client = alooma_client_as("viewer")
    assert client.get(f"/alooma/alooma-main/schedules/{fixable}/run-now").status_code == 403
    assert client.post(f"/alooma/alooma-main/schedules/{fixable}/run-now").status_code in (400, 403)
    assert "/run-now" not in client.get("/alooma/alooma-main/schedules").get_data(as_text=True)


def test_unknown_queries_and_runs_are_404_pages(alooma_client_as):
    """Are an unknown query's Run now page, an unknown run and a malformed id 404 pages?"""
    client = alooma_client_as("operator")
    assert client.get("/alooma/alooma-main/schedules/no-such-query/run-now").status_code == 404
    assert client.get("/alooma/alooma-main/runs/no-such-query").status_code == 404
    assert client.get("/alooma/alooma-main/runs/bad%20id").status_code == 404


@pytest.mark.parametrize("url", ["/alooma/alooma-main/schedules", "/alooma/alooma-main/workflows",
                                 "/alooma/alooma-main/runs", "/alooma/alooma-main/token"])
def test_a_failing_platform_is_a_banner(alooma_client_as, alooma_emulator, url):
    """When Alooma answers 500, does the page still render, naming the failure?"""
    client = alooma_client_as("viewer")
    alooma_emulator.faults(fail_next={"count": 200, "status": 500})
    response = client.get(url)
    assert response.status_code == 200 and b"banner-error" in response.data and b"server error (500)" in response.data


def test_the_session_panel_names_the_account_and_deployment(alooma_client_as):
    """Does the panel show account, deployment, the signed-in user and the session with Refresh now?"""
    page = alooma_client_as("operator").get("/alooma/alooma-main/token").get_data(as_text=True)
    assert "flightdeck-demo-1" in page and "flightdeck-svc@example.com" in page and "Refresh now" in page
    assert "Alooma login session of" in page


def test_an_api_key_connection_has_no_session_panel(alooma_client_as):
    """Is there no token panel (nor its tab) for a connection that sends an API key?"""
    client = alooma_client_as("operator")
    assert client.get("/alooma/alooma-key/token").status_code == 404
    assert "/alooma/alooma-key/token" not in client.get("/alooma/alooma-key/schedules").get_data(as_text=True)


def test_a_refused_password_shows_on_the_panel(alooma_client_as, monkeypatch):
    """After a refused sign-in, does the panel say which variable to fix, without the password?"""
    monkeypatch.setenv("ALOOMA_MAIN_PASSWORD", "wrong-password-given")
    client = alooma_client_as("operator")
    post_form(client, "/alooma/alooma-main/token", "/alooma/alooma-main/token/refresh")
    page = client.get("/alooma/alooma-main/token").get_data(as_text=True)
    assert "ALOOMA_MAIN_PASSWORD" in page and "wrong-password-given" not in page


def test_no_password_or_key_reaches_a_page(alooma_client_as, alooma_emulator):
    """Do the login password, the API key and the inputs' stored credentials stay out of every page?"""
    secrets = [os.environ["ALOOMA_MAIN_PASSWORD"], os.environ["ALOOMA_KEY_API_KEY"]]
    inputs = requests.get(f"{alooma_emulator.url}/rest/inputs", timeout=5,
                          headers={"authorization": f"API {secrets[1]}"}).json()
    secrets += [str(v) for node in inputs.values() for k, v in node["configuration"].items()
                if any(word in k.lower() for word in ("pass", "secret", "token", "oauth", "key"))]
    client = alooma_client_as("admin")
    for url in PAGES + ["/api/v1/alooma/alooma-main/schedules", "/api/v1/alooma/alooma-main/runs", "/workflows"]:
        response = client.get(url)
        body = response.get_data(as_text=True)
        assert response.status_code == 200 and not [s for s in secrets if s in body], url


def test_a_single_owner_gets_no_owner_chart(alooma_client_as):
    """With every query owned by the deployment, is the one-bar owner chart left out (the hourly one stays)?"""
    page = alooma_client_as("viewer").get("/alooma/alooma-main/schedules").get_data(as_text=True)
    assert 'id="chart-by-owner"' not in page and 'id="chart-upcoming"' in page


def test_scheduled_queries_appear_in_the_cross_platform_schedules(alooma_client_as, alooma_emulator):
    """Are the Alooma scheduled queries listed on the all-platforms Schedules page, the broken one among them?"""
    state = alooma_emulator.state()
    client = alooma_client_as("viewer")
    items = client.get("/schedules?platform=alooma&export=json").get_json()["items"]
    ids = {item["id"] for item in items if item["connection"] == "alooma-main"}
    assert len(ids) == state["scheduledQueries"] and state["brokenQuery"] in ids and state["fixableQuery"] in ids
    page = client.get("/schedules?platform=alooma").get_data(as_text=True)
    assert "shop.order_items custom query" in page
