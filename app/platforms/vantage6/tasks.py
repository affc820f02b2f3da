"""A new vantage6 task as the create form gives it, checked before anything is sent, and the body the server takes.

The form's values travel as the run's parameters (so the execution-id claim, the audit and the remembered
values of app/platforms/starting.py apply): collaboration, organizations (comma-separated ids), image, name,
description, input (the algorithm input as JSON: method, args, kwargs) and databases (comma-separated labels).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from app.platforms.vantage6.normalize import encode_input

IMAGE = re.compile(r"^[a-z0-9][a-z0-9._/:@-]{0,254}$", re.I)
LABEL = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
DESCRIPTION_MAX = 1024  # the server's own limit


@dataclass(frozen=True)
class TaskSpec:
    collaboration_id: int
    organization_ids: tuple[int, ...]
    image: str
    name: str
    description: str
    algorithm_input: dict[str, Any]
    databases: tuple[str, ...]

    @property
    def method(self) -> str:
        return str(self.algorithm_input["method"])


def parse_algorithm_input(text: str) -> tuple[dict[str, Any] | None, str]:
    """The algorithm input from its JSON text, and what is wrong with it ("" when fine): an object with a
    `method` string, `args` a list and `kwargs` an object where given."""
    try:
        value = json.loads(text or "")
    except ValueError as exc:
        return None, f"Not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
    if not isinstance(value, dict):
        return None, 'Give a JSON object, such as {"method": "partial_average", "kwargs": {"column": "age"}}.'
    if not isinstance(value.get("method"), str) or not value["method"].strip():
        return None, "The input needs a \"method\": the algorithm function to run."
    if not isinstance(value.get("args", []), list):
        return None, "\"args\" must be a list."
    if not isinstance(value.get("kwargs", {}), dict):
        return None, "\"kwargs\" must be an object."
    return {"method": value["method"].strip(), "args": value.get("args", []), "kwargs": value.get("kwargs", {})}, ""


def spec_problems(params: dict[str, str], collaborations: dict[int, set[int]]) -> dict[str, str]:
    """{field: what is wrong} for the form's values; `collaborations` maps each collaboration to its
    organisations (an organisation outside the collaboration is refused, as the server would)."""
    problems: dict[str, str] = {}
    collaboration = _int(params.get("collaboration"))
    if collaboration not in collaborations:
        problems["collaboration"] = "Choose one of the collaborations."
    orgs = [_int(o) for o in (params.get("organizations") or "").split(",") if o.strip()]
    if not orgs or any(o is None for o in orgs):
        problems["organizations"] = "Choose at least one organisation."
    elif collaboration in collaborations and not set(orgs) <= collaborations[collaboration]:
        problems["organizations"] = "Only organisations of the chosen collaboration can run its tasks."
    if not IMAGE.match(params.get("image", "").strip()):
        problems["image"] = "Give the algorithm's Docker image, such as harbor2.vantage6.ai/demo/average."
    if len(params.get("name", "")) > 255:
        problems["name"] = "At most 255 characters."
    if len(params.get("description", "")) > DESCRIPTION_MAX:
        problems["description"] = f"At most {DESCRIPTION_MAX} characters."
    _, wrong = parse_algorithm_input(params.get("input", ""))
    if wrong:
        problems["input"] = wrong
    labels = [d.strip() for d in (params.get("databases") or "").split(",") if d.strip()]
    if not labels or not all(LABEL.match(d) for d in labels):
        problems["databases"] = "Give the database labels the nodes know, separated by commas (for example default)."
    return problems


def parse_spec(params: dict[str, str]) -> TaskSpec:
    """The spec of values spec_problems() accepted."""
    algorithm_input, _ = parse_algorithm_input(params["input"])
    assert algorithm_input is not None
    return TaskSpec(
        collaboration_id=int(params["collaboration"]),
        organization_ids=tuple(sorted({int(o) for o in params["organizations"].split(",") if o.strip()})),
        image=params["image"].strip(), name=params.get("name", "").strip(),
        description=params.get("description", "").strip(), algorithm_input=algorithm_input,
        databases=tuple(d.strip() for d in params["databases"].split(",") if d.strip()))


def task_body(spec: TaskSpec, *, v5: bool = False, session_id: int | None = None) -> dict[str, Any]:
    """POST /api/task's body: every organisation gets the same base64 input. Version 5 names the method and
    the session, and takes the databases as a list of lists."""
    encoded = encode_input(spec.algorithm_input)
    body: dict[str, Any] = {
        "collaboration_id": spec.collaboration_id, "image": spec.image, "name": spec.name or spec.method,
        "description": spec.description, "organizations": [{"id": o, "input": encoded} for o in spec.organization_ids],
        "databases": [[{"label": d}] for d in spec.databases] if v5 else [{"label": d} for d in spec.databases]}
    if v5:
        body.update({"method": spec.method, "session_id": session_id})
    return body


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None
