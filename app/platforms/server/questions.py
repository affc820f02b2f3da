"""An analytic app's questions (its interface tools) as form parameters, and the answers as the API wants them."""
from __future__ import annotations

from typing import Any

from app.platforms.records import Parameter

# Interface tool -> form field. Anything not listed (file browse, map, tree) is answered as text.
QUESTION_TYPES = {
    "QuestionTextBox": "string",
    "QuestionNumericUpDown": "number",
    "QuestionDate": "date",
    "QuestionListBox": "select",
    "QuestionDropDown": "select",
    "QuestionRadioButton": "boolean",
    "QuestionCheckBox": "boolean",
    "QuestionBooleanGroup": "boolean",
}
V3_PRIORITIES = (("Default", "Default"), ("Low", "Low"), ("Medium", "Medium"), ("High", "High"),
                 ("Critical", "Critical"))
V1_PRIORITIES = {"Low": "0", "Medium": "1", "High": "2", "Critical": "3"}  # the v1 API takes codes "0".."3"


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes")


def _boolean(value: Any) -> str:
    return "True" if _truthy(value) else "False"


def question_to_parameter(raw: dict[str, Any]) -> Parameter:
    """One question of v1 (`type`, `multiple` as "False") or v3 (`questionType`, `multiple` as bool)."""
    kind = str(raw.get("questionType") or raw.get("type") or "")
    data_type = QUESTION_TYPES.get(kind, "string")
    items = raw.get("items") if isinstance(raw.get("items"), list) else []
    choices = tuple((str(item.get("value", item.get("key", ""))), str(item.get("key", item.get("value", ""))))
                    for item in items if isinstance(item, dict))
    if data_type == "select" and (_truthy(raw.get("multiple")) or not choices):
        data_type = "string"  # a multi-select list is answered as its values joined by commas
    default = "" if raw.get("value") is None else str(raw.get("value"))
    if data_type == "boolean":
        default = _boolean(default)
    name = str(raw.get("name") or "")
    description = str(raw.get("description") or "")
    return Parameter(
        name=name, data_type=data_type, default=default,
        required=data_type in ("number", "date", "select"),
        choices=choices if data_type == "select" else (), label=description or name, description="")


def answers(parameters: tuple[Parameter, ...], values: dict[str, str]) -> list[dict[str, str]]:
    """The job's `questions` body: every answer a string, check boxes as "True"/"False"."""
    result = []
    for param in parameters:
        value = values.get(param.name, param.default)
        result.append({"name": param.name, "value": _boolean(value) if param.data_type == "boolean" else value})
    return result


def priority_option(default: str = "Default", *, v1: bool = False) -> Parameter:
    """The run's priority as a run setting; v1 has no "Default" (it is Low there)."""
    choices = tuple(c for c in V3_PRIORITIES if not (v1 and c[0] == "Default"))
    return Parameter(name="priority", data_type="select", default="Low" if v1 else default, required=True,
                     choices=choices, label="Priority")
