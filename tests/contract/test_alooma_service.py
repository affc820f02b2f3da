"""AloomaService against the running Alooma emulator over real HTTP: both ways in, queries, runs, inputs, failures."""
from __future__ import annotations

import pytest
import requests

from app.cache import invalidate
from app.connections import registry
from app.errors import InvalidRequest, NotFound, NotSupported, TokenRejected, Unavailable
from app.extensions import db
from app.models import AuditEvent
from app.platforms.records import RunStatus


@pytest.fixture
def svc(alooma_app):
    """The login connection."""
    with alooma_app.test_request_context():
        yield registry().service("alooma-main")


@pytest.fixture
def key_svc(alooma_app):
    """The API key connection."""
    with alooma_app.test_request_context():
        yield registry().service("alooma-key")


def _renewals() -> list[AuditEvent]:
    return db.session.execute(db.select(AuditEvent).filter_by(action="session_renewal")
                              .order_by(AuditEvent.id)).scalars().all()


def test_an_api_key_reads_the_queries_without_a_session(key_svc):
    """Does the API key connection read every scheduled query, with no login and no token panel?"""
    assert len(key_svc.schedules().value) == 10
    assert not key_svc.supports_token_refresh and not _renewals()
    with pytest.raises(NotSupported):
        key_svc.refresh_token()


def test_a_login_signs_in_once_and_is_audited(svc):
    """Does the login connection sign in on first use, once for several reads, and audit it?"""
    svc.schedules()
    svc.workflows()
    (event,) = _renewals()
    assert event.outcome == "ok" and event.params == '{"reason": "first use"}' and event.platform == "alooma"
    assert svc.supports_token_refresh and svc.token_info()[0].last_outcome == "ok"


def test_an_ended_session_leads_to_one_new_login(svc, alooma_emulator):
    """When Alooma ends every session, does the next read sign in again once and answer?"""
    svc.schedules()
    requests.post(f"{alooma_emulator.url}/_sandbox/alooma/expire-sessions", timeout=5).raise_for_status()
    assert len(svc.workflows().value) == 8  # eight inputs read in parallel, one new login between them
    assert [e.params for e in _renewals()] == ['{"reason": "first use"}', '{"reason": "session ended"}']


def test_a_refused_api_key_says_what_to_fix(key_svc, monkeypatch):
    """Is a refused API key a TokenRejected naming the variable and the account name?"""
    monkeypatch.setenv("ALOOMA_KEY_API_KEY", "not-the-key")
    with pytest.raises(TokenRejected, match="ALOOMA_KEY_API_KEY") as refused:
        key_svc.client.queries()
    assert "account_name" in refused.value.message and "not-the-key" not in refused.value.message


def test_a_refused_password_says_what_to_fix(svc, monkeypatch):
    """Is a refused password a TokenRejected naming the variable, Alooma's words kept, the panel asking for it?"""
    monkeypatch.setenv("ALOOMA_MAIN_PASSWORD", "wrong")
    with pytest.raises(TokenRejected, match="ALOOMA_MAIN_PASSWORD") as refused:
        svc.refresh_token()
    assert "Invalid email or password" in refused.value.message
    info = svc.token_info()[0]
    assert info.needs_new_token and info.last_outcome == "rejected" and "ALOOMA_MAIN_PASSWORD" in info.how_to_fix
    assert _renewals()[-1].outcome == "failed"


def test_schedules_read_in_words_with_the_two_in_error_first(svc, alooma_emulator):
    """Are the ten queries schedules with their timing in words, the two in error first with their errors?"""
    state = alooma_emulator.state()
    schedules = svc.schedules().value
    assert len(schedules) == 10
    assert {s.id for s in schedules[:2]} == set(state["queriesInError"])
    assert all(s.last_status is RunStatus.FAILED and "error" in s.last_error for s in schedules[:2])
    assert all(s.last_status is not RunStatus.FAILED for s in schedules[2:])
    texts = {s.trigger.text for s in schedules}
    assert {"every 8 hours", "every hour", "every 6 hours at :00 (UTC)", "every Monday at 06:00 (UTC)"} <= texts
    assert all(s.next_run for s in schedules)


def test_run_now_moves_a_query_to_running_and_on(svc, alooma_emulator):
    """Does Run now make the query running (its latest run too), and the fixable one succeed afterwards?"""
    query_id = alooma_emulator.state()["fixableQuery"]
    svc.schedules()
    svc.run_schedule_now(query_id)
    assert svc.schedule(query_id).last_status is RunStatus.RUNNING
    assert next(s for s in svc.schedules().value if s.id == query_id).last_status is RunStatus.RUNNING
    assert svc.run(query_id).status is RunStatus.RUNNING
    alooma_emulator.advance(60)
    done = svc.run(query_id)
    assert done.status is RunStatus.SUCCEEDED and done.finished


def test_run_now_while_running_is_refused(svc, alooma_emulator):
    """Is a second Run now while the query runs refused with Alooma's reason?"""
    query_id = alooma_emulator.state()["brokenQuery"]
    svc.run_schedule_now(query_id)
    with pytest.raises(InvalidRequest, match="already running"):
        svc.run_schedule_now(query_id)


def test_latest_runs_show_each_query_once(svc, alooma_emulator):
    """Is every query that ran one latest run, newest first, the failed ones carrying their error?"""
    runs = svc.recent_runs().value
    assert len(runs) == len({r.id for r in runs}) == 10
    assert [r.started for r in runs] == sorted((r.started for r in runs), reverse=True)
    failed = [r for r in runs if r.status is RunStatus.FAILED]
    assert {r.id for r in failed} == set(alooma_emulator.state()["queriesInError"]) and all(r.errors for r in failed)
    page = svc.runs(page=1, per_page=5, status="failed")
    assert page.total == 2


def test_inputs_are_listed_with_their_state(svc, alooma_emulator):
    """Are the eight inputs workflows of kind input, not runnable, the failing and paused ones saying so?"""
    state = alooma_emulator.state()
    inputs = {w.id: w for w in svc.workflows().value}
    assert len(inputs) == 8 and all(w.kind == "input" and not w.runnable for w in inputs.values())
    assert " · failed" in inputs[state["inputInError"]["id"]].description
    assert " · paused" in inputs[state["pausedInputs"][0]].description
    assert svc.workflow("input", state["inputInError"]["id"]).name == "Salesforce"


def test_unknown_ids_are_not_found(svc):
    """Are unknown and malformed query, run and input ids, and another kind, NotFound?"""
    for call in (lambda: svc.schedule("no-such-query"), lambda: svc.schedule("../x"), lambda: svc.run("nope"),
                 lambda: svc.run_schedule_now("no-such-query"), lambda: svc.workflow("input", "nope"),
                 lambda: svc.workflow("workflow", "x")):
        with pytest.raises(NotFound):
            call()


def test_instance_facts_name_the_account_and_deployment(svc):
    """Does the panel's instance section give the account, deployment and the signed-in user?"""
    facts = {f.label: f.value for f in svc.instance_facts()}
    assert facts["Account"] == "flightdeck-demo" and facts["Deployment"] == "flightdeck-demo-1"
    assert facts["Signed in as"].startswith("Flightdeck Service (flightdeck-svc@example.com)")


def test_a_server_error_is_a_platform_error(key_svc, alooma_emulator):
    """When Alooma answers 500, is it Unavailable with Alooma's message, and the last good copy served stale?"""
    key_svc.schedules()
    alooma_emulator.faults(fail_next={"count": 50, "status": 500})
    with pytest.raises(Unavailable, match=r"server error \(500\): Internal server error"):
        key_svc.client.queries()
    invalidate(key_svc.name, "queries")
    stale = key_svc.schedules()
    assert stale.stale is not None and len(stale.value) == 10
