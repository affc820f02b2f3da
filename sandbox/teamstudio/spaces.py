"""Workspaces, their member lists and workfiles (/api/workspaces..., /api/workfiles/{id})."""
from __future__ import annotations

from typing import Any, Mapping

from sandbox.common.locking import locked
from sandbox.teamstudio.base import BackendBase
from sandbox.teamstudio.errors import NotFound, Unprocessable
from sandbox.teamstudio.paging import flag, paginate
from sandbox.teamstudio.serialize import member_json, workfile_json, workspace_json
from sandbox.teamstudio.world import MEMBER_ROLES, STAGES, Member, User, Workfile, Workspace

WORKFILE_ORDERS = ("file_name", "last_updated", "id")
MIMETYPES = {"sql": "text/x-sql", "notebook": "application/x-ipynb+json", "text": "text/plain"}


def _flag_value(body: Mapping[str, Any], name: str) -> bool | None:
    value = body.get(name)
    return value if isinstance(value, bool) or value is None else flag(str(value), name)


def _number(body: Mapping[str, Any], name: str, current: int) -> int:
    """An integer field of a PUT body (absent or empty keeps current; anything else is a 422)."""
    value = body.get(name)
    if value in (None, ""):
        return current
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Unprocessable(f"{name} must be an integer.", {name: "INVALID"}) from None


class SpacesMixin(BackendBase):
    """Workspace listing and settings, members, workfiles."""

    # -- workspaces ----------------------------------------------------------------------------------------
    @locked
    def list_workspaces(self, viewer: User, user_id: str | None, active: bool | None, page: int,
                        per_page: int) -> dict[str, Any]:
        """Visible workspaces by name; user_id keeps those that user is a member of, active=true the unarchived,
        active=false the archived ones."""
        spaces = [s for s in self.world.workspaces.values() if self.can_see(viewer, s)]
        if user_id not in (None, ""):
            try:
                member = self.user_or_404(int(str(user_id)))
            except ValueError:
                raise Unprocessable("user_id must be an integer.", {"user_id": "INVALID"}) from None
            spaces = [s for s in spaces if self.is_member(member, s)]
        if active is not None:
            spaces = [s for s in spaces if (s.archived_at is None) == active]
        spaces.sort(key=lambda s: (s.name.lower(), s.id))
        return paginate(spaces, page, per_page, lambda s: workspace_json(self.world, s))

    @locked
    def get_workspace(self, viewer: User, workspace_id: int) -> dict[str, Any]:
        """One workspace, complete."""
        return {"response": workspace_json(self.world, self.workspace_for(viewer, workspace_id), complete=True)}

    def _check_name(self, name: str, own_id: int = 0) -> str:
        name = name.strip()
        if not name:
            raise Unprocessable("name can't be blank.", {"name": "BLANK"})
        if any(s.name.lower() == name.lower() and s.id != own_id for s in self.world.workspaces.values()):
            raise Unprocessable(f"Workspace name {name!r} has already been taken.", {"name": "TAKEN"})
        return name

    @locked
    def create_workspace(self, viewer: User, form: Mapping[str, str]) -> dict[str, Any]:
        """POST /api/workspaces (form: name, public "true"/"false", summary); the creator owns it."""
        name = self._check_name(form.get("name", ""))
        public = flag(form.get("public"), "public") or False
        now = self.now().replace(microsecond=0)
        space = Workspace(self.world.new_id("workspaces"), name, form.get("summary") or "", public, viewer.id, 1,
                          now, now, [Member(viewer.id, "Project Manager")])
        self.world.workspaces[space.id] = space
        return {"response": workspace_json(self.world, space, complete=True)}

    @locked
    def update_workspace(self, viewer: User, workspace_id: int, body: Mapping[str, Any]) -> dict[str, Any]:
        """PUT /api/workspaces/{id}: name, summary, public/is_public, archived/active, workspace_stage_id, owner_id."""
        space = self.workspace_for(viewer, workspace_id)
        self.require_owner(viewer, space)
        name = self._check_name(str(body["name"]), space.id) if body.get("name") else space.name
        public = _flag_value(body, "public") if "public" in body else _flag_value(body, "is_public")
        archived = _flag_value(body, "archived")
        if archived is None and _flag_value(body, "active") is not None:
            archived = not _flag_value(body, "active")
        stage, owner = _number(body, "workspace_stage_id", space.stage_id), _number(body, "owner_id", space.owner_id)
        if stage not in STAGES:
            raise Unprocessable(f"workspace_stage_id must be one of {sorted(STAGES)}.",
                                {"workspace_stage_id": "INVALID"})
        if not any(m.user_id == owner for m in space.members):
            raise Unprocessable(f"User {owner} is not a member of workspace {space.id}.", {"owner_id": "INVALID"})
        now = self.now().replace(microsecond=0)
        space.name, space.stage_id, space.owner_id, space.updated_at = name, stage, owner, now
        space.summary = str(body["summary"]) if body.get("summary") is not None else space.summary
        space.public = space.public if public is None else public
        if archived is not None and archived != (space.archived_at is not None):
            space.archived_at, space.archiver_id = (now, viewer.id) if archived else (None, None)
        return {"response": workspace_json(self.world, space, complete=True)}

    @locked
    def delete_workspace(self, viewer: User, workspace_id: int) -> None:
        """DELETE /api/workspaces/{id} (owner or admin), with its workfiles and jobs."""
        space = self.workspace_for(viewer, workspace_id)
        self.require_owner(viewer, space)
        del self.world.workspaces[space.id]
        for workfile_id in [w.id for w in self.world.workfiles.values() if w.workspace_id == space.id]:
            del self.world.workfiles[workfile_id]
        for job_id in [j.id for j in self.world.jobs.values() if j.workspace_id == space.id]:
            del self.world.jobs[job_id]

    # -- members -------------------------------------------------------------------------------------------
    @locked
    def list_members(self, viewer: User, workspace_id: int, page: int, per_page: int) -> dict[str, Any]:
        """The member list: user objects with their workspace role."""
        space = self.workspace_for(viewer, workspace_id)
        members = [m for m in space.members if m.user_id in self.world.users]
        return paginate(members, page, per_page, lambda m: member_json(self.world.users[m.user_id], m.role))

    @locked
    def set_members(self, viewer: User, workspace_id: int, body: Mapping[str, Any]) -> dict[str, Any]:
        """Replace the member list with body["members"] = [{"user_id", "role"}]; the owner must stay a member."""
        space = self.workspace_for(viewer, workspace_id)
        self.require_owner(viewer, space)
        entries = body.get("members")
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise Unprocessable('members must be a list of {"user_id", "role"} objects.', {"members": "INVALID"})
        members: dict[int, Member] = {}
        for entry in entries:
            try:
                user_id = int(entry.get("user_id"))
            except (TypeError, ValueError):
                raise Unprocessable("user_id must be an integer.", {"user_id": "INVALID"}) from None
            self.user_or_404(user_id)
            role = entry.get("role")
            if role not in MEMBER_ROLES:
                raise Unprocessable(f"Unknown member role {role!r}; roles are {', '.join(MEMBER_ROLES)}.",
                                    {"role": "INVALID"})
            members[user_id] = Member(user_id, role)
        if space.owner_id not in members:
            raise Unprocessable(f"The owner (user {space.owner_id}) must stay a member.", {"members": "OWNER"})
        space.members = list(members.values())
        return {"response": [member_json(self.world.users[m.user_id], m.role) for m in space.members]}

    # -- workfiles -----------------------------------------------------------------------------------------
    def workfile_status(self, workfile: Workfile) -> str:
        """"running" while one of its processes runs, else "idle"."""
        return "running" if any(p.workflow_id == workfile.id for p in self.running_processes()) else "idle"

    @locked
    def list_workfiles(self, viewer: User, workspace_id: int, order: str | None, page: int,
                       per_page: int) -> dict[str, Any]:
        """A workspace's workfiles ordered by file_name (default), last_updated (newest first) or id."""
        self.workspace_for(viewer, workspace_id)
        order = order or "file_name"
        if order not in WORKFILE_ORDERS:
            raise Unprocessable(f"order must be one of {', '.join(WORKFILE_ORDERS)}.", {"order": "INVALID"})
        files = [w for w in self.world.workfiles.values() if w.workspace_id == workspace_id]
        if order == "file_name":
            files.sort(key=lambda w: (w.file_name.lower(), w.id))
        elif order == "last_updated":
            files.sort(key=lambda w: (w.modified_at, w.id), reverse=True)
        running = {p.workflow_id for p in self.running_processes()}
        return paginate(files, page, per_page,
                        lambda w: workfile_json(self.world, w, "running" if w.id in running else "idle"))

    @locked
    def get_workfile(self, viewer: User, workfile_id: int) -> dict[str, Any]:
        """One workfile, complete."""
        workfile = self.workfile_for(viewer, workfile_id)
        return {"response": workfile_json(self.world, workfile, self.workfile_status(workfile), complete=True)}

    @locked
    def delete_workfile(self, viewer: User, workfile_id: int) -> None:
        """DELETE /api/workfiles/{id} (members); job tasks pointing at it go with it."""
        workfile = self.workfile_for(viewer, workfile_id)
        self.require_member(viewer, self.world.workspaces[workfile.workspace_id])
        del self.world.workfiles[workfile.id]
        for job in self.world.jobs.values():
            job.tasks = [t for t in job.tasks if t.workfile_id != workfile.id]

    @locked
    def download_workfile(self, viewer: User, workfile_id: int) -> tuple[str, str, str]:
        """(content, file name, mimetype) of a workfile; Alpine workflows cannot be downloaded (404)."""
        workfile = self.workfile_for(viewer, workfile_id)
        if workfile.file_type == "work_flow":
            raise NotFound(f"Workfile {workfile_id} is an Alpine workflow and cannot be downloaded.")
        return workfile.content, workfile.file_name, MIMETYPES.get(workfile.file_type, "text/plain")
