"""Vantage6Service against the running vantage6 emulator over real HTTP: sign-in, refresh, two-factor, version 5
through Keycloak, tasks as runs, creating and killing tasks."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import requests

from app.connections import registry
from app.errors import InvalidRequest, NotFound, TokenRejected
from app.extensions import db
from app.models import AuditEvent
from app.platforms.records import RunStatus
from sandbox.vantage6.totp import hotp
from tests.conftest import build_app, vantage6_connection

AVERAGE = "harbor2.vantage6.ai/demo/average"


@pytest.fixture
def svc(vantage6_app):
    with vantage6_app.test_request_context():
        yield registry().service("v6-main")


def _service_as(tmp_path: Path, emulator, monkeypatch, minted: dict):
    app = build_app(tmp_path, vantage6_connection("v6-other", emulator.url, minted, monkeypatch))
    return app


def _task_params(state: dict, orgs: list[int] | None = None, method: str = "partial_average") -> dict[str, str]:
    pair = state["onlinePair"]
    return {"collaboration": str(pair["collaboration_id"]),
            "organizations": ",".join(str(o) for o in (orgs or pair["organization_ids"])), "image": AVERAGE,
            "name": "mean age", "description": "", "databases": "default",
            "input": '{"method": "%s", "kwargs": {"column": "age"}}' % method}


def _token_events() -> list[AuditEvent]:
    return list(db.session.execute(db.select(AuditEvent).filter_by(action="token_refresh")).scalars())


def test_signs_in_reads_tasks_and_audits_the_sign_in(svc, vantage6_emulator):
    """Does the first read sign in with the password, list top-level tasks newest first, and audit it?"""
    page = svc.runs(page=1, per_page=10)
    assert page.total == vantage6_emulator.state()["topLevelTasks"] and len(page.items) == 10
    assert [int(r.id) for r in page.items] == sorted((int(r.id) for r in page.items), reverse=True)
    assert all(r.platform == "vantage6" and r.target and r.target.kind == "image" for r in page.items)
    (event,) = _token_events()
    assert event.outcome == "ok" and "sign-in" in event.params


def test_an_expired_token_is_refreshed_with_the_refresh_token(svc, vantage6_emulator):
    """When the server says the access token has expired (401), is it refreshed once and the call repeated?"""
    svc.runs(page=1, per_page=5)
    vantage6_emulator.faults(token_lifetime=900)
    svc.refresh_token()  # a pair that lives a quarter of an hour on the emulator's clock
    vantage6_emulator.advance(3600)
    svc.client.tasks({}, 1, 5)  # 401 "Token has expired" -> refresh -> retried
    reasons = [e.params for e in _token_events()]
    assert any("refresh (token refused)" in r for r in reasons)


def test_a_token_near_its_expiry_is_refreshed_before_use(svc, vantage6_emulator):
    """Is a token about to expire (within the margin) refreshed before the call, without a 401?"""
    vantage6_emulator.faults(token_lifetime=5)
    svc.refresh_token()
    svc.client.tasks({}, 1, 5)
    assert any("refresh (expiry)" in e.params for e in _token_events())


def test_a_wrong_password_is_refused_with_what_to_fix(tmp_path, vantage6_emulator, monkeypatch):
    """Is a refused password a TokenRejected naming the variable to fix, recorded on the panel?"""
    minted = {**vantage6_emulator.mint(), "password": "not-the-password"}
    app = _service_as(tmp_path, vantage6_emulator, monkeypatch, minted)
    with app.test_request_context():
        svc = registry().service("v6-other")
        with pytest.raises(TokenRejected, match="V6_OTHER_PASSWORD"):
            svc.runs(page=1, per_page=5)
        info = svc.token_info()[0]
        assert info.needs_new_token and info.last_outcome == "rejected"


def test_two_factor_waits_for_the_code_then_signs_in(tmp_path, vantage6_emulator, monkeypatch):
    """Does an account with two-factor ask for the code on the panel, refuse a wrong one, and sign in with the
    right one?"""
    state = vantage6_emulator.state()
    minted = requests.post(f"{vantage6_emulator.url}/_sandbox/tokens",
                           json={"username": state["twoFactorUser"]["username"]}, timeout=5).json()
    app = _service_as(tmp_path, vantage6_emulator, monkeypatch, minted)
    with app.test_request_context():
        svc = registry().service("v6-other")
        with pytest.raises(TokenRejected, match="two-factor"):
            svc.runs(page=1, per_page=5)
        assert svc.token_info()[0].accepts_code
        with pytest.raises(TokenRejected):
            svc.sign_in_with_code("000000" if hotp(minted["otp_secret"], 0) != "000000" else "111111")
        now = datetime.fromisoformat(requests.get(f"{vantage6_emulator.url}/_sandbox/clock", timeout=5)
                                     .json()["now"].replace("Z", "+00:00"))
        svc.sign_in_with_code(hotp(minted["otp_secret"], int(now.timestamp()) // 30))
        assert svc.runs(page=1, per_page=5).items and not svc.token_info()[0].accepts_code


def test_version_5_signs_in_through_keycloak(tmp_path, vantage6_emulator, monkeypatch):
    """On a version 5 server, does the service get its token from the OpenID Connect endpoint and refresh it
    there?"""
    requests.post(f"{vantage6_emulator.url}/_sandbox/vantage6/version", json={"version": "5.0.3"},
                  timeout=5).raise_for_status()
    app = _service_as(tmp_path, vantage6_emulator, monkeypatch, vantage6_emulator.mint())
    with app.test_request_context():
        svc = registry().service("v6-other")
        assert svc.major() == 5 and svc.runs(page=1, per_page=5).items
        svc.refresh_token()
        facts = {f.label: f.value for f in svc.instance_facts()}
        assert facts["Version"] == "5.0.3" and "flightdeck-svc" in facts["Signed in as"]
        assert "Keycloak" in svc.token_info()[0].kind


def test_version_5_without_a_token_endpoint_says_what_to_set(tmp_path, vantage6_emulator, monkeypatch):
    """Is a version 5 server with no oidc_token_url configured refused with the setting to add?"""
    requests.post(f"{vantage6_emulator.url}/_sandbox/vantage6/version", json={"version": "5.0.3"},
                  timeout=5).raise_for_status()
    minted = {k: v for k, v in vantage6_emulator.mint().items() if k not in ("token_url", "client_id")}
    app = _service_as(tmp_path, vantage6_emulator, monkeypatch, minted)
    with app.test_request_context():
        with pytest.raises(TokenRejected, match="oidc_token_url"):
            registry().service("v6-other").runs(page=1, per_page=5)


def test_a_task_for_two_organisations_runs_to_completion_with_results(svc, vantage6_emulator):
    """Does a created task get one run per organisation, move with the clock and end with a result each?"""
    state = vantage6_emulator.state()
    task_id = svc.start_run("image", "new", _task_params(state), "exec-1")
    run, org_runs, _ = svc.task_detail(task_id)
    assert len(org_runs) == 2 and run.status in (RunStatus.QUEUED, RunStatus.RUNNING)
    vantage6_emulator.advance(3600)
    run, org_runs, _ = svc.task_detail(task_id)
    assert run.status is RunStatus.SUCCEEDED and all(r.status is RunStatus.SUCCEEDED for r in org_runs)
    assert all(isinstance(svc.run_result(task_id, r.id), dict) for r in org_runs)
    assert svc.run_page(task_id)[1]["results"]


def test_bad_task_values_are_refused_before_sending(svc, vantage6_emulator):
    """Are input without a method, and organisations outside the collaboration, refused with nothing created?"""
    state = vantage6_emulator.state()
    before = state["tasks"]
    with pytest.raises(InvalidRequest, match="method"):
        svc.start_run("image", "new", {**_task_params(state), "input": '{"kwargs": {}}'}, "exec-2")
    with pytest.raises(InvalidRequest, match="Only organisations of the chosen collaboration"):
        svc.start_run("image", "new", _task_params(state, orgs=[1, 999]), "exec-3")
    assert vantage6_emulator.state()["tasks"] == before


def test_kill_ends_every_unfinished_run(svc, vantage6_emulator):
    """Does killing a running task mark its unfinished runs killed by user, so the task is canceled?"""
    state = vantage6_emulator.state()
    task_id = svc.start_run("image", "new", _task_params(state), "exec-4")
    svc.cancel_run(task_id)
    run, org_runs, _ = svc.task_detail(task_id)
    assert run.status is RunStatus.CANCELED and all(r.platform_status == "killed by user" for r in org_runs)
    with pytest.raises(NotFound):
        svc.cancel_run("99999")


def test_images_used_again_are_workflows_with_their_last_input(svc):
    """Are images started more than once offered as workflows whose source task gives the last input back?"""
    images = svc.workflows().value
    assert images and all(w.kind == "image" for w in images)
    values = svc.source_task(images[0].id)
    assert values["image"].endswith(images[0].name) and '"method"' in values["input"]


def test_tokens_a_restarted_server_no_longer_knows_lead_to_a_new_sign_in(svc, vantage6_emulator):
    """A server restarted without a fixed JWT key answers 422 "Signature verification failed" for the old
    tokens: is that taken as a refused token, the refresh skipped, and the password used again?"""
    from app.crypto import decrypt, encrypt
    from app.tokens import stored_token_row
    svc.runs(page=1, per_page=5)
    row = stored_token_row("v6-main")
    forged = {name: ".".join(decrypt(getattr(row, name)).split(".")[:2] + ["bm90LXRoZS1rZXk"])
              for name in ("access_token", "refresh_token")}
    row.access_token, row.refresh_token = encrypt(forged["access_token"]), encrypt(forged["refresh_token"])
    db.session.commit()
    assert svc.runs(page=1, per_page=5).items
    assert any("sign-in (token refused)" in e.params for e in _token_events())
    assert decrypt(stored_token_row("v6-main").access_token) != forged["access_token"]


def test_version_5_creates_tasks_with_method_and_session(tmp_path, vantage6_emulator, monkeypatch):
    """On a version 5 server, is a task created with its method and the collaboration's session, and does its
    awaiting/completed status read as queued then succeeded?"""
    requests.post(f"{vantage6_emulator.url}/_sandbox/vantage6/version", json={"version": "5.0.3"},
                  timeout=5).raise_for_status()
    state = vantage6_emulator.state()
    app = _service_as(tmp_path, vantage6_emulator, monkeypatch, vantage6_emulator.mint())
    with app.test_request_context():
        svc = registry().service("v6-other")
        task_id = svc.start_run("image", "new", _task_params(state), "exec-v5")
        assert svc.run(task_id).status in (RunStatus.QUEUED, RunStatus.RUNNING)
        vantage6_emulator.advance(3600)
        assert svc.run(task_id).status is RunStatus.SUCCEEDED
