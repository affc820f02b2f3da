"""Pages through the Flask test client: roles, CSRF, 404s, banners under faults, escaping, audit."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import RunRecord
from tests.helpers import audit_rows, csrf_from, execution_id_from, post_form

PAGES = ["/", "/aac/aac-main/schedules", "/aac/aac-main/runs", "/aac/aac-main/workflows", "/aac/aac-main/token"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_need_sign_in(app, url):
    """Does every page send an anonymous visitor to the sign-in page?"""
    response = app.test_client().get(url)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_render_for_a_viewer(client_as, url):
    """Does each page render for a viewer?"""
    assert client_as("viewer").get(url).status_code == 200


def test_both_connections_side_by_side(client_as):
    """Do two AAC connections each get their own pages?"""
    client = client_as("viewer")
    assert client.get("/aac/aac-second/schedules").status_code == 200
    assert b"aac-second" in client.get("/").data


def test_unknown_connection_is_404(client_as):
    """Is an unknown connection name a 404 page?"""
    response = client_as("viewer").get("/aac/nope/schedules")
    assert response.status_code == 404 and b"nope" in response.data


def test_unknown_run_is_404(client_as):
    """Is an unknown run id a 404 page, numeric or not?"""
    client = client_as("viewer")
    assert client.get("/aac/aac-main/runs/99999999").status_code == 404
    assert client.get("/aac/aac-main/runs/abc").status_code == 404


def test_unknown_workflow_is_404(client_as):
    """Is running an unknown plan a 404?"""
    assert client_as("operator").get("/aac/aac-main/run/plan/99999").status_code == 404


def test_schedules_page_shows_words_and_charts(client_as):
    """Does the schedules page show trigger words and embed chart data as JSON, not inline script?"""
    html = client_as("viewer").get("/aac/aac-main/schedules?per_page=100").get_data(as_text=True)
    assert "every" in html and 'type="application/json" id="chart-by-owner"' in html
    assert "<script>" not in html


def test_schedule_name_with_script_is_escaped(client_as):
    """Does a schedule named with <script> render as text?"""
    html = client_as("viewer").get("/aac/aac-main/schedules?q=script").get_data(as_text=True)
    assert "&lt;script&gt;" in html and "<script>alert" not in html


def test_schedule_search_filter_sort_and_paging(client_as):
    """Do search, enabled filter, sort and pagination narrow the schedules table?"""
    client = client_as("viewer")
    disabled = client.get("/aac/aac-main/schedules?enabled=no").get_data(as_text=True)
    assert "badge-off" in disabled and "badge-on" not in disabled
    page2 = client.get("/aac/aac-main/schedules?page=2&per_page=10").get_data(as_text=True)
    assert "page 2 of" in page2
    desc = client.get("/aac/aac-main/schedules?sort=name&dir=desc").get_data(as_text=True)
    assert 'aria-sort="descending"' in desc


def test_runs_filter_by_status(client_as):
    """Does the runs page filter by status?"""
    html = client_as("viewer").get("/aac/aac-main/runs?status=failed").get_data(as_text=True)
    assert "badge-failed" in html and "badge-succeeded" not in html.split("<tbody>")[1].split("</tbody>")[0]


def test_viewer_sees_no_action_buttons(client_as):
    """Does a viewer see no Run, Disable or Refresh buttons?"""
    client = client_as("viewer")
    assert b">Run</a>" not in client.get("/aac/aac-main/workflows").data
    assert b"Disable</a>" not in client.get("/aac/aac-main/schedules").data
    assert b"Refresh now" not in client.get("/aac/aac-main/token").data


@pytest.mark.parametrize("method, url", [
    ("get", "/aac/aac-main/run/plan/1"), ("post", "/aac/aac-main/run/plan/1"),
    ("get", "/aac/aac-main/schedules/1/toggle"), ("post", "/aac/aac-main/schedules/1/toggle"),
    ("post", "/aac/aac-main/token/refresh"),
])
def test_viewer_is_refused_actions(client_as, method, url):
    """Is a viewer refused every action with 403, whatever the form says?"""
    client = client_as("viewer")
    csrf = csrf_from(client.get("/aac/aac-main/token").get_data(as_text=True))
    response = getattr(client, method)(url, data={"csrf_token": csrf})
    assert response.status_code == 403


def test_admin_pages_refuse_non_admins(client_as):
    """Does every /admin URL refuse viewers and operators?"""
    for role in ("viewer", "operator"):
        client = client_as(role)
        for url in ("/admin/audit", "/admin/audit.csv"):
            assert client.get(url).status_code == 403


def test_run_without_csrf_starts_nothing(client_as, app, emulator):
    """Is a run POST without a CSRF token refused with 400 and nothing started?"""
    client = client_as("operator")
    plan_id = _first(client, "plan")
    before = emulator.state()["jobGroups"]
    response = client.post(f"/aac/aac-main/run/plan/{plan_id}", data={"execution_id": "a" * 32})
    assert response.status_code == 400
    assert emulator.state()["jobGroups"] == before
    with app.app_context():
        assert db.session.execute(db.select(RunRecord)).first() is None


def _first(client, kind: str) -> str:
    import re
    html = client.get(f"/aac/aac-main/workflows?kind={kind}").get_data(as_text=True)
    return re.search(rf'/aac/aac-main/run/{kind}/([^"]+)"', html).group(1)


def test_operator_runs_a_plan_and_it_is_audited(client_as, app):
    """Does an operator's Run start the plan, land on the live run page and write an audit event?"""
    client = client_as("operator")
    plan_id = _first(client, "plan")
    response = post_form(client, f"/aac/aac-main/run/plan/{plan_id}")
    assert response.status_code == 302 and "/runs/plan-" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-status-url="/aac/aac-main/runs/plan-' in page
    events = audit_rows(app, "run_start")
    assert len(events) == 1 and events[0].outcome == "ok" and events[0].username == "operator"


def test_status_json_follows_a_run_to_its_end(client_as, emulator):
    """Does the status endpoint the live page polls report queued, then a final state with a duration?"""
    client = client_as("operator")
    plan_id = _first(client, "plan")
    location = post_form(client, f"/aac/aac-main/run/plan/{plan_id}").headers["Location"]
    status_url = location.split("?")[0] + "/status.json"
    first = client.get(status_url).get_json()
    assert first["final"] is False and first["duration"] == "—"
    emulator.advance(3600)
    last = client.get(status_url).get_json()
    assert last["final"] is True and last["status"] in ("succeeded", "failed")
    assert last["finished"] and last["duration"] != "—"


def test_double_submit_starts_one_run(client_as, app, emulator):
    """Does submitting the same run form twice start one run and show it both times?"""
    client = client_as("operator")
    plan_id = _first(client, "plan")
    url = f"/aac/aac-main/run/plan/{plan_id}"
    html = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "execution_id": execution_id_from(html)}
    first = client.post(url, data=data)
    second = client.post(url, data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(audit_rows(app, "run_start")) == 1


def test_invalid_parameter_is_a_form_error(client_as, app, emulator):
    """Does a non-number for a number parameter show a form error and start nothing?"""
    client = client_as("operator")
    svc_html = client.get("/aac/aac-main/workflows?kind=flow").get_data(as_text=True)
    import re
    flow_ids = re.findall(r'/aac/aac-main/run/flow/([^"]+)"', svc_html)
    for flow_id in flow_ids:
        page = client.get(f"/aac/aac-main/run/flow/{flow_id}").get_data(as_text=True)
        if "(number)" in page:
            name = re.search(r'name="param-([^"]+)"[^>]*inputmode="decimal"', page).group(1)
            before = emulator.state()["jobGroups"]
            response = client.post(f"/aac/aac-main/run/flow/{flow_id}", data={
                "csrf_token": csrf_from(page), "execution_id": execution_id_from(page), f"param-{name}": "lots"})
            assert response.status_code == 400 and b"Enter a number." in response.data
            assert emulator.state()["jobGroups"] == before
            assert audit_rows(app, "run_start") == []
            return
    pytest.fail("no flow with a number parameter in the sandbox")


def test_toggle_needs_confirm_and_is_audited(client_as, app):
    """Does GET only ask for confirmation, and POST disable the schedule with an audit event?"""
    client = client_as("operator")
    import re
    html = client.get("/aac/aac-main/schedules?enabled=yes").get_data(as_text=True)
    schedule_id = re.search(r"/aac/aac-main/schedules/(\d+)/toggle", html).group(1)
    confirm = client.get(f"/aac/aac-main/schedules/{schedule_id}/toggle")
    assert b"Disable schedule" in confirm.data
    assert audit_rows(app, "schedule_disable") == []
    response = post_form(client, f"/aac/aac-main/schedules/{schedule_id}/toggle")
    assert response.status_code == 302
    assert audit_rows(app, "schedule_disable")[0].object_id == schedule_id


def test_token_refresh_button(client_as, app):
    """Does Refresh now spend the token, show ok and write an audit event without the token in it?"""
    client = client_as("operator")
    response = post_form(client, "/aac/aac-main/token", "/aac/aac-main/token/refresh")
    assert response.status_code == 302
    page = client.get("/aac/aac-main/token").get_data(as_text=True)
    assert "badge-succeeded" in page
    event = audit_rows(app, "token_refresh")[0]
    assert event.outcome == "ok" and set(__import__("json").loads(event.params)) == {"expires_at"}


@pytest.mark.parametrize("knob", [
    {"fail_next": {"count": 50, "status": 500}},
    {"fail_next": {"count": 50, "status": 503}},
    {"rate_limit_next": {"count": 50, "retry_after": 120}},
    {"malformed_next": {"count": 50}},
    {"drift_next": {"count": 50}},
    {"timeout_next": {"count": 50, "seconds": 4}},
])
@pytest.mark.parametrize("url", ["/aac/aac-main/schedules", "/aac/aac-main/runs", "/aac/aac-main/workflows"])
def test_platform_failure_is_a_banner_not_a_500(client_as, emulator, knob, url):
    """Under each fault, does the page still render with a banner naming the connection?"""
    client = client_as("viewer")
    emulator.faults(**knob)
    response = client.get(url)
    assert response.status_code == 200
    assert b'class="banner banner-error"' in response.data and b"aac-main" in response.data


def test_api_returns_normalised_records(client_as):
    """Do the JSON API routes return schedules, runs and one run as normalised records?"""
    client = client_as("viewer")
    schedules = client.get("/api/v1/aac/aac-main/schedules").get_json()
    assert schedules["total"] >= 25 and {"id", "name", "trigger", "next_run"} <= set(schedules["items"][0])
    runs = client.get("/api/v1/aac/aac-main/runs?status=failed").get_json()
    assert all(r["status"] == "failed" for r in runs["items"])
    one = client.get(f"/api/v1/aac/aac-main/runs/{runs['items'][0]['id']}").get_json()
    assert one["status"] == "failed"
    assert client.get("/api/v1/aac/aac-main/runs/99999999").status_code == 404


def test_api_failure_is_json(client_as, emulator):
    """Does a platform failure on the API answer JSON with the connection named, not a 500?"""
    emulator.faults(fail_next={"count": 50, "status": 503})
    response = client_as("viewer").get("/api/v1/aac/aac-main/runs")
    assert response.status_code == 503 and "aac-main" in response.get_json()["error"]["message"]


def test_healthz(app):
    """Does /healthz answer ok without sign-in?"""
    assert app.test_client().get("/healthz").get_json() == {"status": "ok"}


def test_security_headers(client_as):
    """Does every page carry a CSP without inline script, and nosniff?"""
    response = client_as("viewer").get("/aac/aac-main/schedules")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_audit_log_filters_and_csv(client_as, app):
    """Does the audit page filter by action and export CSV?"""
    operator = client_as("operator")
    post_form(operator, "/aac/aac-main/token", "/aac/aac-main/token/refresh")
    admin = client_as("admin")
    html = admin.get("/admin/audit?action=token_refresh").get_data(as_text=True)
    assert "token_refresh" in html and "sign_in" not in html.split("<tbody>")[1]
    csv_text = admin.get("/admin/audit.csv?action=token_refresh").get_data(as_text=True)
    assert csv_text.splitlines()[0].startswith("at,username") and "token_refresh" in csv_text


def test_wrong_password_is_refused_and_audited(app):
    """Is a wrong password refused with 401 and recorded?"""
    from tests.helpers import login
    response = login(app.test_client(), "admin", "wrong-password")
    assert response.status_code == 401
    assert audit_rows(app, "sign_in")[0].outcome == "refused"


def test_open_redirect_is_refused(app):
    """Does a next= pointing at another site land on the front page instead?"""
    client = app.test_client()
    page = client.get("/auth/login?next=https://evil.example/")
    from tests.conftest import PASSWORD
    response = client.post("/auth/login?next=https://evil.example/", data={
        "username": "viewer", "password": PASSWORD, "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.headers["Location"] == "/"


def test_secrets_never_reach_pages(client_as, app, monkeypatch):
    """Is the refresh token in the environment absent from every page the admin sees?"""
    import os
    secret = os.environ["AAC_MAIN_REFRESH_TOKEN"]
    client = client_as("admin")
    post_form(client, "/aac/aac-main/token", "/aac/aac-main/token/refresh")
    for url in PAGES + ["/admin/audit", "/admin/audit.csv", "/api/v1/aac/aac-main/schedules"]:
        assert secret.encode() not in client.get(url).data


def test_unconfirmed_start_keeps_the_form_from_starting_twice(client_as, app, emulator):
    """When the start times out but the platform started it, does resubmitting the form start nothing more?"""
    client = client_as("operator")
    plan_id = _first(client, "plan")
    url = f"/aac/aac-main/run/plan/{plan_id}"
    html = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "execution_id": execution_id_from(html)}
    before = emulator.state()["jobGroups"]
    emulator.faults(timeout_next={"count": 1, "seconds": 5, "path": f"/v4/plans/{plan_id}/run"})
    first = client.post(url, data=data)
    assert first.status_code == 302 and "/runs" in first.headers["Location"]
    import time
    deadline = time.monotonic() + 8  # the emulator answers late, after the client gave up
    while emulator.state()["jobGroups"] == before and time.monotonic() < deadline:
        time.sleep(0.2)
    started = emulator.state()["jobGroups"]
    assert started > before
    client.post(url, data=data)
    assert emulator.state()["jobGroups"] == started
    assert [e.outcome for e in audit_rows(app, "run_start")] == ["unknown"]


def test_the_run_form_opens_with_the_values_last_used(client_as, app, emulator):
    """After a flow runs with a typed value, does its run form open with that value and say whose it was?"""
    import re
    client = client_as("operator")
    html = client.get("/aac/aac-main/workflows?kind=flow").get_data(as_text=True)
    for flow_id in re.findall(r'/aac/aac-main/run/flow/([^"]+)"', html):
        url = f"/aac/aac-main/run/flow/{flow_id}"
        page = client.get(url).get_data(as_text=True)
        field = re.search(r'<input id="[^"]+" name="(param-[^"]+)" value="[^"]*"\s+inputmode="decimal"', page)
        if field is None:
            continue
        assert "last ran it with" not in page
        assert post_form(client, url, **{field.group(1): "417"}).status_code == 302
        again = client_as("admin").get(url).get_data(as_text=True)
        assert re.search(rf'name="{re.escape(field.group(1))}" value="417"', again)
        assert "Filled in with the values operator last ran it with" in again
        return
    pytest.fail("no flow with a number parameter in the sandbox")
