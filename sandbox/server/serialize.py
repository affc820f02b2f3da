"""JSON shapes of the Server emulator: Gallery v1 objects and Server API v3 objects (server.md §1.3, §2)."""
from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from sandbox.common.clock import to_iso
from sandbox.server.iteration import iso_seconds, parse_iso
from sandbox.server.jobs import messages_at, outputs_at
from sandbox.server.questions import V1_CODES
from sandbox.server.world import LIST_TYPES, Collection, Job, Question, Schedule, User, Workflow, World

COPYRIGHT = "Copyright 2025 Flightdeck Analytics"


def iso(moment: datetime | None) -> str | None:
    """ISO-8601 UTC with milliseconds and a Z (jobs, workflows, users)."""
    return to_iso(moment) if moment is not None else None


# -- Gallery v1 --------------------------------------------------------------------------------------
def v1_workflow(w: Workflow, run_count: int) -> dict[str, Any]:
    """A subscription Workflow (display name in metaInfo.name)."""
    return {"id": w.id, "subscriptionId": w.subscription_id, "public": w.is_public, "runDisabled": w.run_disabled,
            "packageType": 0, "uploadDate": iso(w.published.created_at), "fileName": w.file_name,
            "isChained": False, "version": w.published.number, "runCount": run_count, "workerTag": w.worker_tag,
            "isE2": False, "metaInfo": _meta(w)}


def _meta(w: Workflow) -> dict[str, str]:
    return {"name": w.name, "description": w.description, "author": w.author, "copyright": COPYRIGHT,
            "url": "", "urlText": "", "outputMessage": "Download your results below." if w.outputs else "",
            "noOutputFilesMessage": "" if w.outputs else "This workflow does not write files."}


def _items(q: Question) -> list[dict[str, str]]:
    return [{"key": key, "value": value} for key, value in q.items]


def v1_question(q: Question) -> dict[str, Any]:
    """{name, description, type, multiple: "False", items (list types only), value}."""
    body: dict[str, Any] = {"name": q.name, "description": q.description, "type": q.type, "multiple": "False"}
    if q.type in LIST_TYPES:
        body["items"] = _items(q)
    body["value"] = q.value
    return body


def v1_job_summary(job: Job, now: datetime) -> dict[str, Any]:
    """An entry of /v1/workflows/{appId}/jobs/."""
    return {"id": job.id, "createDate": iso(job.created_at), "status": job.status_at(now),
            "disposition": job.disposition_at(now), "priority": V1_CODES[job.priority], "workerTag": job.worker_tag,
            "runWithE2": False}


def v1_job(seed: int, job: Job, w: Workflow, now: datetime) -> dict[str, Any]:
    """A v1 Job with its outputs and messages as of now."""
    return {"id": job.id, "appId": job.workflow_id, "createDate": iso(job.created_at), "status": job.status_at(now),
            "disposition": job.disposition_at(now),
            "outputs": [o.as_json() for o in outputs_at(seed, job, w, now)],
            "messages": messages_at(seed, job, w, now), "priority": V1_CODES[job.priority],
            "workerTag": job.worker_tag, "runWithE2": False}


# -- Server API v3 -------------------------------------------------------------------------------------
def v3_question(q: Question) -> dict[str, Any]:
    """{name, questionType, description, value, multiple (bool), items}."""
    return {"name": q.name, "questionType": q.type, "description": q.description, "value": q.value,
            "multiple": False, "items": _items(q)}


def v3_workflow_job(job: Job, now: datetime) -> dict[str, Any]:
    """A WorkflowJob (no disposition)."""
    return {"id": job.id, "createDate": iso(job.created_at), "status": job.status_at(now), "priority": job.priority,
            "workerTag": job.worker_tag, "runWithE2": False}


def v3_job(seed: int, job: Job, w: Workflow, now: datetime, include_messages: bool = True) -> dict[str, Any]:
    """A v3 Job; includeMessages=false leaves messages out."""
    body: dict[str, Any] = {"id": job.id, "appId": job.workflow_id, "createDateTime": iso(job.created_at),
                            "status": job.status_at(now), "disposition": job.disposition_at(now),
                            "outputs": [o.as_json() for o in outputs_at(seed, job, w, now)]}
    if include_messages:
        body["messages"] = messages_at(seed, job, w, now)
    body.update({"priority": job.priority, "workerTag": job.worker_tag, "runWithE2": False})
    return body


def reduced_workflow(w: Workflow) -> dict[str, Any]:
    """A ReducedWorkflow (the default view of /v3/workflows)."""
    return {"id": w.id, "sourceAppId": w.id, "name": w.name, "ownerId": w.owner_id, "dateCreated": iso(w.created_at),
            "publishedVersionNumber": w.published.number, "isAmp": False, "executionMode": w.execution_mode}


def full_workflow(w: Workflow, run_count: int) -> dict[str, Any]:
    """A Workflow with every version; packageWorkflowType is App for everything runnable."""
    shared = {"othersMayDownload": w.is_public, "othersCanViewHistory": w.is_public}
    versions = [{"versionId": v.id, "versionNumber": v.number, "dateCreated": iso(v.created_at),
                 "uploadSource": "Designer", "uploadDate": iso(v.created_at), "packageWorkflowType": "App",
                 "published": v is w.published, "comments": v.comments, "runDisabled": w.run_disabled,
                 "executionMode": w.execution_mode, "workflowCredentialType": "Default", "credentialId": None,
                 **shared, "hasPrivateDataExemption": False,
                 "details": {"isAmp": False, "fileName": w.file_name, **_meta(w)}}
                for v in w.versions]
    return {"id": w.id, "sourceAppId": w.id, "name": w.name, "ownerId": w.owner_id, "dateCreated": iso(w.created_at),
            "runCount": run_count, "workerTag": w.worker_tag, "districtTags": [], "comments": w.comments,
            "isPublic": w.is_public, "isReadyForMigration": False, "publishedVersionId": w.published.id,
            **shared, "othersCanExecute": w.is_public, "executionMode": w.execution_mode,
            "hasPrivateDataExemption": False, "versions": versions}


def schedule_state(s: Schedule) -> str:
    """Disabled when switched off, Complete once no fire is left (a Once that ran), else Active."""
    if not s.enabled:
        return "Disabled"
    return "Complete" if s.run_at is None else "Active"


def run_date_time(s: Schedule) -> str:
    """The next fire; a Complete schedule keeps its last one."""
    moment = s.run_at or s.last_run or parse_iso(s.iteration["startTime"])
    return iso_seconds(moment)


def reduced_schedule(s: Schedule) -> dict[str, Any]:
    """A ReducedSchedule."""
    return {"id": s.id, "name": s.name, "workflowId": s.workflow_id, "ownerId": s.owner_id,
            "runDateTime": run_date_time(s), "timeZone": s.time_zone}


def full_schedule(world: World, s: Schedule, viewer: User, last_error: str) -> dict[str, Any]:
    """A ScheduleView with the full iteration object (unused contracts null)."""
    workflow = world.workflows.get(s.workflow_id)
    state = schedule_state(s)
    return {"id": s.id, "name": s.name, "workflowId": s.workflow_id if workflow else None,
            "versionId": workflow.published.id if workflow else None, "ownerId": s.owner_id,
            "runDateTime": run_date_time(s), "comment": s.comment, "enabled": s.enabled, "priority": s.priority,
            "workerTag": s.worker_tag, "status": state, "credentialId": s.credential_id,
            "creationTime": iso_seconds(s.created_at), "lastRunTime": iso_seconds(s.last_run) if s.last_run else None,
            "state": state, "runCount": s.run_count, "iteration": copy.deepcopy(s.iteration),
            "frequency": s.iteration["iterationType"], "lastError": last_error, "cpuName": s.cpu_name,
            "lastModifiedId": s.modified_by, "lastModifiedDate": iso_seconds(s.modified_at),
            "canEdit": viewer.is_curator or viewer.id == s.owner_id, "timeZone": s.time_zone,
            "questions": [dict(q) for q in s.questions]}


def user_default(u: User) -> dict[str, Any]:
    """The default (reduced) view of a user."""
    return {"id": u.id, "firstName": u.first_name, "lastName": u.last_name, "email": u.email, "role": u.role,
            "dateCreated": iso(u.created_at), "isActive": u.active}


def user_full(u: User) -> dict[str, Any]:
    """A User with the fields of server.md §2.4."""
    return {"id": u.id, "firstName": u.first_name, "lastName": u.last_name, "email": u.email, "role": u.role,
            "defaultWorkerTag": "", "canScheduleJobs": u.can_schedule, "canPrioritizeJobs": u.is_curator,
            "canAssignJobs": u.is_curator, "canCreateCollections": u.role in ("Artisan", "Curator"),
            "isApiEnabled": True, "defaultCredentialId": None, "isAccountLocked": False, "isActive": u.active,
            "isValidated": True, "lastLoginDateTime": iso(u.last_login), "timeZone": u.time_zone,
            "language": "en-us", "sharedCredentialIds": [], "dataConnectionIds": [],
            "canCreateAndUpdateDcm": u.role in ("Artisan", "Curator"), "dateCreated": iso(u.created_at)}


def collection_reduced(c: Collection) -> dict[str, Any]:
    """{id, name, ownerId, dateAdded}."""
    return {"id": c.id, "name": c.name, "ownerId": c.owner_id, "dateAdded": iso(c.created_at)}


def collection_full(c: Collection) -> dict[str, Any]:
    """A collection with its workflows, schedules and members (the owner may do everything)."""
    def member(user_id: str) -> dict[str, Any]:
        owner = user_id == c.owner_id
        return {"userId": user_id, "isOwner": owner, "canAddAssets": owner, "canRemoveAssets": owner,
                "canUpdateAssets": owner, "canAddUsers": owner, "canRemoveUsers": owner, "expirationDate": None}
    return {**collection_reduced(c), "workflowIds": list(c.workflow_ids), "scheduleIds": list(c.schedule_ids),
            "users": [member(uid) for uid in c.user_ids], "userGroupIds": [], "subscriptionIds": []}

