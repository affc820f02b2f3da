"""An Alooma scheduled query's own page: its facts, Run now followed until the query's next state, and Remove."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from app.platforms.alooma.queries import normalize_query_detail
from app.platforms.records import RunStatus
from tests.helpers import audit_rows, post_form

BASE = "/alooma/alooma-main"
QUERIES = json.loads((Path(__file__).parents[1] / "fixtures" / "alooma" / "queries.json").read_text())
NOW = datetime(2026, 11, 23, 18, 0, tzinfo=timezone.utc)


def _by_event_type(event_type: str) -> dict:
    return next(q for q in QUERIES["queries"] if q["configuration"]["event_type"] == event_type)


def _healthy_id(client) -> str:
    """The custom query on billing.payments (cron 30 2 * * *, never in error), from the schedules JSON."""
    items = client.get("/api/v1/alooma/alooma-main/schedules?per_page=100").get_json()["items"]
    return next(s["id"] for s in items if s["name"] == "billing.payments custom query")


# --- the record, on recorded answers ------------------------------------------------------------------
def test_a_broken_custom_query_keeps_its_error_stack_and_sql():
    """Does the record of the query with bad SQL carry its error, stack, count, custom SQL and a failed status?"""
    detail = normalize_query_detail(_by_event_type("shop.order_items"), "c", NOW)
    assert detail.status is RunStatus.FAILED and detail.status_word == "failed" and not detail.running
    assert detail.custom and detail.kind_words == "custom query" and "FORM public.shop_order_items" in detail.sql
    assert detail.error_message.startswith("ERROR: syntax error") and "psycopg2.ProgrammingError" in detail.error_stack
    assert detail.error_count >= 17 and detail.schedule.trigger.cron == "0 */6 * * *"
    assert detail.last_success is not None and detail.latest.finished is None


def test_a_running_query_is_running_and_a_recovered_one_succeeded():
    """Is a query Run now started `running` (not final), and the same query after its run succeeded with an end?"""
    running = normalize_query_detail(QUERIES["running"], "c", NOW)
    assert running.running and running.status is RunStatus.RUNNING
    recovered = normalize_query_detail(QUERIES["recovered"], "c", NOW)
    assert not recovered.running and recovered.status is RunStatus.SUCCEEDED and not recovered.error_message
    assert recovered.latest.finished == recovered.last_success and recovered.kind == "default"


# --- the page -----------------------------------------------------------------------------------------
def test_a_failing_querys_page_shows_its_facts_error_and_sql(alooma_client_as, alooma_emulator):
    """Does the broken query's page show id, event type, kind, cron in words, failed status, times, error count,
    message, stack and its SQL in a <pre>?"""
    broken = alooma_emulator.state()["brokenQuery"]
    response = alooma_client_as("viewer").get(f"{BASE}/queries/{broken}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "banner-error" not in page
    assert "<h1>shop.order_items custom query</h1>" in page and f"<code>{broken}</code>" in page
    assert "custom query" in page and "0 */6 * * *" in page and "(UTC)" in page and "badge-failed" in page
    assert re.search(r"<dt>Last success</dt><dd><time datetime=", page)
    assert re.search(r"<dt>Next run</dt><dd><time datetime=", page)
    assert re.search(r"<dt>Errors counted</dt><dd>(\d+)", page) and int(
        re.search(r"<dt>Errors counted</dt><dd>(\d+)", page).group(1)) >= 17
    assert "syntax error at or near &#34;FORM&#34;" in page and "psycopg2.ProgrammingError" in page
    assert re.search(r'<pre class="query-sql">SELECT [^<]*FORM public.shop_order_items', page)
    assert 'data-final="true"' in page and "js/live.js" not in page  # nothing to follow


def test_a_healthy_querys_page_shows_its_success_and_no_error(alooma_client_as):
    """Does a healthy query's page show it succeeded, its timing in words, no error card, and its own SQL?"""
    client = alooma_client_as("viewer")
    query_id = _healthy_id(client)
    page = client.get(f"{BASE}/queries/{query_id}").get_data(as_text=True)
    assert "badge-succeeded" in page and "30 2 * * *" in page and "billing.payments" in page
    assert "<h2>Error</h2>" not in page and "<dt>Errors counted</dt><dd>0" in page
    assert '<pre class="query-sql">INSERT INTO public.billing_payments_daily' in page


def test_the_schedules_page_links_each_query_to_its_page(alooma_client_as, alooma_emulator):
    """Does the schedules list link each query's name to its page, and that page keep the Schedules tab lit?"""
    broken = alooma_emulator.state()["brokenQuery"]
    client = alooma_client_as("viewer")
    assert f'href="{BASE}/queries/{broken}"' in client.get(f"{BASE}/schedules").get_data(as_text=True)
    page = client.get(f"{BASE}/queries/{broken}").get_data(as_text=True)
    assert re.search(rf'href="{BASE}/schedules" aria-current="page"', page)


def test_run_now_lands_on_the_query_which_follows_it_until_it_succeeds(alooma_client_as, alooma_app, alooma_emulator):
    """After Run now, is the operator on the query's page following it (running), and once Alooma's clock passes the
    run does status.json say succeeded, final, with an end and the error cleared?"""
    fixable = alooma_emulator.state()["fixableQuery"]
    client = alooma_client_as("operator")
    page = client.get(f"{BASE}/queries/{fixable}").get_data(as_text=True)
    assert f'href="{BASE}/schedules/{fixable}/run-now"' in page
    response = post_form(client, f"{BASE}/schedules/{fixable}/run-now")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{BASE}/queries/{fixable}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-final="false"' in page and "js/live.js" in page and "badge-running" in page
    assert f'data-status-url="{BASE}/queries/{fixable}/status.json"' in page and "/run-now" not in page
    status = client.get(f"{BASE}/queries/{fixable}/status.json").get_json()
    assert status["status"] == "running" and status["platform_status"] == "running" and not status["final"]
    assert status["started"] and status["finished"] is None
    alooma_emulator.advance(31)  # a manual run lasts 5-30 s (sandbox/alooma/queries.py)
    status = client.get(f"{BASE}/queries/{fixable}/status.json").get_json()
    assert status["status"] == "succeeded" and status["final"] and status["finished"] and not status["errors"]
    assert status["last_success"] == status["finished"] and status["duration"] != "—"
    (event,) = audit_rows(alooma_app, "schedule_run_now")
    assert event.outcome == "ok" and event.object_id == fixable


def test_a_broken_query_run_now_ends_failed_with_its_error(alooma_client_as, alooma_emulator):
    """When the query with bad SQL is run now, does its status.json go from running to failed with the error?"""
    broken = alooma_emulator.state()["brokenQuery"]
    client = alooma_client_as("operator")
    post_form(client, f"{BASE}/schedules/{broken}/run-now")
    assert client.get(f"{BASE}/queries/{broken}/status.json").get_json()["status"] == "running"
    alooma_emulator.advance(31)
    status = client.get(f"{BASE}/queries/{broken}/status.json").get_json()
    assert status["status"] == "failed" and status["final"] and status["finished"] is None
    assert "syntax error" in status["errors"][0] and status["duration"] == "—"


def test_remove_asks_first_then_the_query_is_gone_and_audited(alooma_client_as, alooma_app, alooma_emulator):
    """Does Remove confirm, then remove the query from Alooma and the schedules list, land there and audit it?"""
    fixable = alooma_emulator.state()["fixableQuery"]
    client = alooma_client_as("operator")
    url = f"{BASE}/queries/{fixable}/remove"
    assert f'href="{url}"' in client.get(f"{BASE}/queries/{fixable}").get_data(as_text=True)
    confirm = client.get(url).get_data(as_text=True)
    assert "sf_Opportunity consolidation" in confirm and "Remove</button>" in confirm
    response = post_form(client, url)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{BASE}/schedules")
    listing = client.get(response.headers["Location"]).get_data(as_text=True)
    assert fixable not in listing and "Removed the scheduled query sf_Opportunity consolidation." in listing
    assert alooma_emulator.state()["scheduledQueries"] == 9
    (event,) = audit_rows(alooma_app, "schedule_delete")
    assert event.outcome == "ok" and event.object_id == fixable and "sf_Opportunity consolidation" in event.params
    assert client.get(f"{BASE}/queries/{fixable}").status_code == 404


def test_a_refused_removal_is_flashed_audited_and_the_query_kept(alooma_client_as, alooma_app, alooma_emulator):
    """When Alooma refuses the removal, is the error flashed on the query's page, the query kept and the attempt
    audited as failed?"""
    fixable = alooma_emulator.state()["fixableQuery"]
    client = alooma_client_as("operator")
    url = f"{BASE}/queries/{fixable}/remove"
    html = client.get(url).get_data(as_text=True)  # the confirm step reads the list; the POST only deletes
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    alooma_emulator.faults(fail_next={"count": 1, "status": 403, "path": f"/flightdeck-demo/rest/v2/consolidation/{fixable}"})
    response = client.post(url, data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{BASE}/queries/{fixable}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Could not remove sf_Opportunity consolidation" in page and "permission denied (403)" in page
    assert alooma_emulator.state()["scheduledQueries"] == 10
    (event,) = audit_rows(alooma_app, "schedule_delete")
    assert event.outcome == "failed" and "403" in event.error


def test_a_viewer_sees_no_buttons_and_is_refused_the_actions(alooma_client_as, alooma_emulator):
    """Does a viewer see the query without Run now or Remove, and get 403 on both actions, GET and POST?"""
    fixable = alooma_emulator.state()["fixableQuery"]
    client = alooma_client_as("viewer")
    page = client.get(f"{BASE}/queries/{fixable}").get_data(as_text=True)
    assert "badge-failed" in page and "/remove" not in page and "/run-now" not in page
    for url in (f"{BASE}/queries/{fixable}/remove", f"{BASE}/schedules/{fixable}/run-now"):
        assert client.get(url).status_code == 403
        assert client.post(url).status_code in (400, 403)
    assert alooma_emulator.state()["scheduledQueries"] == 10


@pytest.mark.parametrize("path", ["queries/no-such-query", "queries/bad%20id", "queries/no-such-query/remove",
                                  "queries/no-such-query/status.json"])
def test_unknown_queries_are_404(alooma_client_as, path):
    """Are an unknown or malformed query's page, its Remove and its status.json 404s?"""
    assert alooma_client_as("operator").get(f"{BASE}/{path}").status_code == 404


def test_a_failing_platform_is_a_banner_on_the_query_page(alooma_client_as, alooma_emulator):
    """When Alooma answers 500, does the query page still render (200), naming the failure, without buttons?"""
    broken = alooma_emulator.state()["brokenQuery"]
    client = alooma_client_as("operator")
    client.get(f"{BASE}/schedules")  # signed in before the failures start
    alooma_emulator.faults(fail_next={"count": 50, "status": 500})
    response = client.get(f"{BASE}/queries/{broken}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "banner-error" in page and "server error (500)" in page
    assert "could not be loaded" in page and "/remove" not in page
    status = client.get(f"{BASE}/queries/{broken}/status.json")
    assert status.status_code >= 500 and "server error (500)" in status.get_json()["error"]["message"]


def test_a_remove_without_its_form_token_sends_nothing(alooma_client_as, alooma_app, alooma_emulator):
    """Is a Remove POST without its CSRF token refused (400) with nothing sent to Alooma and nothing audited?"""
    fixable = alooma_emulator.state()["fixableQuery"]
    response = alooma_client_as("operator").post(f"{BASE}/queries/{fixable}/remove")
    assert response.status_code == 400 and b"Nothing was changed" in response.data
    assert alooma_emulator.state()["scheduledQueries"] == 10 and not audit_rows(alooma_app, "schedule_delete")


def test_cancelling_run_now_goes_back_to_the_querys_page(alooma_client_as, alooma_emulator):
    """Does the Run now confirm step's Cancel lead back to the query's own page, where Run now is offered?"""
    fixable = alooma_emulator.state()["fixableQuery"]
    page = alooma_client_as("operator").get(f"/alooma/alooma-main/schedules/{fixable}/run-now").get_data(as_text=True)
    assert f'href="/alooma/alooma-main/queries/{fixable}">Cancel</a>' in page
