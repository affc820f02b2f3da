"""Parameter sweeps: one workflow run once per value of one variable, then a metric of each run's results
charted against the value (the reference's hyperparameter notebook, n_trees 5..75, from the browser)."""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from flask_login import current_user

from app.audit import record_action
from app.concurrency import parallel_map
from app.errors import NotFound, PlatformError
from app.extensions import db
from app.models import RunRecord, Sweep
from app.platforms.records import Run, Workflow
from app.platforms.starting import start_recorded_run
from app.platforms.teamstudio.results import metrics

VALUES_MIN, VALUES_MAX, VALUE_LENGTH = 2, 12, 100
SWEEP_ID = re.compile(r"^[0-9a-f]{32}$")


def parse_values(text: str) -> tuple[list[str], str]:
    """The values of a sweep from "5, 10, 25" (commas or new lines), and what is wrong with them ("" if fine)."""
    values = [v.strip() for v in re.split(r"[,\n]", text or "") if v.strip()]
    if len(values) < VALUES_MIN:
        return values, f"Give at least {VALUES_MIN} values, separated by commas."
    if len(values) > VALUES_MAX:
        return values, f"At most {VALUES_MAX} values: each one starts a run."
    if len(set(values)) != len(values):
        return values, "Each value once: a repeated value would run the same thing twice."
    if any(len(v) > VALUE_LENGTH for v in values):
        return values, f"Each value at most {VALUE_LENGTH} characters."
    return values, ""


@dataclass
class SweepPoint:
    """One value of the sweep, its run (None if it did not start), and its results' numbers once it ended."""

    value: str
    run_id: str | None
    run: Run | None = None
    problem: str = ""
    numbers: dict[str, float] = field(default_factory=dict)


@dataclass
class SweepView:
    """A sweep read back: its points in the order given, and the metrics its finished runs share."""

    sweep: Sweep
    values: list[str]
    points: list[SweepPoint]

    @property
    def waiting(self) -> int:
        """Runs that have not ended yet (a run we cannot read counts as ended: waiting would never end)."""
        return sum(1 for p in self.points if p.run is not None and not p.run.status.is_final)

    @property
    def metric_names(self) -> list[str]:
        """Every metric some finished run reported, those that vary across values first, in results order."""
        names: dict[str, None] = {}
        for point in self.points:
            names.update(dict.fromkeys(point.numbers))
        return sorted(names, key=lambda n: not self._varies(n))

    def _varies(self, name: str) -> bool:
        return len({p.numbers[name] for p in self.points if name in p.numbers}) > 1

    def chart(self, metric: str) -> dict[str, Any] | None:
        """A line chart of `metric` against the value; None when no finished run reported it."""
        pairs = [(p.value, p.numbers.get(metric)) for p in self.points]
        if all(number is None for _, number in pairs):
            return None
        if all(_is_number(v) for v, _ in pairs):
            pairs.sort(key=lambda pair: float(pair[0]))
        return {"type": "line",
                "data": {"labels": [v for v, _ in pairs],
                         "datasets": [{"label": metric.split(" › ")[-1], "data": [n for _, n in pairs],
                                       "spanGaps": True, "tension": 0}]},
                "options": {"scales": {"x": {"title": {"display": True, "text": self.sweep.variable}},
                                       "y": {"title": {"display": True, "text": metric.split(" › ")[-1]}}}}}


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def start_sweep(svc: Any, workflow: Workflow, variable: str, values: list[str], sweep_id: str) -> tuple[Sweep, list[str]]:
    """Keep the sweep, then start one run per value (the other variables keep their defaults); returns the
    sweep and a line per value that did not start. Audited as `sweep_start` and one `run_start` per run."""
    sweep = Sweep(id=sweep_id, connection=svc.name, platform=svc.platform, workflow_id=workflow.id,
                  workflow_name=workflow.name[:255], variable=variable, values=json.dumps(values),
                  username=current_user.username)
    db.session.add(sweep)
    db.session.commit()  # the id is the form's execution id: a second submit finds this sweep
    problems = []
    for index, value in enumerate(values):
        started = start_recorded_run(svc, workflow, {variable: value}, {}, f"{sweep_id}-{index}", sweep_id=sweep_id,
                                     audit_extra={"sweep": sweep_id})
        if started.error is not None:
            problems.append(f"{variable} = {value}: {started.error.describe()}"
                            + (" (it may have started)" if started.ambiguous else ""))
    record_action("sweep_start", outcome="ok" if not problems else "failed", connection=svc.name,
                  platform=svc.platform, object_type="workflow", object_id=workflow.id,
                  params={"name": workflow.name, "variable": variable, "values": values, "sweep": sweep_id},
                  error="; ".join(problems) or None)
    return sweep, problems


def find_sweep(connection: str, sweep_id: str) -> Sweep:
    """The sweep of this connection; NotFound for any other id."""
    sweep = db.session.get(Sweep, sweep_id) if SWEEP_ID.match(sweep_id) else None
    if sweep is None or sweep.connection != connection:
        raise NotFound(connection, f"no sweep {sweep_id!r}")
    return sweep


def recent_sweeps(connection: str) -> list[Sweep]:
    return list(db.session.execute(db.select(Sweep).filter_by(connection=connection)
                                   .order_by(Sweep.created_at.desc()).limit(500)).scalars())


def read_sweep(svc: Any, sweep: Sweep) -> SweepView:
    """Each value's run as the platform reports it now, with the numbers of its results once it ended."""
    values = sweep.value_list
    records = {r.execution_id: r for r in db.session.execute(
        db.select(RunRecord).filter_by(sweep_id=sweep.id)).scalars()}
    points = [SweepPoint(value, (records.get(f"{sweep.id}-{i}") or RunRecord()).run_id) for i, value in enumerate(values)]

    def fill(point: SweepPoint) -> SweepPoint:
        if point.run_id is None:
            point.problem = "not started"
            return point
        try:
            point.run = svc.run(point.run_id)
            if point.run.status.is_final:
                point.numbers = metrics(svc.results(point.run_id)[1])
        except NotFound as error:
            point.problem = error.message
        except PlatformError as error:
            point.problem = error.describe()
        return point
    return SweepView(sweep, values, parallel_map(fill, points))
