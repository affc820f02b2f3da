"""Reading resources: lists (filtered, scoped to what the caller may view, ordered, paged) and single objects.

A list needs the resource's VIEW rule at some scope (401 otherwise) and shows only objects that scope
covers; a single object answers 404 when unknown and 401 when outside the caller's scope. Rules are
visible to every user; runs and results share the `run` rules; v5 sessions follow the `task` rules.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

from sandbox.vantage6 import filters, filters_admin, rules
from sandbox.common.locking import locked
from sandbox.vantage6.base import BackendBase
from sandbox.vantage6.engine import Engine
from sandbox.vantage6.errors import forbidden
from sandbox.vantage6.paging import Page, order, paginate
from sandbox.vantage6.rules import Scope
from sandbox.vantage6.serialize import Serializer
from sandbox.vantage6.world import User

Query = Mapping[str, Sequence[str]]
# kind -> (model name for sort errors, table attribute, rule resource or None, sortable fields)
KINDS: dict[str, tuple[str, str, str | None, tuple[str, ...]]] = {
    "task": ("Task", "tasks", "task", ("id", "name", "description", "image", "job_id", "created_at",
                                       "collaboration_id", "init_org_id", "init_user_id", "parent_id")),
    "run": ("Run", "runs", "run", ("id", "task_id", "organization_id", "status", "input", "assigned_at",
                                   "started_at", "finished_at", "log", "result")),
    "organization": ("Organization", "organizations", "organization",
                     ("id", "name", "domain", "address1", "address2", "zipcode", "country", "public_key")),
    "collaboration": ("Collaboration", "collaborations", "collaboration", ("id", "name", "encrypted")),
    "node": ("Node", "nodes", "node", ("id", "name", "status", "ip", "organization_id", "collaboration_id")),
    "user": ("User", "users", "user", ("id", "username", "firstname", "lastname", "email", "organization_id",
                                       "last_seen")),
    "role": ("Role", "roles", "role", ("id", "name", "description", "organization_id")),
    "rule": ("Rule", "rules", None, ("id", "name", "scope", "operation", "description")),
    "session": ("Session", "sessions", "task", ("id", "name", "collaboration_id", "user_id", "created_at")),
}
KINDS["result"] = KINDS["run"]


def includes(query: Query) -> set[str]:
    """`include=runs,results` or repeated `include` parameters."""
    return {part.strip() for value in query.get("include", []) for part in value.split(",") if part.strip()}


def _fields(names: tuple[str, ...]) -> Callable[[Any], dict[str, Any]]:
    return lambda obj: {name: getattr(obj, name, None) for name in names}


class QueriesMixin(BackendBase):
    """GET on every resource."""

    def _filtered(self, kind: str, items: list[Any], query: Query, engine: Engine) -> list[Any]:
        w = self.world
        if kind == "task":
            return filters.tasks(w, engine, items, query, self.v5)
        if kind in ("run", "result"):
            return filters.runs(w, engine, items, query)
        if kind == "node":
            return filters.nodes(w, items, query, Serializer(w, engine).node_last_seen)
        table = {"organization": filters_admin.organizations, "collaboration": filters_admin.collaborations,
                 "user": filters_admin.users, "role": filters_admin.roles, "rule": filters_admin.rule_list}
        if kind in table:
            return table[kind](w, items, query)
        return [s for s in items if "collaboration_id" not in query or str(s.collaboration_id) in query[
            "collaboration_id"]]

    def _visible(self, user: User, kind: str, items: list[Any]) -> list[Any]:
        resource = KINDS[kind][2]
        if resource is None:
            return items
        if kind == "session":
            grant = rules.grant(self.world, user, "task", "VIEW")
            return [s for s in items if grant.covers(Scope(collab_ids=frozenset({s.collaboration_id})))]
        return self.visible(user, resource, items)

    def _dump(self, kind: str, obj: Any, out: Serializer, query: Query, single: bool = False) -> dict[str, Any]:
        wanted = includes(query)
        if kind == "task":
            return out.task(obj, wanted)
        if kind == "run":
            return out.run(obj, with_task="task" in wanted)
        if kind == "collaboration":
            return out.collaboration(obj, embed_orgs="organizations" in wanted)
        if kind == "user" and single and (query.get("include_permissions") or [""])[0].lower() in ("1", "true"):
            return out.user(obj, self.permissions(obj))
        return getattr(out, kind)(obj)

    def permissions(self, user: User) -> dict[str, Any]:
        """`include_permissions=true`: role ids, rule ids, and the organisations in the user's collaborations."""
        orgs = sorted({o for c in self.world.collaborations_of(user.organization_id)
                       for o in self.world.collaborations[c].organization_ids})
        return {"roles": list(user.role_ids), "rules": [r.id for r in rules.user_rules(self.world, user)],
                "orgs_in_collabs": orgs}

    @locked
    def list_of(self, user: User, kind: str, query: Query, path: str, pairs: list[tuple[str, str]]) -> Page:
        """GET /api/<kind>: a page of serialized objects."""
        model, table, _, sortable = KINDS[kind]
        engine = self.engine()
        items = self._filtered(kind, list(getattr(self.world, table).values()), query, engine)
        items = self._visible(user, kind, items)
        sort = (query.get("sort") or [None])[0]
        rows = order(items, model, sort, _fields(sortable), self.seed)
        everything = kind == "rule" and (query.get("no_pagination") or ["0"])[0] in ("1", "true", "True")
        page = paginate(rows, path, pairs, everything)
        out = Serializer(self.world, engine, self.v5)
        return Page([self._dump(kind, obj, out, query) for obj in page.items], page.links, page.headers)

    @locked
    def get_one(self, user: User, kind: str, ident: int, query: Query) -> dict[str, Any]:
        """GET /api/<kind>/<id>: 404 unknown, 401 outside the caller's scope."""
        obj = self._get(getattr(self.world, KINDS[kind][1]), kind, ident)
        if not self._visible(user, kind, [obj]):
            raise forbidden()
        return self._dump(kind, obj, self.serializer(), query, single=True)

    @locked
    def task_status(self, user: User, task_id: int) -> dict[str, str]:
        """GET /api/task/<id>/status."""
        task = self.task_or_404(task_id)
        self.require(user, "task", "VIEW", task)
        return {"status": self.engine().task_status(task, self.v5)}

    @locked
    def me(self, user: User) -> dict[str, Any]:
        """GET /api/user/me (v5)."""
        return self.serializer().user(user)

