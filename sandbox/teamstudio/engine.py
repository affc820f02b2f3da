"""The Alpine engine's runs: variables checked, operators planned one after another, state read off the clock.

Nothing runs in the background. A process is a start time plus a plan (each operator's offset and
duration, and where it fails, if it does); its state at any instant is computed from the emulator clock,
so advancing /_sandbox/clock moves every run along, and a stop simply records when it happened.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from sandbox.teamstudio.errors import BadRequest, Unprocessable
from sandbox.teamstudio.flows import FOREST_SECONDS_PER_TREE
from sandbox.teamstudio.world import Process, Step, Variable, Workfile

STARTUP_SECONDS = 2.0  # "STARTED" before the first operator starts
EDGE_SECONDS = 1.0  # NODE_STARTED for the first second of an operator, NODE_FINISHED for its last
FAIL_SHARE = 0.6  # a failing operator fails after this share of its duration
KIND_RULES = {"int": "a positive integer", "float": "a number", "text": "any text"}


def requested_variables(body: Any) -> dict[str, str]:
    """{name: value} from a run body's `variables` list; a body without `variables` requests none."""
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise BadRequest("The run body must be a JSON object.")
    items = body.get("variables")
    if items is None:
        return {}
    if not isinstance(items, list) or not all(isinstance(i, dict) and "name" in i and "value" in i for i in items):
        raise BadRequest('variables must be a list of {"name": ..., "value": ...} objects.')
    return {str(item["name"]): str(item["value"]) for item in items}


def resolve_values(workfile: Workfile, requested: dict[str, str]) -> dict[str, str]:
    """Every declared variable's value for this run; a name the workflow does not declare is refused (422)."""
    declared = {v.name: v.default for v in workfile.variables}
    undeclared = [name for name in requested if name not in declared]
    if undeclared:
        names = ", ".join(undeclared)
        raise Unprocessable(f"Workflow variable {names} is not declared in workflow '{workfile.file_name}' "
                            f"({workfile.id}).", {name: "UNDECLARED" for name in undeclared})
    return {**declared, **requested}


def value_problem(variable: Variable, value: str) -> str | None:
    """Why value cannot be used for variable (the run then fails at the operator using it), or None."""
    text = value.strip()
    try:
        ok = (variable.kind == "text" or (variable.kind == "int" and int(text) >= 1)
              or (variable.kind == "float" and float(text) == float(text)))
    except ValueError:
        ok = False
    if ok:
        return None
    return f"Invalid value '{value}' for workflow variable {variable.name}: expected {KIND_RULES[variable.kind]}."


Plan = tuple[tuple[Step, ...], int | None, str]


def plan_run(workfile: Workfile, values: dict[str, str], rng: random.Random) -> Plan:
    """The operators in order with their offsets and durations, cut at the first failing one.

    Durations vary by ±10 % per run; the forest's grows with @n_trees. Answers (steps, fail index, message).
    """
    problems = {}
    for variable in workfile.variables:
        problem = value_problem(variable, values[variable.name])
        if problem:
            problems.setdefault(variable.used_by, problem)
    steps: list[Step] = []
    offset = STARTUP_SECONDS
    for index, operator in enumerate(workfile.operators):
        seconds = operator.seconds
        if operator.kind == "forest" and operator.name not in problems and "@n_trees" in values:
            seconds += FOREST_SECONDS_PER_TREE * int(values["@n_trees"])
        seconds = round(seconds * rng.uniform(0.9, 1.1), 1)
        steps.append(Step(operator.name, operator.kind, offset, seconds))
        message = operator.fails or problems.get(operator.name, "")
        if message:
            return tuple(steps), index, message
        offset += seconds
    return tuple(steps), None, ""


def natural_end(process: Process) -> datetime:
    """When the run ends by itself: its last operator's end, or the failing operator's failure."""
    step = process.steps[-1]
    share = FAIL_SHARE if process.fail_index is not None else 1.0
    return process.started_at + timedelta(seconds=step.offset + step.seconds * share)


def over_at(process: Process) -> datetime:
    """When the process is over: its natural end, or the stop if that came first."""
    end = natural_end(process)
    return min(end, process.stopped_at) if process.stopped_at is not None else end


def final_status(process: Process) -> str:
    """SUCCESS, FAILURE or STOPPED (meaningful once the process is over)."""
    if process.stopped_at is not None and process.stopped_at < natural_end(process):
        return "STOPPED"
    return "FAILURE" if process.fail_index is not None else "SUCCESS"


def state_at(process: Process, now: datetime) -> str | None:
    """STARTED, NODE_STARTED, IN_PROGRESS or NODE_FINISHED while running; None once over."""
    if now >= over_at(process):
        return None
    elapsed = (now - process.started_at).total_seconds()
    if elapsed < STARTUP_SECONDS:
        return "STARTED"
    for step in process.steps:
        if step.offset <= elapsed < step.offset + step.seconds:
            if elapsed - step.offset < EDGE_SECONDS:
                return "NODE_STARTED"
            return "NODE_FINISHED" if step.offset + step.seconds - elapsed <= EDGE_SECONDS else "IN_PROGRESS"
    return "IN_PROGRESS"


def step_end(process: Process, step: Step) -> datetime:
    """When an operator finished (if the process got that far)."""
    return process.started_at + timedelta(seconds=step.offset + step.seconds)


def completed_steps(process: Process) -> list[Step]:
    """Operators that finished successfully before the process was over."""
    end = over_at(process)
    count = len(process.steps) if process.fail_index is None else process.fail_index
    return [s for s in process.steps[:count] if step_end(process, s) <= end]


def stop(process: Process, now: datetime, user_id: int) -> bool:
    """Stop a running process at now; False when it was already over."""
    if now >= over_at(process):
        return False
    process.stopped_at = now
    process.stopped_by = user_id
    return True


def make_process(seed: int, process_id: str, workfile: Workfile, user_id: int, values: dict[str, str],
                 at: datetime, save_result: bool = True, job_id: int | None = None) -> Process:
    """A process of workfile started at `at`; its plan depends only on the seed and the process id."""
    steps, fail_index, message = plan_run(workfile, values, random.Random(f"{seed}:plan:{process_id}"))
    return Process(process_id, workfile.id, user_id, at, dict(values), steps, save_result, fail_index, message,
                   job_id=job_id)
