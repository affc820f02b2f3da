"""Validation of the values a person types for a workflow's parameters."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
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


def submitted_values(parameters: tuple[Parameter, ...], form: Any, prefix: str, posted: bool,
                     remembered: dict[str, str] | None = None) -> dict[str, str]:
    """The values of a run form: on first show the values last used for this workflow where there are some,
    else the defaults; what was sent after a POST.

    A check box that is not ticked is not sent at all, so after a POST its absence means "False".
    """
    values: dict[str, str] = {}
    for param in parameters:
        field = f"{prefix}-{param.name}"
        if param.data_type == "boolean" and posted:
            values[param.name] = "True" if "True" in form.getlist(field) else "False"
        else:
            values[param.name] = form.get(field, param.default) if posted else (remembered or {}).get(
                param.name, param.default)
    return values


# --- variables typed as name/value pairs (Team Studio's `@name` = value) ----------------------------------
VARIABLE_NAME = re.compile(r"^@[A-Za-z_][A-Za-z0-9_.]{0,99}$")
PAIR_ROWS_MAX = 40  # more rows than any workflow declares variables; the rest of a forged form is ignored
SPARE_ROWS = 2  # empty rows under the filled ones, for a variable the form does not list yet


@dataclass
class VariableRow:
    """One name/value row of a run form, with what is wrong with it (empty when fine)."""

    name: str = ""
    value: str = ""
    error: str = ""

    @property
    def blank(self) -> bool:
        return not self.name.strip() and not self.value.strip()


def initial_rows(parameters: tuple[Parameter, ...], remembered: dict[str, str] | None) -> list[VariableRow]:
    """The rows a run form opens with: the values last used for this workflow where there are some (the
    variables it still declares), else every declared variable with its default; then spare empty rows."""
    declared = {p.name for p in parameters}
    if remembered:
        rows = [VariableRow(name, value) for name, value in remembered.items() if name in declared]
    else:
        rows = [VariableRow(p.name, p.default) for p in parameters]
    return rows + [VariableRow() for _ in range(SPARE_ROWS)]


def submitted_rows(form: Any, prefix: str) -> list[VariableRow]:
    """The rows a run form sent, in order: fields `<prefix>-name-<n>` and `<prefix>-value-<n>`."""
    rows = []
    for index in range(PAIR_ROWS_MAX):
        name, value = form.get(f"{prefix}-name-{index}"), form.get(f"{prefix}-value-{index}")
        if name is None and value is None:
            continue
        rows.append(VariableRow((name or "").strip(), value or ""))
    return rows


def validate_rows(parameters: tuple[Parameter, ...], rows: list[VariableRow]) -> dict[str, str] | None:
    """The {name: value} to run with, or None after marking each bad row with its error.

    A name must look like `@name` and be one the workflow declares (the engine refuses the run otherwise),
    and may be given once; a named row needs a value. Blank rows are skipped: the workflow's default holds.
    """
    declared = [p.name for p in parameters]
    seen: set[str] = set()
    for row in rows:
        if row.blank:
            continue
        if not row.name:
            row.error = "Name the variable, or clear its value."
        elif not VARIABLE_NAME.match(row.name):
            row.error = "A variable name is @ followed by letters, digits or _ (for example @n_trees)."
        elif row.name not in declared:
            row.error = (f"{row.name} is not a variable of this workflow; it has "
                         f"{', '.join(declared)}." if declared else "This workflow declares no variables.")
        elif row.name in seen:
            row.error = f"{row.name} is given twice."
        elif not row.value.strip():
            row.error = "Give a value, or clear the name to keep the workflow's default."
        elif len(row.value) > 1000:
            row.error = "At most 1000 characters."
        seen.add(row.name)
    if any(row.error for row in rows):
        return None
    return {row.name: row.value.strip() for row in rows if not row.blank}
