"""AacService against the running AAC emulator over real HTTP: reads, runs, toggles, tokens, failures."""
from __future__ import annotations

import uuid

import pytest

from app.connections import registry
from app.errors import AuthError, BadResponse, InvalidRequest, NotFound, RateLimited, TokenRejected, Unavailable
from app.platforms.records import RunStatus


@pytest.fixture
def svc(app):
    with app.test_request_context():
        service = registry().service("aac-main")
        service.tokens.access_token()  # a working token first, so faults hit the API calls under test
        yield service


def test_schedules_are_all_read_across_pages(svc, emulator):
    """Does the service read every schedule, walking the API's limit/offset pages?"""
    schedules = svc.schedules().value
    assert len(schedules) == emulator.state()["schedules"] >= 25
    assert len({s.id for s in schedules}) == len(schedules)


def test_schedules_have_words_owners_and_next_runs(svc):
    """Do enabled time-based schedules get a next run, and every schedule a trigger text and owner?"""
    schedules = svc.schedules().value
    assert all(s.trigger.text and s.owner for s in schedules)
    assert any(s.next_run for s in schedules if s.enabled and s.trigger.cron)
    assert any(s.trigger.text.startswith("on file change") for s in schedules)
    assert len({s.owner for s in schedules}) >= 3


def test_unknown_schedule_is_not_found(svc):
    """Does an unknown or malformed schedule id raise NotFound?"""
    with pytest.raises(NotFound):
        svc.schedule("99999999")
    with pytest.raises(NotFound):
        svc.schedule("../etc")


def test_runs_page_is_paged_by_the_platform(svc):
    """Does a runs page carry the platform's total and exactly per_page items?"""
    page = svc.runs(page=2, per_page=10)
    assert page.total >= 200 and len(page.items) == 10 and page.page == 2


def test_runs_filter_by_status(svc):
    """Does the failed filter return only failed runs?"""
    page = svc.runs(page=1, per_page=50, status="failed")
    assert page.items and all(r.status is RunStatus.FAILED for r in page.items)


def test_run_detail_of_a_failed_run_has_errors(svc):
    """Does a failed job group's detail carry the failing job's message?"""
    failed = svc.runs(page=1, per_page=5, status="failed").items[0]
    detail = svc.run(failed.id)
    assert detail.status is RunStatus.FAILED and detail.errors


def test_workflows_include_plans_flows_and_workflows_with_parameters(svc):
    """Are plans, flows and Designer Cloud workflows all runnable things, some flows with parameters?"""
    items = svc.workflows().value
    assert {"plan", "flow", "workflow"} <= {w.kind for w in items}
    assert any(w.parameters for w in items if w.kind == "flow")


def test_plan_run_moves_to_a_final_state_with_the_clock(svc, emulator):
    """Does a started plan run go queued -> running -> final as the emulator's clock advances?"""
    plan = next(w for w in svc.workflows().value if w.kind == "plan")
    run_id = svc.start_run("plan", plan.id, {}, uuid.uuid4().hex)
    assert run_id.startswith("plan-")
    assert svc.run(run_id).status in (RunStatus.QUEUED, RunStatus.RUNNING)
    emulator.advance(5)
    assert svc.run(run_id).status in (RunStatus.RUNNING, RunStatus.SUCCEEDED, RunStatus.FAILED)
    emulator.advance(600)
    assert svc.run(run_id).status.is_final


def test_same_execution_id_starts_one_run(svc):
    """Does repeating an x-execution-id get the platform's 304 (None), not a second run?"""
    flow = next(w for w in svc.workflows().value if w.kind == "flow" and not w.parameters)
    execution_id = uuid.uuid4().hex
    assert svc.start_run("flow", flow.id, {}, execution_id) is not None
    assert svc.start_run("flow", flow.id, {}, execution_id) is None


def test_flow_run_with_unknown_parameter_is_refused(svc):
    """Does the platform's 400 for an undefined override become InvalidRequest?"""
    flow = next(w for w in svc.workflows().value if w.kind == "flow")
    with pytest.raises(InvalidRequest):
        svc.start_run("flow", flow.id, {"no_such_parameter": "1"}, uuid.uuid4().hex)


def test_workflow_run_appears_as_job_group(svc):
    """Does a Designer Cloud workflow run return a job group id that reads back as a Run?"""
    workflow = next(w for w in svc.workflows().value if w.kind == "workflow")
    run_id = svc.start_run("workflow", workflow.id, {}, uuid.uuid4().hex)
    assert svc.run(run_id).target.kind == "workflow"


def test_toggle_schedule(svc):
    """Does disabling then enabling a schedule read back each time?"""
    schedule = next(s for s in svc.schedules().value if s.enabled)
    assert svc.set_schedule_enabled(schedule.id, False).enabled is False
    assert svc.set_schedule_enabled(schedule.id, True).enabled is True


def test_expired_access_token_is_refreshed_transparently(svc, emulator):
    """After the access token expires, does the next read refresh it and succeed?"""
    svc.schedule(svc.schedules().value[0].id)
    before = svc.token_info()[0].refreshed_at
    emulator.advance(3600)
    svc.schedule(svc.schedules().value[0].id)
    assert svc.token_info()[0].refreshed_at != before and svc.token_info()[0].last_outcome == "ok"


def test_revoked_access_token_gets_one_refresh_and_retry(svc, emulator):
    """When the platform answers 401 once, does the service refresh and retry instead of failing?"""
    svc.schedule(svc.schedules().value[0].id)
    generation = svc.token_info()[0].refreshed_at
    emulator.faults(fail_next={"count": 1, "status": 401, "path": "/v4/schedules/"})
    assert svc.schedule(svc.schedules().value[0].id)
    assert svc.token_info()[0].refreshed_at != generation


def test_persistent_401_is_an_auth_error(svc, emulator):
    """When every call answers 401, does the service raise AuthError after one retry?"""
    emulator.faults(fail_next={"count": 5, "status": 401, "path": "/v4/schedules/"})
    with pytest.raises(AuthError):
        svc.schedule("1")


def test_spent_refresh_token_is_rejected_with_advice(svc, emulator, app):
    """When the stored refresh token was spent elsewhere, does refresh raise TokenRejected and the panel say so?"""
    svc.refresh_token()
    from app.crypto import decrypt
    from app.extensions import db
    from app.models import StoredToken
    stolen = decrypt(db.session.execute(db.select(StoredToken).filter_by(connection="aac-main")).scalar_one().refresh_token)
    import requests
    requests.post(f"{emulator.url}/as/token", data={"grant_type": "refresh_token", "refresh_token": stolen,
                                                    "client_id": "aac-public-api"}, timeout=5).raise_for_status()
    with pytest.raises(TokenRejected):
        svc.refresh_token()
    info = svc.token_info()[0]
    assert info.needs_new_token and "AAC_MAIN_REFRESH_TOKEN" in info.how_to_fix


def test_server_errors_are_retried_for_reads(svc, emulator):
    """Is a single 503 on a read retried and the read served?"""
    emulator.faults(fail_next={"count": 1, "status": 503, "path": "/v4/schedules/"})
    assert svc.schedule(svc.schedules().value[0].id)


def test_persistent_server_errors_are_unavailable(svc, emulator):
    """Do repeated 500s surface as Unavailable naming the connection?"""
    emulator.faults(fail_next={"count": 10, "status": 500})
    with pytest.raises(Unavailable) as info:
        svc.runs(page=1, per_page=5)
    assert "aac-main" in str(info.value)


def test_rate_limit_with_long_retry_after_is_reported(svc, emulator):
    """Is a 429 asking for a long wait reported as RateLimited with its wait, not slept through?"""
    emulator.faults(rate_limit_next={"count": 5, "retry_after": 120})
    with pytest.raises(RateLimited) as info:
        svc.runs(page=1, per_page=5)
    assert info.value.retry_after == 120


def test_malformed_body_is_bad_response(svc, emulator):
    """Is a non-JSON 200 body a BadResponse?"""
    emulator.faults(malformed_next={"count": 3})
    with pytest.raises(BadResponse):
        svc.runs(page=1, per_page=5)


def test_drifted_body_is_bad_response(svc, emulator):
    """Is a JSON body of the wrong shape a BadResponse, not a crash?"""
    emulator.faults(drift_next={"count": 3})
    with pytest.raises(BadResponse):
        svc.runs(page=1, per_page=5)


def test_timeout_is_unavailable(svc, emulator):
    """Does a platform slower than the read timeout surface as Unavailable?"""
    emulator.faults(timeout_next={"count": 3, "seconds": 5})
    with pytest.raises(Unavailable):
        svc.runs(page=1, per_page=5)


def test_stale_copy_is_served_when_the_platform_fails(svc, emulator, app):
    """After a good read, does a failing platform give the last good copy marked stale?"""
    fresh = svc.schedules()
    from app.cache import invalidate
    invalidate("aac-main", "schedules")
    emulator.faults(fail_next={"count": 20, "status": 503})
    stale = svc.schedules()
    assert stale.stale is not None and len(stale.value) == len(fresh.value)


def test_token_endpoint_comes_from_the_access_tokens_issuer(app, emulator, tmp_path, monkeypatch):
    """With only an access and refresh token (no token_endpoint configured), does refresh use {iss}/token?"""
    from app import create_app
    pair = emulator.mint()
    (tmp_path / "iss.toml").write_text(f"""[[connection]]
name = "aac-iss"
platform = "aac"
base_url = "{emulator.url}"
workspace_id = 12
refresh_token_env = "AAC_ISS_REFRESH"
access_token_env = "AAC_ISS_ACCESS"
""")
    monkeypatch.setenv("AAC_ISS_REFRESH", pair["refresh_token"])
    monkeypatch.setenv("AAC_ISS_ACCESS", pair["access_token"])
    other = create_app("testing", {"INSTANCE_DIR": tmp_path, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/iss.db",
                                   "CONNECTIONS_FILE": str(tmp_path / "iss.toml"), "LOCK_DIR": str(tmp_path / "l")})
    from flask_migrate import upgrade
    with other.app_context():
        upgrade()
        service = registry().service("aac-iss")
        info = service.refresh_token()
        assert info.last_outcome == "ok" and info.expires_at is not None
        assert service.schedules().value
