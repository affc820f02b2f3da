"""TeamStudioService against the running Team Studio emulator over real HTTP: session, reads, runs, failures."""
from __future__ import annotations

import pytest
import requests

from app.connections import registry
from app.errors import BadResponse, InvalidRequest, NotFound, TokenRejected
from app.models import AuditEvent
from app.extensions import db
from app.platforms.records import RunStatus


@pytest.fixture
def svc(teamstudio_app):
    with teamstudio_app.test_request_context():
        yield registry().service("ts-main")


def _forest(svc):
    return next(w for w in svc.workflows().value if any(p.name == "@n_trees" for p in w.parameters))


def _finish(svc, emulator, run_id: str):
    emulator.advance(3600)
    return svc.run(run_id)


def test_workflows_carry_their_variables(svc):
    """Are the workflow workfiles runnable with their declared variables and defaults, others not?"""
    workflows = svc.workflows().value
    runnable = [w for w in workflows if w.runnable]
    assert runnable and all(w.kind == "workflow" for w in runnable)
    forest = _forest(svc)
    assert {p.name for p in forest.parameters} >= {"@n_trees"} and all(p.default for p in forest.parameters)


def test_jobs_are_schedules_in_words(svc):
    """Do jobs become schedules whose interval reads in words, on-demand ones manual and never next?"""
    schedules = svc.schedules().value
    texts = {s.trigger.text.split(" (")[0] for s in schedules}
    assert "on demand" in texts and any(t.startswith("every ") for t in texts)
    assert all(s.next_run is None for s in schedules if s.trigger.kind == "manual")
    assert any(s.target is not None and s.target.kind == "workflow" for s in schedules)


def test_a_run_with_a_variable_finishes_with_its_results(svc, teamstudio_emulator):
    """Does a run started with @n_trees move from running to succeeded, with times, log and operator counts?"""
    forest = _forest(svc)
    run_id = svc.start_run("workflow", forest.id, {"@n_trees": "50"}, "exec-1")
    assert svc.run(run_id).status is RunStatus.RUNNING
    done = _finish(svc, teamstudio_emulator, run_id)
    assert done.status is RunStatus.SUCCEEDED and done.started and done.finished and done.messages
    assert dict(done.details)["Errors"] == "0"


def test_an_undeclared_variable_is_refused_before_sending(svc):
    """Is a variable the workflow does not declare refused without starting anything?"""
    forest = _forest(svc)
    with pytest.raises(InvalidRequest, match="@nope"):
        svc.start_run("workflow", forest.id, {"@nope": "1"}, "exec-2")


def test_stop_makes_a_run_canceled(svc, teamstudio_emulator):
    """Does stopping a running process end it as canceled?"""
    forest = _forest(svc)
    run_id = svc.start_run("workflow", forest.id, {}, "exec-3")
    svc.cancel_run(run_id)
    assert _finish(svc, teamstudio_emulator, run_id).status is RunStatus.CANCELED


def test_an_ended_session_is_renewed_and_audited(svc, teamstudio_emulator, teamstudio_app):
    """When the platform ends every session, does the next read sign in again, once, and audit it?"""
    svc.workflows()
    requests.post(f"{teamstudio_emulator.url}/_sandbox/teamstudio/expire-sessions", timeout=5).raise_for_status()
    assert svc.workflow("workflow", _forest(svc).id).name
    renewals = db.session.execute(db.select(AuditEvent).filter_by(action="session_renewal")).scalars().all()
    assert [e.params for e in renewals][-1] == '{"reason": "session ended"}' and len(renewals) == 2


def test_a_wrong_password_says_how_to_fix(svc, monkeypatch):
    """Is a refused password a TokenRejected naming the environment variable, with the panel showing it?"""
    monkeypatch.setenv("TS_MAIN_PASSWORD", "wrong")
    with pytest.raises(TokenRejected, match="TS_MAIN_PASSWORD"):
        svc.refresh_token()
    assert svc.token_info()[0].needs_new_token


def test_unknown_ids_are_not_found(svc):
    """Are unknown and malformed workfile, job and run ids NotFound?"""
    for call in (lambda: svc.workflow("workflow", "99999"), lambda: svc.workflow("workflow", "../x"),
                 lambda: svc.schedule("99999"), lambda: svc.run("nonsense"), lambda: svc.run("1.no-such-process")):
        with pytest.raises(NotFound):
            call()


def test_a_drifted_envelope_is_a_bad_response_not_a_crash(svc, teamstudio_emulator):
    """When the platform answers lists outside the documented envelope, is it a BadResponse naming the path?"""
    teamstudio_emulator.faults(drift_next={"count": 50})
    with pytest.raises(BadResponse, match="envelope"):
        svc.client.workspaces()
