"""Checking a job request: question answers against the workflow's questions, and priorities in v1 and v3 form."""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from sandbox.server.errors import BadRequest
from sandbox.server.world import LIST_TYPES, PRIORITIES, Question

DATE_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# v1 sends priority as "0".."3" (low..critical); v3 names it. Default is the low lane.
V1_PRIORITIES = {"0": "Default", "1": "Medium", "2": "High", "3": "Critical"}
V1_CODES = {"Default": "0", "Low": "0", "Medium": "1", "High": "2", "Critical": "3"}


def _as_text(value: Any) -> str:
    """Answers are strings on the wire; a JSON bool or number is read as its Server spelling."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if value is None:
        return ""
    return str(value)


def check_answer(question: Question, value: str) -> None:
    """BadRequest naming the question when value does not fit its type."""
    kind, name = question.type, question.name
    if kind in LIST_TYPES:
        allowed = [item_value for _key, item_value in question.items]
        if value not in allowed:
            raise BadRequest(f"Invalid value '{value}' for question '{name}': expected one of {', '.join(allowed)}.")
    elif kind == "QuestionNumericUpDown":
        try:
            float(value)
        except ValueError:
            raise BadRequest(f"Invalid value '{value}' for question '{name}': expected a number.") from None
    elif kind == "QuestionDate":
        try:
            if not DATE_FORMAT.match(value):
                raise ValueError(value)
            date.fromisoformat(value)
        except ValueError:
            raise BadRequest(f"Invalid value '{value}' for question '{name}': expected a date as YYYY-MM-DD.") from None
    elif kind == "QuestionCheckBox" and value not in ("True", "False"):
        raise BadRequest(f"Invalid value '{value}' for question '{name}': expected \"True\" or \"False\".")


def answers(questions: list[Question], given: Any) -> list[dict[str, str]]:
    """The checked answers as [{name, value}] strings, defaults filled in for questions not answered."""
    if given is None:
        given = []
    if not isinstance(given, list) or not all(isinstance(q, dict) and "name" in q for q in given):
        raise BadRequest("questions must be a list of {\"name\", \"value\"} objects.")
    known = {q.name: q for q in questions}
    chosen: dict[str, str] = {}
    for answer in given:
        name = str(answer["name"])
        if name not in known:
            listed = ", ".join(known) or "none"
            raise BadRequest(f"Unknown question '{name}'; this workflow's questions are: {listed}.")
        value = _as_text(answer.get("value"))
        check_answer(known[name], value)
        chosen[name] = value
    return [{"name": q.name, "value": chosen.get(q.name, q.value)} for q in questions]


def v1_priority(raw: Any) -> str:
    """A v1 priority ("0".."3", default "0") as its v3 name."""
    code = "0" if raw is None or raw == "" else _as_text(raw)
    if code not in V1_PRIORITIES:
        raise BadRequest(f"Invalid priority '{code}': expected \"0\", \"1\", \"2\" or \"3\".")
    return V1_PRIORITIES[code]


def v3_priority(raw: Any) -> str:
    """A v3 priority name (default Default)."""
    if raw is None or raw == "":
        return "Default"
    if raw not in PRIORITIES:
        raise BadRequest(f"Invalid priority '{raw}': expected one of {', '.join(PRIORITIES)}.")
    return str(raw)
