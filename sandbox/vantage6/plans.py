"""How a new run will go, decided once when it is created: phase durations and its outcome.

Durations: pending until the node takes it (2 s; for ever while the node is offline), initializing 3 s
times the node's speed, active the image's time times the node's speed with +-20 % per run. Outcomes,
in order: an image that is not one of the demo images -> `non-existing Docker image`; an encrypted
collaboration -> completed with an opaque result; undecodable input, no method or an unknown method ->
`failed`; the flaky node (since its `flaky_since`) crashes on glm and fails on kaplan-meier; historic runs
fail now and then (1 in 20) with a data error; otherwise completed with the method's result.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sandbox.common.ids import run_rng
from sandbox.vantage6 import statuses as st
from sandbox.vantage6.algorithms import ALGORITHMS, GLM, KAPLAN_MEIER, decode_input, partial_result, success_log
from sandbox.vantage6.world import Node, Outcome

PENDING_S, INIT_S, CENTRAL_S = 2.0, 3.0, 4.0
FLAKY = {
    GLM: (st.CRASHED, "info > Running method '{method}'\nerror > Container exited with code 137: out of memory "
                      "(OOMKilled); the node's Docker memory limit is 2 GiB\n"),
    KAPLAN_MEIER: (st.FAILED, "info > Running method '{method}'\nerror > Traceback (most recent call last):\n"
                              "error >   File \"/app/algorithm.py\", line 41, in partial_kaplan_meier\n"
                              "error > KeyError: 'survival_days' (column not found in database 'default')\n"),
}
HISTORIC_FAILURE = ("info > Running method '{method}'\nerror > ValueError: could not convert string to float: "
                    "'n/a' (column contains non-numeric values)\n")


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything engine.py needs to know about a run besides its times."""

    pending_s: float
    init_s: float
    active_s: float
    outcome: Outcome
    central: bool = False


def plan_run(seed: int, run_id: int, image: str, method: str, input_text: str, node: Node, encrypted: bool,
             created_at: datetime, historic: bool) -> Plan:
    """The run's fate, from the seed and its own facts only (so a seed replays the same world)."""
    rng = run_rng(seed, "v6run", run_id)
    speed, jitter = node.speed, rng.uniform(0.8, 1.2)
    algorithm = ALGORITHMS.get(image)
    if algorithm is None:
        log = f"error > Docker image {image} could not be pulled: repository does not exist or may require login\n"
        return Plan(PENDING_S, INIT_S * speed, 0.0, Outcome(st.NO_IMAGE, log))
    active = algorithm.active_s * speed * jitter
    if encrypted:
        log = "info > Decrypting input\ninfo > Algorithm finished successfully\ninfo > Encrypting result\n"
        return Plan(PENDING_S, INIT_S * speed, active, Outcome(st.COMPLETED, log, b"\x80\xfe" + rng.randbytes(46)))
    payload, problem = decode_input(input_text) if input_text else ({}, None)
    method = method or str((payload or {}).get("method") or "")
    failure = None
    if payload is None:
        failure = (st.FAILED, f"error > Could not read the algorithm input: {problem}\n")
    elif not method:
        failure = (st.FAILED, "error > No method given in the algorithm input\n")
    elif method not in (algorithm.partial, algorithm.central):
        failure = (st.FAILED, f"error > Method '{method}' not found in algorithm {image}\n")
    elif node.flaky_since is not None and created_at >= node.flaky_since and image in FLAKY:
        status, template = FLAKY[image]
        failure = (status, template.format(method=method))
    elif historic and rng.random() < 0.05:
        failure = (st.FAILED, HISTORIC_FAILURE.format(method=method))
    if failure:
        return Plan(PENDING_S, INIT_S * speed, active * 0.4, Outcome(failure[0], failure[1]))
    if method == algorithm.central:
        return Plan(PENDING_S, INIT_S * speed, CENTRAL_S * speed, Outcome(st.COMPLETED, ""), central=True)
    kwargs = payload.get("kwargs") if isinstance(payload.get("kwargs"), dict) else {}
    result = partial_result(seed, node.organization_id, image, kwargs)
    return Plan(PENDING_S, INIT_S * speed, active, Outcome(st.COMPLETED, success_log(method, image, result), result))
