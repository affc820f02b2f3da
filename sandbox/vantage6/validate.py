"""Request-body schemas as marshmallow would check them (vantage6's input_schema.py), in one place.

A failure is 400 `{"msg": "Request body is incorrect", "errors": {field: [messages]}}` with marshmallow's
wording; unknown fields are refused ("Unknown field.", marshmallow's default RAISE); a rule over several
fields reports under `_schema`.
"""
from __future__ import annotations

from typing import Any, Callable

from sandbox.vantage6.errors import invalid_body

MISSING, NOT_STR, NOT_INT, NOT_LIST = ("Missing data for required field.", "Not a valid string.",
                                       "Not a valid integer.", "Not a valid list.")
Field = Callable[[Any], str | dict | None]  # returns an error (message or nested errors) or None


def string(min_len: int = 0, max_len: int | None = None) -> Field:
    """A string field with length bounds."""
    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return NOT_STR
        if len(value) < min_len:
            return f"Shorter than minimum length {min_len}."
        if max_len is not None and len(value) > max_len:
            return f"Longer than maximum length {max_len}."
        return None
    return check


def integer(value: Any) -> str | None:
    """An integer field (a JSON bool is not one)."""
    return None if isinstance(value, int) and not isinstance(value, bool) else NOT_INT


def code(value: Any) -> str | None:
    """The MFA code: a string or a number."""
    return None if isinstance(value, (str, int)) and not isinstance(value, bool) else NOT_STR


def list_of(item: Field, min_len: int = 0) -> Field:
    """A list whose items pass `item`; errors are keyed by index as marshmallow nests them."""
    def check(value: Any) -> str | dict | None:
        if not isinstance(value, list):
            return NOT_LIST
        if len(value) < min_len:
            return f"Shorter than minimum length {min_len}."
        nested = {str(i): [e] if isinstance(e, str) else e for i, v in enumerate(value) if (e := item(v))}
        return nested or None
    return check


def organization(value: Any) -> str | dict | None:
    """One `organizations` entry: `{"id": int, "input"?: str}` (v5 may say `arguments`)."""
    if not isinstance(value, dict):
        return "Not a valid mapping type."
    errors = {}
    if "id" not in value:
        errors["id"] = [MISSING]
    elif integer(value["id"]):
        errors["id"] = [NOT_INT]
    for key in ("input", "arguments"):
        if key in value and not isinstance(value[key], str):
            errors[key] = [NOT_STR]
    return errors or None


def database(value: Any) -> str | dict | None:
    """One database entry: an object with a string `label`."""
    if not isinstance(value, dict):
        return "Not a valid mapping type."
    if not isinstance(value.get("label"), str) or not value["label"]:
        return {"label": [MISSING if "label" not in value else NOT_STR]}
    return None


def check(body: Any, fields: dict[str, Field], required: tuple[str, ...]) -> dict[str, Any]:
    """The body if it passes, else the 400 with every field's errors."""
    if not isinstance(body, dict):
        raise invalid_body({"_schema": ["Invalid input type."]})
    errors: dict[str, Any] = {}
    for name in required:
        if name not in body:
            errors[name] = [MISSING]
    for name, value in body.items():
        if name not in fields:
            errors[name] = ["Unknown field."]
        elif value is not None and (problem := fields[name](value)):
            errors[name] = [problem] if isinstance(problem, str) else problem
    if errors:
        raise invalid_body(errors)
    return body


LOGIN = {"username": string(1), "password": string(1), "mfa_code": code}
KILL = {"id": integer}
TASK_V4: dict[str, Field] = {
    "name": string(), "description": string(max_len=1024), "image": string(1), "collaboration_id": integer,
    "study_id": integer, "store_id": integer, "server_url": string(1), "organizations": list_of(organization, 1),
    "databases": list_of(database)}
TASK_V5: dict[str, Field] = {
    **TASK_V4, "method": string(1), "session_id": integer, "action": string(1), "dataframe_id": integer,
    "depends_on_ids": list_of(integer), "databases": list_of(list_of(database))}


def task_body(body: Any, v5: bool) -> dict[str, Any]:
    """A task create body: the field checks, then exactly one of collaboration_id and study_id."""
    fields, required = (TASK_V5, ("image", "organizations", "method", "session_id")) if v5 else \
        (TASK_V4, ("image", "organizations"))
    checked = check(body, fields, required)
    if ("collaboration_id" in checked) == ("study_id" in checked):
        raise invalid_body({"_schema": ["Exactly one of collaboration_id and study_id should be set"]})
    return checked
