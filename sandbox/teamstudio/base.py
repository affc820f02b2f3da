"""What every Team Studio backend mixin shares: the lock, the clock, lookups that 404, and who may see or change what.

Visibility: application admins see and change everything; other users see public workspaces and those
they are members of (anything else is 403), and only members change a workspace's jobs or run its workflows.
"""
from __future__ import annotations

import random
import threading
from datetime import datetime

from sandbox.common.clock import Clock
from sandbox.common.faults import FaultState
from sandbox.teamstudio.engine import state_at
from sandbox.teamstudio.errors import Forbidden, not_found
from sandbox.common.sessions import SessionStore
from sandbox.teamstudio.world import Job, Process, User, Workfile, Workspace, World


SESSION_LIFETIME = 1800  # seconds (30 minutes) unless the token_lifetime knob says otherwise
COOKIE_NAME = "_chorus_session"


class BackendBase:
    """State holders and helpers; the concrete backend (models.py) initialises them."""

    clock: Clock
    faults: FaultState
    sessions: SessionStore
    lock: threading.RLock
    seed: int
    size: str
    world: World
    rng: random.Random

    def now(self) -> datetime:
        """The emulator clock's now."""
        return self.clock.now()

    def running_processes(self) -> list[Process]:
        """Processes still running at now (workfile and job status read this)."""
        now = self.now()
        return [p for p in self.world.processes.values() if state_at(p, now) is not None]

    # -- lookups -----------------------------------------------------------------------------------------
    def user_or_404(self, user_id: int) -> User:
        """The user with that id (404 otherwise)."""
        user = self.world.users.get(user_id)
        if user is None:
            raise not_found("User", user_id)
        return user

    def workspace_for(self, viewer: User, workspace_id: int) -> Workspace:
        """A workspace the viewer may see (404 unknown, 403 private and not a member)."""
        space = self.world.workspaces.get(workspace_id)
        if space is None:
            raise not_found("Workspace", workspace_id)
        if not self.can_see(viewer, space):
            raise Forbidden(f"You are not a member of workspace {workspace_id}.")
        return space

    def workfile_for(self, viewer: User, workfile_id: int) -> Workfile:
        """A workfile in a workspace the viewer may see."""
        workfile = self.world.workfiles.get(workfile_id)
        if workfile is None:
            raise not_found("Workfile", workfile_id)
        self.workspace_for(viewer, workfile.workspace_id)
        return workfile

    def job_for(self, viewer: User, workspace_id: int, job_id: int) -> Job:
        """A job of that workspace (a job of another workspace is 404 here)."""
        self.workspace_for(viewer, workspace_id)
        job = self.world.jobs.get(job_id)
        if job is None or job.workspace_id != workspace_id:
            raise not_found("Job", job_id)
        return job

    # -- access ------------------------------------------------------------------------------------------
    @staticmethod
    def is_member(user: User, space: Workspace) -> bool:
        """Whether user is on the workspace's member list."""
        return any(m.user_id == user.id for m in space.members)

    def can_see(self, user: User, space: Workspace) -> bool:
        """Admins see all; others see public workspaces and their own."""
        return user.admin or space.public or self.is_member(user, space)

    def require_member(self, user: User, space: Workspace) -> None:
        """403 unless user is an admin or a member (changing jobs, running workflows)."""
        if not (user.admin or self.is_member(user, space)):
            raise Forbidden(f"Only members of workspace {space.id} may do this.")

    def require_owner(self, user: User, space: Workspace) -> None:
        """403 unless user is an admin or the workspace owner (settings, members, deletion)."""
        if not (user.admin or user.id == space.owner_id):
            raise Forbidden(f"Only the owner of workspace {space.id} or an administrator may do this.")

    @staticmethod
    def require_admin(user: User) -> None:
        """403 unless user is an application admin."""
        if not user.admin:
            raise Forbidden("Only administrators may do this.")
