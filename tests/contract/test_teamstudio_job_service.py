"""TeamStudioJobs and the job calls of TeamStudioClient against the running Team Studio emulator over real HTTP."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.connections import registry
from app.errors import InvalidRequest, NotFound
from app.platforms.teamstudio.jobs import JobSpec, TeamStudioJobs


@pytest.fixture
def jobs(teamstudio_app):
    with teamstudio_app.test_request_context():
        yield TeamStudioJobs(registry().service("ts-main"))


def _space_with(jobs: TeamStudioJobs, *kinds: str) -> str:
    """A workspace holding a workfile of every kind named."""
    return next(s.id for s in jobs.workspaces()
                if set(kinds) <= {w.kind for w in jobs.task_workfiles(s.id)})


def _spec(name: str = "Contract job") -> JobSpec:
    first = (datetime.now(ZoneInfo("Asia/Tokyo")) + timedelta(days=1)).replace(hour=9, minute=0, second=0,
                                                                             microsecond=0)
    return JobSpec(name=name, interval_unit="days", interval_value=3, first_run=first, time_zone="Asia/Tokyo",
                   end_date=first.date() + timedelta(days=30), description="made by the contract suite")


def test_a_job_is_created_given_tasks_in_order_and_deleted(jobs):
    """Does a created job read back in its zone with its tasks' actions, lose a task, and then go away?"""
    space = _space_with(jobs, "workflow", "sql")
    spec = _spec()
    job_id = jobs.create(space, spec)
    flow = next(w for w in jobs.task_workfiles(space) if w.kind == "workflow")
    sql = next(w for w in jobs.task_workfiles(space) if w.kind == "sql")
    jobs.add_task(space, job_id, flow.id)
    added = jobs.add_task(space, job_id, sql.id)
    job = jobs.job(job_id).value
    assert (job.name, job.workspace.id, job.interval_text, job.end_run) == (spec.name, space, "every 3 days",
                                                                           spec.end_date)
    assert job.next_run_local == spec.first_run and job.schedule.trigger.text == "every 3 days (Asia/Tokyo)"
    assert [(t.action, t.workfile.id) for t in job.tasks] == [("run_work_flow", flow.id), ("run_sql_workfile", sql.id)]
    jobs.delete_task(job, added.id)
    assert [t.workfile.id for t in jobs.job(job_id).value.tasks] == [flow.id]
    jobs.delete(jobs.job(job_id).value)
    with pytest.raises(NotFound):
        jobs.job(job_id)


def test_a_workfile_outside_the_workspace_is_refused_before_sending(jobs):
    """Is a task whose workfile is not in the job's workspace an InvalidRequest, with nothing added?"""
    space = _space_with(jobs, "workflow")
    job_id = jobs.create(space, _spec("No strangers"))
    stranger = next(w for s in jobs.workspaces() if s.id != space for w in jobs.task_workfiles(s.id))
    with pytest.raises(InvalidRequest, match="has no workflow"):
        jobs.add_task(space, job_id, stranger.id)
    assert jobs.job(job_id).value.tasks == ()


def test_the_platforms_refusal_reads_as_its_own_words(jobs):
    """Is a taken job name the platform's 422 as an InvalidRequest saying so, naming the field?"""
    space = _space_with(jobs, "workflow")
    jobs.create(space, _spec("Twice"))
    with pytest.raises(InvalidRequest, match=r"has already been taken\. \(name TAKEN\)"):
        jobs.create(space, _spec("Twice"))


def test_deleting_an_unknown_task_is_not_found(jobs):
    """Is DELETE of a task the job does not have a NotFound, from the client and from the service?"""
    space = _space_with(jobs, "workflow")
    job = jobs.job(jobs.create(space, _spec("Taskless"))).value
    with pytest.raises(NotFound):
        jobs.client.delete_task(space, job.id, "999999")
    with pytest.raises(NotFound):
        jobs.delete_task(job, "999999")
