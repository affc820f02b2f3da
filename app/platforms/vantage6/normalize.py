"""Pure functions: vantage6 JSON -> records. A task is a Run whose status summarises its runs (one per
organisation); each organisation's run is an OrgRun; images used more than once are Workflows."""
from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.platforms.records import Run, RunMessage, RunPart, RunStatus, TargetRef, Workflow
from app.platforms.timestamps import parse_time

NUMERIC_ID = re.compile(r"^\d{1,12}$")  # every vantage6 id; anything else is refused before a call

# Run and task statuses (vantage6 common/task_status.py, and the v5 additions): everything not listed is a failure.
STATUS = {"pending": RunStatus.QUEUED, "initializing": RunStatus.QUEUED, "awaiting": RunStatus.QUEUED,
          "active": RunStatus.RUNNING, "completed": RunStatus.SUCCEEDED, "killed by user": RunStatus.CANCELED}


def to_status(value: Any) -> RunStatus:
    """vantage6's word as the common status; an unknown word is a failure, as the server itself counts it."""
    word = str(value or "").strip().lower()
    return STATUS.get(word, RunStatus.FAILED if word else RunStatus.UNKNOWN)


@dataclass(frozen=True)
class Names:
    """Ids to names for what task objects only link to (organisations, users, collaborations)."""

    organizations: dict[str, str]
    users: dict[str, str]
    collaborations: dict[str, str]

    def org(self, ident: Any) -> str:
        return self.organizations.get(str(ident), f"organisation {ident}")

    def user(self, ident: Any) -> str:
        return self.users.get(str(ident), f"user {ident}")

    def collaboration(self, ident: Any) -> str:
        return self.collaborations.get(str(ident), f"collaboration {ident}")


@dataclass(frozen=True)
class OrgRun:
    """One organisation's run of a task, with its node and, once completed, its decoded result."""

    id: str
    organization: str
    status: RunStatus
    platform_status: str
    assigned: datetime | None
    started: datetime | None
    finished: datetime | None
    node: str
    node_online: bool
    log: str

    @property
    def duration(self) -> timedelta | None:
        return self.finished - self.started if self.started and self.finished else None


def link_id(value: Any) -> str | None:
    """The id of a to-one link object ({"id", "link", "methods"}), or None."""
    return str(value["id"]) if isinstance(value, dict) and value.get("id") is not None else None


def short_image(image: str) -> str:
    """"harbor2.vantage6.ai/demo/average:1.2" -> "demo/average:1.2": the registry host adds nothing on a page."""
    parts = image.split("/")
    return "/".join(parts[1:]) if len(parts) > 2 and "." in parts[0] else image


def decode_base64_json(text: Any) -> Any:
    """An input or result as vantage6 stores it (base64 of JSON); None when absent or not decodable
    (an encrypted collaboration's payloads are not readable here)."""
    if not isinstance(text, str) or not text:
        return None
    try:
        return json.loads(base64.b64decode(text, validate=True).decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def encode_input(algorithm_input: dict[str, Any]) -> str:
    """The organisations' `input` the server expects: base64 of the JSON {"method", "args", "kwargs"}."""
    return base64.b64encode(json.dumps(algorithm_input).encode("utf-8")).decode("ascii")


def normalize_org_run(raw: dict, names: Names) -> OrgRun:
    node = raw.get("node") if isinstance(raw.get("node"), dict) else {}
    return OrgRun(
        id=str(raw.get("id", "")), organization=names.org(link_id(raw.get("organization"))),
        status=to_status(raw.get("status")), platform_status=str(raw.get("status") or "unknown"),
        assigned=parse_time(raw.get("assigned_at")), started=parse_time(raw.get("started_at")),
        finished=parse_time(raw.get("finished_at")), node=str(node.get("name") or "—"),
        node_online=node.get("status") == "online", log=str(raw.get("log") or ""))


def normalize_task(raw: dict, connection: str, names: Names, runs: list[OrgRun] | None = None) -> Run:
    """A task as a Run: its status is the server's summary of its runs; the start is the first run's start."""
    runs = runs if runs is not None else [normalize_org_run(r, names) for r in raw.get("runs") or []
                                          if isinstance(r, dict)]
    image = str(raw.get("image") or "")
    status = to_status(raw.get("status"))
    starts = [r.started for r in runs if r.started]
    ends = [r.finished for r in runs if r.finished]
    finished = parse_time(raw.get("finished_at")) or (max(ends) if ends and status.is_final else None)
    parent = link_id(raw.get("parent"))
    details = [("Name", str(raw.get("name") or "—")),
               ("Collaboration", names.collaboration(link_id(raw.get("collaboration")))),
               ("Initiating organisation", names.org(link_id(raw.get("init_org")))),
               ("Image", image), ("Job", str(raw.get("job_id", "—")))]
    if parent:
        details.append(("Parent task", parent))
    if raw.get("description"):
        details.append(("Description", str(raw["description"])))
    return Run(
        connection=connection, platform="vantage6", id=str(raw.get("id", "")),
        target=TargetRef("image", image, short_image(image) or "—"), status=status,
        platform_status=str(raw.get("status") or "unknown"), started=min(starts) if starts else None,
        finished=finished, triggered_by=names.user(link_id(raw.get("init_user"))),
        created=parse_time(raw.get("created_at")), details=tuple(details),
        errors=tuple(f"{r.organization}: {r.platform_status}" + (f" — {r.log.strip()}" if r.log.strip() else "")
                     for r in runs if r.status is RunStatus.FAILED),
        messages=tuple(RunMessage("error" if r.status is RunStatus.FAILED else "info", r.log.strip(), r.organization)
                       for r in runs if r.log.strip()),
        title=str(raw.get("name") or ""),
        parts=tuple(RunPart(r.organization, r.status, r.platform_status) for r in runs))


def image_workflows(tasks: list[dict], connection: str, names: Names) -> list[Workflow]:
    """Every image started more than once, newest use first: what operators start again."""
    uses: dict[str, list[dict]] = {}
    for task in tasks:  # the server lists tasks id-descending: the first use seen is the newest
        if task.get("image") and not task.get("parent"):
            uses.setdefault(str(task["image"]), []).append(task)
    return [Workflow(connection=connection, platform="vantage6", id=str(used[0]["id"]), name=short_image(image),
                     kind="image", owner=names.user(link_id(used[0].get("init_user"))),
                     description=f"{image} · used {len(used)} times, last as “{used[0].get('name') or 'unnamed'}”",
                     updated_at=parse_time(used[0].get("created_at")))
            for image, used in uses.items() if len(used) > 1]
