"""The engine API's operations: run a workflow, query a process, stop it, fetch its results."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sandbox.common.ids import seeded_uuid4
from sandbox.common.locking import locked
from sandbox.teamstudio.base import BackendBase
from sandbox.teamstudio.engine import make_process, requested_variables, resolve_values, state_at, stop
from sandbox.teamstudio.errors import Unprocessable, not_found
from sandbox.teamstudio.results import build_results
from sandbox.teamstudio.world import Process, User, Workfile

OVER = "Workflow not started or already stopped.\n"
UNKNOWN_PROCESS = "invalid processID or workflow already stopped.\n"
STOPPED = "Flow stopped.\n"


class RunsMixin(BackendBase):
    """Engine processes: started by the run endpoint, by POST /api/jobs/{id}/run and by due schedules."""

    def start_process(self, workfile: Workfile, user_id: int, values: dict[str, str], at: datetime,
                      save_result: bool = True, job_id: int | None = None) -> Process:
        """Register a new process of workfile started at `at` (ids repeat for the same seed and calls)."""
        process = make_process(self.seed, seeded_uuid4(self.rng), workfile, user_id, values, at, save_result, job_id)
        self.world.processes[process.id] = process
        return process

    @locked
    def run_workflow(self, viewer: User, workflow_id: int, body: Any, save_result: bool) -> dict[str, Any]:
        """POST .../workflows/{id}/run: members (or admins) start a run; undeclared variables are a 422."""
        workfile = self.workfile_for(viewer, workflow_id)
        if workfile.file_type != "work_flow":
            raise Unprocessable(f"Workfile {workflow_id} is not an Alpine workflow.", {"workflow_id": "INVALID"})
        self.require_member(viewer, self.world.workspaces[workfile.workspace_id])
        values = resolve_values(workfile, requested_variables(body))
        process = self.start_process(workfile, viewer.id, values, self.now(), save_result)
        return {"meta": {"version": 1, "processId": process.id, "workflowId": str(workfile.id)}}

    @locked
    def query_process(self, process_id: str) -> dict[str, Any] | str:
        """JSON meta.state while running; the engine's plain-text line once over or for an unknown id."""
        process = self.world.processes.get(process_id)
        if process is None:
            return UNKNOWN_PROCESS
        state = state_at(process, self.now())
        if state is None:
            return OVER
        return {"meta": {"version": 1, "processId": process.id, "state": state}}

    @locked
    def stop_process(self, viewer: User, process_id: str) -> dict[str, str]:
        """Stop a running process (members or admins); an unknown id is a 404, an ended one says so."""
        process = self.world.processes.get(process_id)
        if process is None:
            raise not_found("Process", process_id)
        workfile = self.world.workfiles.get(process.workflow_id)
        if workfile is not None and workfile.workspace_id in self.world.workspaces:
            self.require_member(viewer, self.world.workspaces[workfile.workspace_id])
        return {"status": STOPPED if stop(process, self.now(), viewer.id) else OVER}

    @locked
    def process_results(self, viewer: User, workflow_id: int, process_id: str) -> str:
        """The results as a JSON text (sent JSON-encoded again), or "" while running, unsaved or unknown."""
        workfile = self.workfile_for(viewer, workflow_id)
        process = self.world.processes.get(process_id)
        if process is None or process.workflow_id != workfile.id:
            return ""
        results = build_results(process, workfile, self.world.users, self.now())
        return "" if results is None else json.dumps(results)
