"""Creating, killing and deleting tasks, with every check of vantage6.md §4 in the server's order.

Create (v4): body schema (400) -> unknown collaboration (404) -> an organisation outside it (400) -> an
organisation without a node there (400) -> the caller's organisation not a member (401) -> no `task
create` permission (401) -> [v5: unknown session 404, session of another collaboration 400] -> each
organisation's input: in an unencrypted collaboration it must be base64 of UTF-8 text (missing or invalid:
an unhandled 500), in an encrypted one it must not decode to text (400). Kill: body (400) -> unknown task
(404) -> already finished (400) -> no `event send` rule at collaboration or global scope (401).
"""
from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from sandbox.vantage6 import rules
from sandbox.common.locking import locked
from sandbox.vantage6.base import BackendBase
from sandbox.vantage6.errors import V6Error, bad_request, forbidden, not_found, unexpected
from sandbox.vantage6.factory import NewTask, add_task, spawn_due
from sandbox.vantage6.rules import Scope
from sandbox.vantage6.statuses import is_finished
from sandbox.vantage6.validate import KILL, check, task_body
from sandbox.vantage6.world import Collaboration, Database, Task, User

NOT_IN_COLLAB = "At least one of the supplied organizations in not within the collaboration."
NO_NODES = "Cannot create this task because there are no nodes registered for the following organization(s): {}."
NOT_MEMBER = "You can only create tasks for collaborations you are participating in!"
NOT_ENCRYPTED = "Your collaboration requires encryption, but input is not encrypted! Please encrypt your input."


def _is_text(value: str) -> bool:
    try:
        base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    return True


def _databases(raw: Any) -> list[Database]:
    """Database entries as stored: the label and the other keys as a JSON string (v5's list of lists flattened)."""
    entries = [d for item in raw or [] for d in (item if isinstance(item, list) else [item])]
    return [Database(d["label"], json.dumps({k: v for k, v in d.items() if k != "label"})) for d in entries]


class TaskOpsMixin(BackendBase):
    """POST /task, DELETE /task/<id>, POST /kill/task, and the lazy spawning of subtasks."""

    @locked
    def tick(self) -> None:
        """Create the subtasks of central runs that became active since the last request."""
        spawn_due(self.world, self.now())

    def _inputs(self, collab: Collaboration, organizations: list[dict[str, Any]]) -> list[tuple[int, str]]:
        inputs = []
        for entry in organizations:
            text = entry.get("input", entry.get("arguments"))
            if text is None and self.v5:
                text = ""
            elif collab.encrypted:
                if text is None:
                    raise unexpected()
                if _is_text(text):
                    raise bad_request(NOT_ENCRYPTED)
            elif text is None or not _is_text(text):
                raise unexpected()  # the real server fails decoding here without handling it
            inputs.append((entry["id"], text))
        return inputs

    @locked
    def create_task(self, user: User, raw: Any) -> dict[str, Any]:
        """POST /api/task -> the new task (201)."""
        body = task_body(raw, self.v5)
        if "study_id" in body:
            raise not_found("study", body["study_id"])
        collab = self.world.collaborations.get(body["collaboration_id"])
        if collab is None:
            raise not_found("collaboration", body["collaboration_id"])
        org_ids = [entry["id"] for entry in body["organizations"]]
        if any(o not in collab.organization_ids for o in org_ids):
            raise bad_request(NOT_IN_COLLAB)
        missing = [str(o) for o in dict.fromkeys(org_ids) if self.world.node_for(o, collab.id) is None]
        if missing:
            raise bad_request(NO_NODES.format(", ".join(missing)))
        if user.organization_id not in collab.organization_ids:
            raise V6Error(401, NOT_MEMBER)
        scope = Scope(frozenset({user.organization_id}), frozenset({collab.id}), user.id)
        if not rules.permits(self.world, user, "task", "CREATE", scope):
            raise forbidden()
        session_id = body.get("session_id")
        if self.v5:
            session = self.world.sessions.get(session_id)
            if session is None:
                raise not_found("session", session_id)
            if session.collaboration_id != collab.id:
                raise bad_request(f"Session {session_id} does not belong to collaboration {collab.id}")
        spec = NewTask(body.get("name") or "", body.get("description") or "", body["image"], collab.id,
                       user.organization_id, user.id, self._inputs(collab, body["organizations"]),
                       _databases(body.get("databases")), body.get("method") or "", session_id=session_id)
        task = add_task(self.world, spec, self.now())
        return self.serializer().task(task)

    def descendants(self, task: Task) -> list[Task]:
        """The task's subtasks, their subtasks, and so on."""
        found, queue = [], [task]
        while queue:
            current = queue.pop()
            for run_id in current.run_ids:
                run = self.world.runs.get(run_id)
                for child_id in run.child_task_ids if run else []:
                    if child_id in self.world.tasks:
                        found.append(self.world.tasks[child_id])
                        queue.append(self.world.tasks[child_id])
        return found

    @locked
    def kill_task(self, user: User, raw: Any) -> dict[str, Any]:
        """POST /api/kill/task: every unfinished run of the task and its subtasks becomes `killed by user`."""
        task_id = check(raw, KILL, ("id",))["id"]
        task = self.world.tasks.get(task_id)
        if task is None:
            raise not_found("task", task_id)
        engine = self.engine()
        status = engine.task_status(task)
        if is_finished(status):
            raise bad_request(f"Task {task_id} already finished with status '{status}', so cannot kill it!")
        grant = rules.grant(self.world, user, "event", "SEND")
        if not (rules.G in grant.scopes or (rules.C in grant.scopes and task.collaboration_id in grant.collab_ids)):
            raise forbidden()
        for victim in [task] + self.descendants(task):
            for run_id in victim.run_ids:
                run = self.world.runs[run_id]
                if not is_finished(engine.state(run).status):
                    run.killed_at = engine.now
        return {"msg": f"Nodes have been instructed to kill any containers running for task {task_id}."}

    @locked
    def delete_task(self, user: User, task_id: int) -> dict[str, Any]:
        """DELETE /api/task/<id>: the task, its runs and its subtasks."""
        task = self.task_or_404(task_id)
        self.require(user, "task", "DELETE", task)
        for victim in [task] + self.descendants(task):
            for run_id in victim.run_ids:
                self.world.runs.pop(run_id, None)
                self.world.unspawned.discard(run_id)
            self.world.tasks.pop(victim.id, None)
        return {"msg": f"task id={task_id} and its algorithm run data have been successfully deleted"}
