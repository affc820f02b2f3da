"""ServerService against the running Server emulator over real HTTP: v3, OAuth1 v1, tokens, failures."""
from __future__ import annotations

import uuid

import pytest

from app.connections import registry
from app.errors import AuthError, BadResponse, InvalidRequest, NotFound, NotSupported, TokenRejected, Unavailable
from app.platforms.records import RunStatus
from tests.helpers import service_in


@pytest.fixture
def v3(server_app):
    """Server API v3 with OAuth1 v1 beside it (outputs)."""
    yield from service_in(server_app, "server-main")


@pytest.fixture
def legacy(server_app):
    """A pre-2022.1 server: only the OAuth1-signed subscription API."""
    yield from service_in(server_app, "server-legacy")


@pytest.fixture
def v3_only(server_app):
    """Server API v3 only; outputs come through the Web API's v1 paths with the bearer token."""
    yield from service_in(server_app, "server-v3")


def _finish(svc, server_emulator, job_id: str) -> object:
    server_emulator.advance(3 * 3600)
    return svc.run(job_id)


def test_v3_workflows_have_owners_and_versions(v3):
    """Does v3 list every workflow with its owner's name and published version?"""
    workflows = v3.workflows().value
    assert len(workflows) >= 20
    assert all(w.version for w in workflows)
    assert len({w.owner for w in workflows}) >= 3 and not any(len(w.owner) == 24 for w in workflows)


def test_search_uses_the_api_and_pages(v3, legacy):
    """Does a search return only matching names, from v3's name filter and from v1's search with paging?"""
    for svc in (v3, legacy):
        word = svc.workflows().value[0].name.split()[0]
        page = svc.search_workflows(word, "", 1, 50)
        assert page.items and all(word.lower() in w.name.lower() for w in page.items)
    last = legacy.workflows().value[-1].name  # beyond the first page of the unsearched list
    found = legacy.search_workflows(last, "", 1, 5).items
    assert last in [w.name for w in found]  # so the API searched, not a filter over one page
    first, second = legacy.search_workflows("", "", 1, 5), legacy.search_workflows("", "", 2, 5)
    assert len(first.items) == 5 and first.has_next
    assert not {w.id for w in first.items} & {w.id for w in second.items}


def test_search_rows_carry_questions_and_last_job(v3):
    """Do the workflows on a page show whether they take questions and their last job?"""
    items = v3.search_workflows("", "", 1, 50).items
    assert any(w.parameters for w in items) and any(not w.parameters for w in items)
    assert any(w.last_run and w.last_run.status.is_final for w in items)


def test_workflow_questions_become_parameters_in_both_apis(v3, legacy):
    """Do v3 and v1 give the same parameters for the same app, with priority as a run setting?"""
    app_id = next(w.id for w in v3.search_workflows("", "", 1, 100).items if len(w.parameters) >= 4)
    from_v3, from_v1 = v3.workflow("workflow", app_id), legacy.workflow("workflow", app_id)
    assert [(p.name, p.data_type) for p in from_v3.parameters] == [(p.name, p.data_type) for p in from_v1.parameters]
    types = {p.data_type for p in from_v3.parameters}
    assert {"string", "number", "select", "boolean", "date"} <= types
    assert from_v3.run_options[0].name == "priority"


def test_unknown_workflow_is_not_found(v3, legacy):
    """Does an unknown or malformed workflow id raise NotFound on both APIs?"""
    for svc in (v3, legacy):
        with pytest.raises(NotFound):
            svc.workflow("workflow", "0" * 24)
        with pytest.raises(NotFound):
            svc.workflow("workflow", "../../admin")


def _app_with_questions(svc) -> object:
    return next(w for w in svc.search_workflows("", "", 1, 100).items if w.parameters and w.runnable)


@pytest.mark.parametrize("which", ["v3", "legacy"])
def test_run_with_answers_reaches_a_final_state(which, request, server_emulator):
    """Does a job started with the defaults as answers go Queued -> Running -> Completed with a disposition?"""
    svc = request.getfixturevalue(which)
    target = _app_with_questions(svc)
    workflow = svc.workflow("workflow", target.id)
    answers = {p.name: p.default for p in workflow.parameters}
    job_id = svc.start_run("workflow", target.id, answers, uuid.uuid4().hex, {"priority": "High"})
    assert svc.run(job_id).status is RunStatus.QUEUED
    server_emulator.advance(7)
    assert svc.run(job_id).status in (RunStatus.RUNNING, RunStatus.SUCCEEDED, RunStatus.FAILED)
    done = _finish(svc, server_emulator, job_id)
    assert done.status.is_final and done.platform_status.startswith("Completed · ")
    assert done.duration is not None and done.messages[-1].text.startswith("Finished running")


def test_a_refused_answer_is_an_invalid_request(v3):
    """Does the server's 400 for a bad answer come back as InvalidRequest with its message?"""
    target = next(w for w in v3.search_workflows("", "", 1, 100).items
                  if any(p.data_type == "select" for p in w.parameters) and w.runnable)
    workflow = v3.workflow("workflow", target.id)
    answers = {p.name: p.default for p in workflow.parameters}
    select = next(p for p in workflow.parameters if p.data_type == "select")
    answers[select.name] = "not-a-choice"
    with pytest.raises(InvalidRequest) as refused:
        v3.start_run("workflow", target.id, answers, uuid.uuid4().hex)
    assert select.name in refused.value.message


def test_jobs_are_gathered_across_workflows(v3, legacy):
    """Are recent jobs gathered from every workflow, newest first, with failures among them?"""
    for svc in (v3, legacy):
        runs = svc.recent_runs().value
        assert len(runs) >= 100 and len({r.target.id for r in runs}) >= 10
        created = [r.created for r in runs]
        assert created == sorted(created, reverse=True)
        assert any(r.status is RunStatus.FAILED for r in runs)


def test_runs_page_filters_by_status(v3):
    """Does the failed filter return only failed jobs, paged?"""
    page = v3.runs(page=1, per_page=10, status="failed")
    assert page.items and all(r.status is RunStatus.FAILED for r in page.items) and len(page.items) <= 10


def test_failed_job_has_error_messages(v3):
    """Does a failed job's detail carry its error-level messages?"""
    failed = v3.runs(page=1, per_page=5, status="failed").items[0]
    detail = v3.run(failed.id)
    assert detail.errors and any(m.level == "error" for m in detail.messages)


def _job_with_output(svc):
    return next(r for r in svc.recent_runs().value if r.outputs)


@pytest.mark.parametrize("which", ["v3", "v3_only", "legacy"])
def test_output_streams_in_an_offered_format(which, request):
    """Does an output download stream the file in a format the API offers, through each API shape?"""
    svc = request.getfixturevalue(which)
    run = _job_with_output(svc)
    output = run.outputs[0]
    download = svc.open_output(run.id, output.id, output.formats[0])
    body = b"".join(download.chunks())
    assert body and download.filename


def test_output_in_a_format_not_offered_is_refused(v3):
    """Is a format the output does not offer refused before anything is fetched?"""
    run = _job_with_output(v3)
    with pytest.raises(InvalidRequest):
        v3.open_output(run.id, run.outputs[0].id, "Pdf")
    with pytest.raises(NotFound):
        v3.open_output(run.id, "nope", "Raw")


def test_schedules_in_words_with_next_runs(v3):
    """Does every schedule get words, an owner and, when enabled and recurring, a future next run?"""
    schedules = v3.schedules().value
    assert len(schedules) >= 15
    assert all(s.trigger.text and s.owner and s.timezone for s in schedules)
    assert any(not s.enabled for s in schedules) and any(s.last_error for s in schedules)
    assert any("every weekday" in s.trigger.text or "every day" in s.trigger.text for s in schedules)
    assert all(s.next_run for s in schedules if s.enabled and s.trigger.cron)


def test_schedule_toggle_is_a_patch(v3):
    """Does disabling and re-enabling a schedule flip `enabled` on the server?"""
    schedule = next(s for s in v3.schedules().value if s.enabled)
    assert v3.set_schedule_enabled(schedule.id, False).enabled is False
    assert v3.schedule(schedule.id).enabled is False
    assert v3.set_schedule_enabled(schedule.id, True).enabled is True


def test_v1_only_has_no_schedules(legacy):
    """Does a subscription-API-only connection say plainly that it has no schedules?"""
    assert legacy.supports_schedule_toggle is False
    with pytest.raises(NotSupported) as refused:
        legacy.schedules()
    assert "Server API v3" in refused.value.message


def test_v3_token_is_fetched_once_and_reused(v3, server_emulator):
    """Is the client-credentials token fetched once, stored and reused until near expiry?"""
    v3.workflows()
    first = v3.token_info()[0]
    v3.run(v3.recent_runs().value[0].id)
    assert v3.token_info()[0].refreshed_at == first.refreshed_at and first.last_outcome == "ok"


def test_expired_token_is_fetched_again_on_401(v3, server_emulator):
    """After the server lets the token expire, does the next call fetch a new one and succeed?"""
    v3.workflows()
    before = v3.token_info()[0].refreshed_at
    server_emulator.faults(token_lifetime=30)
    v3.refresh_token()
    server_emulator.advance(120)  # the stored token still looks alive to us, but the server expired it
    v3.schedule(v3.schedules().value[0].id)
    assert v3.token_info()[0].refreshed_at > before


def test_wrong_client_secret_is_token_rejected(server_app, monkeypatch):
    """Does a wrong API access secret raise TokenRejected naming what to fix?"""
    monkeypatch.setenv("SERVER_V3_CLIENT_SECRET", "not-the-secret")
    with server_app.test_request_context():
        svc = registry().service("server-v3")
        with pytest.raises(TokenRejected) as refused:
            svc.refresh_token()
        info = svc.token_info()[0]
    assert "invalid_client" in refused.value.message and info.needs_new_token
    assert "SERVER_V3_CLIENT_SECRET" in info.how_to_fix and "not-the-secret" not in info.how_to_fix


def test_signature_check_reports_ok(legacy):
    """Does the token panel's OAuth1 entry say the server accepts the signature?"""
    (info,) = legacy.token_info()
    assert info.last_outcome == "ok" and info.refreshable is False and not info.needs_new_token


def test_wrong_api_secret_is_reported_plainly(server_app, monkeypatch):
    """With a wrong API secret, do calls raise AuthError and the panel say the signature was refused?"""
    monkeypatch.setenv("SERVER_LEGACY_API_SECRET", "wrong-secret")
    with server_app.test_request_context():
        svc = registry().service("server-legacy")
        with pytest.raises(AuthError):
            svc.workflows()
        (info,) = svc.token_info()
    assert info.last_outcome == "rejected" and "refused the signature" in info.last_error
    assert info.needs_new_token and "SERVER_LEGACY_API_SECRET" in info.how_to_fix


def test_server_errors_and_garbage_become_platform_errors(v3, server_emulator):
    """Do a 500 and a malformed body raise Unavailable and BadResponse naming the connection?"""
    v3.workflows()
    server_emulator.faults(fail_next={"count": 10, "status": 500})
    with pytest.raises(Unavailable) as failed:
        v3.run("5e8b7c2f1d3a2b0001c4a9f1")
    assert failed.value.connection == "server-main"
    server_emulator.clear_faults()
    server_emulator.faults(malformed_next={"count": 10})
    with pytest.raises(BadResponse):
        v3.schedule(v3.schedules().value[0].id)
