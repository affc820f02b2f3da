"""JSON shapes of vantage6 4.15.2 objects (vantage6.md §4-5), field order as in the real responses.

To-one relations are link objects `{"id", "link", "methods"}`; the real server builds `methods` from a set,
so its order is not stable: here it is a fixed per-seed permutation. To-many relations are list URLs.
Datetimes are ISO-8601 with microseconds and no zone suffix (UTC).
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

from sandbox.vantage6.algorithms import encode_result
from sandbox.vantage6.engine import Engine
from sandbox.vantage6.world import Collaboration, Node, Organization, Role, Rule, Run, Session, Task, User, World

API = "/api"
METHODS = {"organization": ["GET", "PATCH", "DELETE"], "collaboration": ["GET", "PATCH", "DELETE"],
           "user": ["GET", "PATCH", "DELETE"], "node": ["GET", "PATCH", "DELETE"], "role": ["GET", "PATCH", "DELETE"],
           "task": ["GET", "DELETE"], "run": ["GET", "PATCH"], "result": ["GET", "PATCH"], "session": ["GET", "DELETE"]}


def stamp(moment: datetime | None) -> str | None:
    """`2026-11-22T17:33:13.625073`: UTC, microseconds, no suffix."""
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds")


class Serializer:
    """Turns world objects into the server's JSON for one request (one engine, one moment)."""

    def __init__(self, world: World, engine: Engine, v5: bool = False) -> None:
        self.world, self.engine, self.v5 = world, engine, v5

    def link(self, kind: str, ident: int | None) -> dict[str, Any] | None:
        """A to-one link object, or None."""
        if ident is None:
            return None
        methods = list(METHODS[kind])
        random.Random(f"{self.world.seed}:methods:{kind}").shuffle(methods)
        return {"id": ident, "link": f"{API}/{kind}/{ident}", "methods": methods}

    def organization(self, org: Organization) -> dict[str, Any]:
        """An organisation with its list links."""
        q = f"organization_id={org.id}"
        return {"id": org.id, "name": org.name, "domain": org.domain, "address1": org.address1,
                "address2": org.address2, "zipcode": org.zipcode, "country": org.country, "public_key": org.public_key,
                "collaborations": f"{API}/collaboration?{q}", "nodes": f"{API}/node?{q}", "users": f"{API}/user?{q}",
                "tasks": f"{API}/task?init_org_id={org.id}", "runs": f"{API}/run?{q}", "studies": f"{API}/study?{q}"}

    def collaboration(self, collab: Collaboration, embed_orgs: bool = False) -> dict[str, Any]:
        """A collaboration; `include=organizations` embeds the organisation objects."""
        q = f"collaboration_id={collab.id}"
        orgs: Any = [self.organization(self.world.organizations[o]) for o in collab.organization_ids] \
            if embed_orgs else f"{API}/organization?{q}"
        return {"id": collab.id, "name": collab.name, "encrypted": collab.encrypted, "organizations": orgs,
                "nodes": f"{API}/node?{q}", "tasks": f"{API}/task?{q}", "algorithm_stores": f"{API}/algorithmstore?{q}",
                "studies": f"{API}/study?{q}"}

    def node_last_seen(self, node: Node) -> datetime | None:
        """Online nodes ping every 30 s; offline ones were last seen when they went away."""
        if node.status == "online":
            now = self.engine.now
            return now - timedelta(seconds=(now.timestamp() + node.id * 7) % 30)
        return node.offline_since

    def node(self, node: Node) -> dict[str, Any]:
        """A node (no `is_online`: derive it from status)."""
        return {"id": node.id, "type": "node", "name": node.name, "status": node.status,
                "last_seen": stamp(self.node_last_seen(node)), "ip": node.ip,
                "organization": self.link("organization", node.organization_id),
                "collaboration": self.link("collaboration", node.collaboration_id), "config": list(node.config)}

    def user(self, user: User, permissions: dict[str, Any] | None = None) -> dict[str, Any]:
        """A user; otp_secret is never shown (null)."""
        body = {"id": user.id, "type": "user", "username": user.username, "firstname": user.firstname,
                "lastname": user.lastname, "email": user.email, "organization": self.link("organization",
                                                                                         user.organization_id),
                "roles": f"{API}/role?user_id={user.id}", "rules": f"{API}/rule?user_id={user.id}",
                "last_seen": stamp(user.last_seen), "ip": user.ip, "status": None, "otp_secret": None,
                "last_email_failed_login_sent": None, "last_email_recover_password_sent": None}
        if permissions is not None:
            body["permissions"] = permissions
        return body

    def role(self, role: Role) -> dict[str, Any]:
        """A role with its rule and user list links."""
        return {"id": role.id, "name": role.name, "description": role.description,
                "organization": self.link("organization", role.organization_id),
                "rules": f"{API}/rule?role_id={role.id}", "users": f"{API}/user?role_id={role.id}"}

    @staticmethod
    def rule(rule: Rule) -> dict[str, Any]:
        """A rule."""
        return {"id": rule.id, "name": rule.name, "scope": rule.scope, "operation": rule.operation,
                "description": rule.description, "users": f"{API}/user?rule_id={rule.id}"}

    def task(self, task: Task, include: set[str] | None = None) -> dict[str, Any]:
        """A task with its derived status; `include` may hold "runs" and "results"."""
        include = include or set()
        runs = [self.world.runs[r] for r in task.run_ids if r in self.world.runs]
        body: dict[str, Any] = {
            "id": task.id, "job_id": task.job_id, "name": task.name, "description": task.description,
            "image": task.image, "status": self.engine.task_status(task, self.v5),
            "finished_at": stamp(self.engine.task_finished_at(task)), "created_at": stamp(task.created_at),
            "collaboration": self.link("collaboration", task.collaboration_id),
            "init_org": self.link("organization", task.init_org_id), "init_user": self.link("user", task.init_user_id),
            "parent": self.link("task", task.parent_id), "children": f"{API}/task?parent_id={task.id}",
            "runs": [self.run(r) for r in runs] if "runs" in include else f"{API}/run?task_id={task.id}",
            "results": [self.result(r) for r in runs] if "results" in include else f"{API}/result?task_id={task.id}",
            "databases": [{"label": d.label, "parameters": d.parameters} for d in task.databases],
            "study": None, "algorithm_store": None}
        if self.v5:
            body.update({"method": task.method, "session": self.link("session", task.session_id)})
        return body

    def run(self, run: Run, with_task: bool = False) -> dict[str, Any]:
        """A run (never its result); `include=task` embeds the task."""
        state = self.engine.state(run)
        node = self.world.nodes.get(run.node_id)
        return {"id": run.id, "status": state.status, "input": run.input, "assigned_at": stamp(run.assigned_at),
                "started_at": stamp(state.started_at), "finished_at": stamp(state.finished_at), "log": state.log,
                "cleanup_at": None, "blob_storage_used": False, "ports": [],
                "organization": self.link("organization", run.organization_id),
                "task": self.task(self.world.tasks[run.task_id]) if with_task else self.link("task", run.task_id),
                "results": self.link("result", run.id),
                "node": {"id": node.id, "name": node.name, "status": node.status, "ip": node.ip} if node else None}

    def result(self, run: Run) -> dict[str, Any]:
        """A run's result payload (base64, null until it completed)."""
        return {"id": run.id, "result": encode_result(self.engine.state(run).result), "run": self.link("run", run.id),
                "task": self.link("task", run.task_id), "cleanup_at": None, "blob_storage_used": False}

    def session(self, session: Session) -> dict[str, Any]:
        """A v5 session (shape assumed)."""
        return {"id": session.id, "name": session.name, "scope": "collaboration", "ready": True,
                "created_at": stamp(session.created_at), "last_used_at": stamp(session.created_at),
                "collaboration": self.link("collaboration", session.collaboration_id), "study": None,
                "owner": self.link("user", session.user_id), "dataframes": f"{API}/session/{session.id}/dataframe"}

