"""The seeded task history: top-level tasks spread over the last 30 days, created through the same factory as
API tasks (so their runs, subtasks and results follow the same rules), plus two recent ones.

Mix: about 70 % in collaboration 1 (unencrypted, the others share the rest), images average 45 %, crosstab
25 %, glm and kaplan-meier 15 % each, 40 % central methods (which spawn one partial subtask per organisation
once active) and otherwise partial methods at all or 2-3 organisations; 1 in 50 uses a misspelt image
(`non-existing Docker image`), about 1 in 30 is killed by its user a few seconds after creation. Failures
otherwise come from plans.py (the flaky node, occasional data errors). Finally a task created 20 s before
seeding is still running, and one from two hours ago waits (`pending`) at the offline organisation 5.
"""
from __future__ import annotations

import base64
import random
from datetime import datetime, timedelta

from sandbox.vantage6 import rules
from sandbox.vantage6.algorithms import ALGORITHMS, AVERAGE, CROSSTAB, GLM, KAPLAN_MEIER, encode_input
from sandbox.vantage6.engine import Engine
from sandbox.vantage6.factory import NewTask, add_task, spawn_due
from sandbox.vantage6.statuses import is_finished
from sandbox.vantage6.world import Task, User, World

KWARGS = {
    AVERAGE: ("average-{col}", "Federated mean of {col}", [{"column_name": c} for c in ("age", "bmi", "systolic_bp")]),
    GLM: ("glm-stage", "Logistic regression of stage on age and treatment",
          [{"outcome_variable": "stage", "predictor_variables": ["age", "treatment"], "family": "binomial"}]),
    KAPLAN_MEIER: ("km-survival", "Kaplan-Meier survival curve",
                   [{"time_column_name": "survival_days", "censor_column_name": "censor"}]),
    CROSSTAB: ("crosstab-smoking", "Smoking status by sex", [{"results_col": "smoker", "group_cols": ["sex"]}]),
}
IMAGE_WEIGHTS = ((AVERAGE, 45), (CROSSTAB, 25), (GLM, 15), (KAPLAN_MEIER, 15))
MISSPELT = "harbor2.vantage6.ai/demo/averag"


def _creators(world: World) -> dict[int, list[User]]:
    """Users who may create tasks in each collaboration (a task create rule and membership)."""
    found: dict[int, list[User]] = {}
    for collab in world.collaborations.values():
        found[collab.id] = [u for u in world.users.values() if u.organization_id in collab.organization_ids and
                            rules.grant(world, u, "task", "CREATE").any]
    return found


def _spec(world: World, rng: random.Random, collab_id: int, user: User, image: str | None = None,
          orgs: list[int] | None = None, central: bool | None = None) -> NewTask:
    collab = world.collaborations[collab_id]
    image = image or rng.choices([i for i, _ in IMAGE_WEIGHTS], [w for _, w in IMAGE_WEIGHTS])[0]
    name_t, desc_t, options = KWARGS[image]
    kwargs = dict(rng.choice(options))
    column = str(kwargs.get("column_name", ""))
    name, description = name_t.format(col=column), desc_t.format(col=column)
    algorithm = ALGORITHMS[image]
    members = [o for o in collab.organization_ids if world.node_for(o, collab_id)]
    if rng.random() < 0.02:
        image = MISSPELT
    central = (rng.random() < 0.4) if central is None else central
    if collab.encrypted:
        targets = orgs or (list(members) if rng.random() < 0.6 else sorted(rng.sample(members, 2)))
        inputs = [(o, base64.b64encode(b"\x80\xfe" + rng.randbytes(40)).decode()) for o in targets]
    elif central and orgs is None:
        inputs = [(user.organization_id, encode_input(algorithm.central, [], kwargs))]
    else:
        targets = orgs or (list(members) if rng.random() < 0.6 else sorted(rng.sample(members, min(len(members),
                                                                                            rng.randint(2, 3)))))
        inputs = [(o, encode_input(algorithm.partial, [], kwargs)) for o in targets]
    return NewTask(name, description, image, collab_id, user.organization_id, user.id, inputs)


def _kill(world: World, task: Task, at: datetime) -> None:
    engine = Engine(world, at)
    for run_id in task.run_ids:
        run = world.runs[run_id]
        if not is_finished(engine.state(run).status):
            run.killed_at = at


def build_history(world: World, rng: random.Random, count: int, now: datetime) -> None:
    """`count` top-level tasks over the last 30 days (plus their subtasks), then the two recent ones."""
    creators = _creators(world)
    collab_ids = list(world.collaborations)
    weights = [70, 20] + [10 / max(1, len(collab_ids) - 2)] * (len(collab_ids) - 2)
    start, span = now - timedelta(days=30), timedelta(days=30) - timedelta(hours=3)
    for index in range(count):
        created = start + span * (index / count) + timedelta(seconds=rng.randint(0, 3000),
                                                              microseconds=rng.randint(0, 999999))
        spawn_due(world, created)
        collab_id = rng.choices(collab_ids, weights)[0]
        task = add_task(world, _spec(world, rng, collab_id, rng.choice(creators[collab_id])), created)
        if rng.random() < 0.033:
            _kill(world, task, created + timedelta(seconds=rng.uniform(3, 6)))
    service = world.users[world.service_user_id]
    add_task(world, _spec(world, rng, 1, service, AVERAGE, [2, 5], False), now - timedelta(hours=2))
    add_task(world, _spec(world, rng, 1, service, KAPLAN_MEIER, [2, 3], False), now - timedelta(seconds=20))
    spawn_due(world, now)
