"""Validation of the values a person types for a workflow's parameters."""
from __future__ import annotations

from datetime import datetime

from app.platforms.records import Parameter


def validate_parameters(parameters: tuple[Parameter, ...], given: dict[str, str]) -> dict[str, str]:
    """Check submitted values against the declared parameters; returns {name: error} (empty when fine)."""
    errors: dict[str, str] = {}
    for param in parameters:
        value = given.get(param.name, "").strip()
        if param.required and not value:
            errors[param.name] = "A value is required."
        elif param.data_type == "number":
            try:
                float(value)
            except ValueError:
                errors[param.name] = "Enter a number."
        elif param.data_type == "date":
            try:
                datetime.strptime(value, "%Y-%m-%d")
            except ValueError:
                errors[param.name] = "Enter a date as YYYY-MM-DD."
        if len(value) > 1000:
            errors[param.name] = "At most 1000 characters."
    return errors
