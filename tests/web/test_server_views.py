"""Alteryx Server pages through the Flask test client: questions, jobs, outputs, schedules, tokens, roles, faults."""
from __future__ import annotations

import json
import re

import pytest

from tests.helpers import audit_rows, csrf_from, execution_id_from, post_form

PAGES = ["/server/server-main/schedules", "/server/server-main/runs", "/server/server-main/workflows",
         "/server/server-main/token", "/server/server-legacy/workflows", "/server/server-legacy/runs",
         "/server/server-legacy/token"]


def _jobs(server_emulator) -> int:
    return server_emulator.state()["jobs"]


def _app_with(client, connection: str, *types: str) -> str:
    """The id of a runnable workflow on the workflows page whose questions include the given field types."""
    html = client.get(f"/server/{connection}/workflows?per_page=100").get_data(as_text=True)
    for workflow_id in re.findall(rf'/server/{connection}/run/workflow/([0-9a-f]{{24}})"', html):
        form = client.get(f"/server/{connection}/run/workflow/{workflow_id}").get_data(as_text=True)
        if all(marker in form for marker in types):
            return workflow_id
    raise AssertionError(f"no workflow with {types}")


@pytest.mark.parametrize("url", PAGES)
def test_pages_render_for_a_viewer(server_client_as, url):
    """Does every Server page render for a viewer?"""
    response = server_client_as("viewer").get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]


def test_workflows_page_shows_versions_questions_and_last_runs(server_client_as):
    """Does the workflows page list name, owner, version, parameters and last run with status?"""
    page = server_client_as("viewer").get("/server/server-main/workflows").get_data(as_text=True)
    assert "<th scope=\"col\">Version</th>" in page and "<th scope=\"col\">Last run</th>" in page
    assert "badge-succeeded" in page or "badge-failed" in page
    assert "/server/server-main/runs?target=" in page  # each workflow links to its own jobs


def test_workflow_search_narrows_the_list(server_client_as):
    """Does a search show only workflows whose names match?"""
    client = server_client_as("viewer")
    everything = client.get("/server/server-legacy/workflows?per_page=100").get_data(as_text=True)
    first = re.search(r'<td class="name">([^<]+)', everything).group(1)
    word = first.split()[0]
    found = client.get(f"/server/server-legacy/workflows?q={word}&per_page=100").get_data(as_text=True)
    names = re.findall(r'<td class="name">([^<]+)', found)
    assert names and all(word.lower() in n.lower() for n in names) and len(names) < len(
        re.findall(r'<td class="name">', everything))


def test_run_form_renders_each_question_type(server_client_as):
    """Does an app's run form show a drop-down, a check box, a date and a number with their defaults?"""
    client = server_client_as("operator")
    workflow_id = _app_with(client, "server-main", "<select", 'type="checkbox"', 'type="date"', 'inputmode="decimal"')
    form = client.get(f"/server/server-main/run/workflow/{workflow_id}").get_data(as_text=True)
    assert 'name="option-priority"' in form and "Run settings" in form


def test_bad_answer_is_shown_by_its_field_and_starts_nothing(server_client_as, server_emulator):
    """Does a non-number for a numeric question show the reason next to the field and queue no job?"""
    client = server_client_as("operator")
    workflow_id = _app_with(client, "server-main", 'inputmode="decimal"')
    url = f"/server/server-main/run/workflow/{workflow_id}"
    html = client.get(url).get_data(as_text=True)
    name = re.search(r'name="param-([^"]+)"[^>]*inputmode="decimal"', html).group(1)
    before = _jobs(server_emulator)
    response = client.post(url, data={"csrf_token": csrf_from(html), "execution_id": execution_id_from(html),
                                      f"param-{name}": "twelve", "option-priority": "Default"})
    assert response.status_code == 400 and b"Enter a number." in response.data
    assert _jobs(server_emulator) == before


def test_run_starts_one_job_and_is_audited(server_client_as, server_app, server_emulator):
    """Does Run queue one job (even when the form is sent twice), land on its live page and audit the answers?"""
    client = server_client_as("operator")
    workflow_id = _app_with(client, "server-main", "<select")
    url = f"/server/server-main/run/workflow/{workflow_id}"
    html = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "execution_id": execution_id_from(html), "option-priority": "High"}
    for field, value in re.findall(r'name="param-([^"]+)" value="([^"]*)"', html):
        data.setdefault(f"param-{field}", value)
    before = _jobs(server_emulator)
    first, second = client.post(url, data=data), client.post(url, data=data)
    assert first.status_code == 302 and first.headers["Location"] == second.headers["Location"]
    assert _jobs(server_emulator) == before + 1
    live = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "data-status-url=" in live
    events = audit_rows(server_app, "run_start")
    assert len(events) == 1 and json.loads(events[0].params)["run priority"] == "High"


def test_job_status_json_reaches_a_final_state(server_client_as, server_emulator):
    """Does the status endpoint the live page polls report queued and, after the clock moves, a final state?"""
    client = server_client_as("operator")
    workflow_id = _app_with(client, "server-main")
    location = post_form(client, f"/server/server-main/run/workflow/{workflow_id}",
                         **{"option-priority": "Default"}).headers["Location"]
    status_url = location.split("?")[0] + "/status.json"
    assert client.get(status_url).get_json()["status"] == "queued"
    server_emulator.advance(3 * 3600)
    final = client.get(status_url).get_json()
    assert final["final"] is True and final["platform_status"].startswith("Completed · ")


def test_job_detail_shows_messages_and_outputs(server_client_as):
    """Does a job page show its messages with levels and download links per format?"""
    client = server_client_as("viewer")
    runs = client.get("/api/v1/server/server-main/runs?per_page=200").get_json()["items"]
    job = next(r for r in runs if r["outputs"])
    page = client.get(f"/server/server-main/runs/{job['id']}").get_data(as_text=True)
    assert "badge-level-info" in page and "Finished running" in page
    assert f"/server/server-main/runs/{job['id']}/outputs/{job['outputs'][0]['id']}?format=" in page


def test_output_download_streams_as_an_attachment(server_client_as, server_app):
    """Does an output download arrive as an attachment in the chosen format and write an audit event?"""
    client = server_client_as("viewer")
    runs = client.get("/api/v1/server/server-main/runs?per_page=200").get_json()["items"]
    job = next(r for r in runs if r["outputs"] and "Csv" in r["outputs"][0]["formats"])
    output = job["outputs"][0]
    response = client.get(f"/server/server-main/runs/{job['id']}/outputs/{output['id']}?format=Csv")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert len(response.get_data()) > 0
    assert audit_rows(server_app, "output_download")[0].object_id == job["id"]


def test_output_in_an_unknown_format_is_400(server_client_as):
    """Is a format the output does not offer a 400 page, not a 500?"""
    client = server_client_as("viewer")
    runs = client.get("/api/v1/server/server-main/runs?per_page=200").get_json()["items"]
    job = next(r for r in runs if r["outputs"])
    response = client.get(f"/server/server-main/runs/{job['id']}/outputs/{job['outputs'][0]['id']}?format=Pdf")
    assert response.status_code == 400


def test_unknown_job_and_workflow_are_404(server_client_as):
    """Do an unknown job id and an unknown workflow id answer 404 pages?"""
    client = server_client_as("operator")
    assert client.get("/server/server-main/runs/" + "0" * 24).status_code == 404
    assert client.get("/server/server-main/run/workflow/" + "0" * 24).status_code == 404
    assert client.get("/server/server-legacy/run/workflow/" + "0" * 24).status_code == 404


def test_schedules_page_shows_frequency_words_and_charts(server_client_as):
    """Does the schedules page say each frequency in words with its zone, and carry the charts?"""
    page = server_client_as("viewer").get("/server/server-main/schedules").get_data(as_text=True)
    assert re.search(r"every (day|weekday|\w+day)[^<]* at \d\d:\d\d \(", page)
    assert 'id="chart-by-owner"' in page and 'id="chart-upcoming"' in page


def test_legacy_schedules_page_says_why_it_is_empty(server_client_as):
    """Does a v1-only connection open on its workflows, and its schedules page explain that they need v3?"""
    client = server_client_as("viewer")
    assert client.get("/server/server-legacy/").headers["Location"].endswith("/server/server-legacy/workflows")
    assert client.get("/server/server-main/").headers["Location"].endswith("/server/server-main/schedules")
    page = client.get("/server/server-legacy/schedules").get_data(as_text=True)
    assert "Server API v3" in page


def test_schedule_toggle_confirms_and_audits(server_client_as, server_app):
    """Does disabling a schedule ask first, then PATCH it and write an audit event?"""
    client = server_client_as("operator")
    html = client.get("/server/server-main/schedules?enabled=yes").get_data(as_text=True)
    schedule_id = re.search(r"/server/server-main/schedules/([0-9a-f]{24})/toggle", html).group(1)
    assert b"Disable schedule" in client.get(f"/server/server-main/schedules/{schedule_id}/toggle").data
    response = post_form(client, f"/server/server-main/schedules/{schedule_id}/toggle")
    assert response.status_code == 302
    assert audit_rows(server_app, "schedule_disable")[0].object_id == schedule_id
    assert f"/server/server-main/schedules/{schedule_id}/toggle" in client.get(
        "/server/server-main/schedules?enabled=no").get_data(as_text=True)


def test_token_page_shows_both_credentials(server_client_as):
    """Does the token panel show the v3 token with a Refresh button and the OAuth1 signature check?"""
    page = server_client_as("operator").get("/server/server-main/token").get_data(as_text=True)
    assert "OAuth 2.0 client credentials" in page and "OAuth 1.0a" in page
    assert page.count("Refresh now") == 1


def test_refresh_is_audited_without_secrets(server_client_as, server_app, monkeypatch):
    """Does Refresh now fetch a v3 token and audit it, with no secret anywhere?"""
    import os
    client = server_client_as("operator")
    response = post_form(client, "/server/server-main/token", "/server/server-main/token/refresh")
    assert response.status_code == 302
    event = audit_rows(server_app, "token_refresh")[0]
    secret = os.environ["SERVER_MAIN_CLIENT_SECRET"]
    page = client.get("/server/server-main/token").get_data(as_text=True)
    assert event.outcome == "ok" and secret not in (event.params or "") and secret not in page


def test_refused_signature_says_so_on_the_token_panel(server_client_as, monkeypatch):
    """With a wrong API secret, does the panel say the server refused the signature and how to fix it?"""
    monkeypatch.setenv("SERVER_LEGACY_API_SECRET", "wrong-secret")
    page = server_client_as("viewer").get("/server/server-legacy/token").get_data(as_text=True)
    assert "refused the signature" in page and "SERVER_LEGACY_API_SECRET" in page and "wrong-secret" not in page


@pytest.mark.parametrize("method, url", [
    ("post", "/server/server-main/token/refresh"),
    ("get", "/server/server-main/run/workflow/" + "a" * 24), ("post", "/server/server-main/run/workflow/" + "a" * 24),
    ("get", "/server/server-main/schedules/" + "a" * 24 + "/toggle"),
    ("post", "/server/server-main/schedules/" + "a" * 24 + "/toggle"),
])
def test_viewer_is_refused_actions(server_client_as, method, url):
    """Is a viewer refused run, toggle and refresh with 403, whatever the form says?"""
    client = server_client_as("viewer")
    csrf = csrf_from(client.get("/server/server-main/token").get_data(as_text=True))
    assert getattr(client, method)(url, data={"csrf_token": csrf}).status_code == 403


@pytest.mark.parametrize("knob", [
    {"fail_next": {"count": 500, "status": 500}},
    {"malformed_next": {"count": 500}},
    {"rate_limit_next": {"count": 500, "retry_after": 120}},
])
@pytest.mark.parametrize("url", ["/server/server-main/schedules", "/server/server-main/runs",
                                 "/server/server-main/workflows", "/server/server-legacy/workflows"])
def test_platform_failure_is_a_banner_not_a_500(server_client_as, server_emulator, knob, url):
    """Under each fault, does the page still render with a banner naming the connection?"""
    client = server_client_as("viewer")
    server_emulator.faults(**knob)
    response = client.get(url)
    assert response.status_code == 200
    assert b'class="banner banner-error"' in response.data and b"server-" in response.data


def test_api_serves_server_records(server_client_as):
    """Do the JSON API routes return Server schedules and jobs as normalised records?"""
    client = server_client_as("viewer")
    schedules = client.get("/api/v1/server/server-main/schedules").get_json()
    assert schedules["total"] >= 15 and schedules["items"][0]["platform"] == "server"
    runs = client.get("/api/v1/server/server-main/runs?status=failed").get_json()
    assert runs["items"] and all(r["status"] == "failed" for r in runs["items"])
    assert client.get("/api/v1/server/server-main/runs/" + "0" * 24).status_code == 404


def test_large_output_is_streamed_through_in_chunks(server_client_as, server_emulator):
    """Does a 5 MB output pass through as a stream of chunks, whole, with its length?"""
    large = server_emulator.state()["largeOutput"]
    client = server_client_as("viewer")
    url = f"/server/server-main/runs/{large['jobId']}/outputs/{large['outputId']}?format=Csv"
    response = client.get(url, buffered=False)
    assert response.status_code == 200 and response.is_streamed
    chunks = list(response.response)
    size = sum(len(chunk) for chunk in chunks)
    assert size > 5_000_000 and len(chunks) > 50  # 64 KiB pieces, never one body held whole
    assert response.headers.get("Content-Length") in (None, str(size))
    response.close()
