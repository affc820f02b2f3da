"""Validation of the values a person types for a workflow's parameters."""
from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from app.platforms.records import Parameter


def validate_parameters(parameters: tuple[Parameter, ...], given: dict[str, str]) -> dict[str, str]:
    """Check submitted values against the declared parameters; returns {name: error} (empty when fine)."""
    errors: dict[str, str] = {}
    for param in parameters:
        value = given.get(param.name, "").strip()
        if param.required and not value:
            errors[param.name] = "A value is required."
        elif not value:
            continue
        elif param.data_type == "number":
            try:
                if not math.isfinite(float(value)):
                    raise ValueError(value)
            except ValueError:
                errors[param.name] = "Enter a number."
        elif param.data_type == "date":
            try:
                datetime.strptime(value, "%Y-%m-%d")
            except ValueError:
                errors[param.name] = "Enter a date as YYYY-MM-DD."
        elif param.data_type == "boolean" and value not in ("True", "False"):
            errors[param.name] = "Tick the box or leave it empty."
        elif param.data_type == "select" and value not in {choice for choice, _ in param.choices}:
            errors[param.name] = "Choose one of the listed values."
        if len(value) > 1000:
            errors[param.name] = "At most 1000 characters."
    return errors


def submitted_values(parameters: tuple[Parameter, ...], form: Any, prefix: str, posted: bool) -> dict[str, str]:
    """The values of a run form: defaults on first show, what was sent after a POST.

    A check box that is not ticked is not sent at all, so after a POST its absence means "False".
    """
    values: dict[str, str] = {}
    for param in parameters:
        field = f"{prefix}-{param.name}"
        if param.data_type == "boolean" and posted:
            values[param.name] = "True" if "True" in form.getlist(field) else "False"
        else:
            values[param.name] = form.get(field, param.default) if posted else param.default
    return values
