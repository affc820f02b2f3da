"""The demo algorithms the emulated nodes "run": their images, methods, durations, results and logs.

Each image has a partial method (runs at every organisation on its own data) and a central one (spawns
partial subtasks, then aggregates their results). A partial result depends only on the seed, the
organisation, the image and the kwargs, as a real node's data would; central results are computed from
the partial ones, so `central_average` really is the pooled mean of the `partial_average` sums and counts.
"""
from __future__ import annotations

import base64
import binascii
import json
import random
from dataclasses import dataclass
from typing import Any, Callable

HARBOR = "harbor2.vantage6.ai/demo"


@dataclass(frozen=True, slots=True)
class Algorithm:
    """A demo image: seconds its partial method is active on a normal-speed node, and its two methods."""

    image: str
    active_s: float
    partial: str
    central: str
    columns: tuple[str, ...]


ALGORITHMS = {a.image: a for a in (
    Algorithm(f"{HARBOR}/average", 8.0, "partial_average", "central_average", ("age", "bmi", "systolic_bp")),
    Algorithm(f"{HARBOR}/glm", 20.0, "partial_glm", "central_glm", ("age", "stage", "treatment")),
    Algorithm(f"{HARBOR}/kaplan-meier", 15.0, "partial_kaplan_meier", "central_kaplan_meier", ("survival_days",)),
    Algorithm(f"{HARBOR}/crosstab", 10.0, "partial_crosstab", "central_crosstab", ("sex", "smoker")),
)}
AVERAGE, GLM, KAPLAN_MEIER, CROSSTAB = (f"{HARBOR}/{name}" for name in ("average", "glm", "kaplan-meier", "crosstab"))


def encode_input(method: str, args: list | None = None, kwargs: dict | None = None) -> str:
    """The base64 input the Python client sends: JSON {"method", "args", "kwargs"}."""
    payload = {"method": method, "args": args or [], "kwargs": kwargs or {}}
    return base64.b64encode(json.dumps(payload).encode()).decode()


def decode_input(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """(payload, None) for base64 JSON of an object, else (None, the reason a node would log)."""
    try:
        payload = json.loads(base64.b64decode(text, validate=True).decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        return None, f"input is not base64-encoded JSON ({exc})"
    if not isinstance(payload, dict):
        return None, "input JSON is not an object"
    return payload, None


def encode_result(value: Any) -> str | None:
    """A result as the server stores it: base64 of its JSON (bytes stay opaque, as encrypted ones are)."""
    if value is None:
        return None
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.b64encode(raw).decode()


def _rng(seed: int, org_id: int, image: str, kwargs: dict[str, Any]) -> random.Random:
    return random.Random(f"{seed}:data:{org_id}:{image}:{json.dumps(kwargs, sort_keys=True, default=str)}")


def _partial_average(rng: random.Random) -> dict[str, Any]:
    count = rng.randint(40, 400)
    return {"sum": round(rng.uniform(45, 70) * count), "count": count}


def _partial_glm(rng: random.Random) -> dict[str, Any]:
    nobs = rng.randint(80, 600)
    return {"nobs": nobs, "deviance": round(rng.uniform(0.6, 1.4) * nobs, 3),
            "beta_contribution": [round(rng.uniform(-2, -1) * nobs / 100, 4), round(rng.uniform(0.01, 0.05) * nobs / 100, 4)]}


def _partial_km(rng: random.Random) -> dict[str, Any]:
    at_risk, table = rng.randint(60, 300), []
    for time in (30, 90, 180, 365, 730):
        events = rng.randint(0, max(1, at_risk // 6))
        table.append({"time": time, "at_risk": at_risk, "observed": events})
        at_risk -= events + rng.randint(0, 5)
    return {"event_table": table}


def _partial_crosstab(rng: random.Random) -> dict[str, Any]:
    return {"counts": {sex: {"yes": rng.randint(5, 80), "no": rng.randint(20, 200)} for sex in ("F", "M")}}


PARTIALS: dict[str, Callable[[random.Random], dict[str, Any]]] = {
    AVERAGE: _partial_average, GLM: _partial_glm, KAPLAN_MEIER: _partial_km, CROSSTAB: _partial_crosstab}


def partial_result(seed: int, org_id: int, image: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The partial method's result at one organisation."""
    return PARTIALS[image](_rng(seed, org_id, image, kwargs))


def central_result(image: str, partials: list[dict[str, Any]]) -> dict[str, Any]:
    """The central method's aggregate of its subtasks' partial results."""
    if image == AVERAGE:
        total, count = sum(p["sum"] for p in partials), sum(p["count"] for p in partials)
        return {"average": round(total / count, 4) if count else None, "count": count}
    if image == GLM:
        nobs = sum(p["nobs"] for p in partials)
        beta = [round(sum(p["beta_contribution"][i] for p in partials) * 100 / max(nobs, 1), 4) for i in (0, 1)]
        return {"coefficients": {"Intercept": beta[0], "age": beta[1]}, "nobs": nobs,
                "deviance": round(sum(p["deviance"] for p in partials), 3), "iterations": 4}
    if image == KAPLAN_MEIER:
        survival, curve = 1.0, []
        for row in range(5):
            at_risk = sum(p["event_table"][row]["at_risk"] for p in partials)
            observed = sum(p["event_table"][row]["observed"] for p in partials)
            survival *= 1 - observed / at_risk if at_risk else 1
            curve.append({"time": partials[0]["event_table"][row]["time"], "survival_probability": round(survival, 4)})
        return {"survival": curve}
    counts: dict[str, dict[str, int]] = {}
    for part in partials:
        for sex, row in part["counts"].items():
            for answer, n in row.items():
                counts.setdefault(sex, {}).setdefault(answer, 0)
                counts[sex][answer] += n
    return {"crosstab": counts}


def success_log(method: str, image: str, result: Any) -> str:
    """What a completed run's log says."""
    lines = [f"info > Pulling image {image}", f"info > Running method '{method}'",
             "info > Reading database 'default' (csv)"]
    if isinstance(result, dict) and "count" in result:
        lines.append(f"info > Aggregated {result['count']} rows")
    lines.append("info > Algorithm finished successfully")
    return "\n".join(lines) + "\n"
