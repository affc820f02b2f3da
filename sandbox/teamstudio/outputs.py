"""One operator's entry of `outputs` in a run's results, shaped as the seed notebooks show them.

`visualType` 0 is a table and 6 a list of sub-outputs (both seen in the seed); 1 for text is assumed.
The forest's accuracy is a fixed function of `@n_trees` and `@max_depth`: it rises quickly with the number
of trees and then flattens, so a sweep over 5, 10, 25, 50, 75 trees charts a real curve.
"""
from __future__ import annotations

import math
import random
from typing import Any

from sandbox.teamstudio.world import Step

VISUAL_TABLE = 0
VISUAL_TEXT = 1
VISUAL_COMPOSITE = 6
MAGIC_COLUMNS = ("fLength", "fWidth", "fSize", "fConc", "fAlpha", "class")
GENERIC_COLUMNS = ("id", "region", "amount", "category")
ROWS = {"magic04.csv": 19020, "Train Set": 15216, "Test Set": 3804}
TEST_ROWS = {"g": 2467, "h": 1337}  # the MAGIC test split by class


def forest_accuracy(n_trees: int, max_depth: int) -> float:
    """Test accuracy of the forest: 0.857 at 5 trees, 0.865 at 10, 0.875 at 25, then flat near 0.8785."""
    return round(0.8785 - 0.0345 * math.exp(-n_trees / 11) - 0.012 * math.exp(-max_depth / 3), 7)


def model_accuracy(values: dict[str, str]) -> float:
    """Accuracy of the non-forest models: best near a 0.45 threshold."""
    try:
        threshold = float(values.get("@threshold", "0.5"))
    except ValueError:
        threshold = 0.5
    return round(0.8125 - 0.2 * (threshold - 0.45) ** 2, 7)


def _table(columns: tuple[str, ...], rng: random.Random, rows: int = 5) -> dict[str, Any]:
    def cell(column: str) -> Any:
        if column == "id":
            return rng.randint(1, 999_999)
        if column == "class":
            return rng.choice("gh")
        if column in ("region", "category"):
            return rng.choice(("EMEA", "APAC", "AMER")) if column == "region" else rng.choice("ABCD")
        return round(rng.uniform(1, 250), 4)

    return {"columns": list(columns), "items": [{c: cell(c) for c in columns} for _ in range(rows)]}


def _columns(step: Step) -> tuple[str, ...]:
    return MAGIC_COLUMNS if step.name in ROWS else GENERIC_COLUMNS


def _forest(values: dict[str, str], rng: random.Random) -> list[dict[str, Any]]:
    """Variable importance, a summary line, and the per-tree table whose first row holds the number of trees."""
    trees, depth = int(values.get("@n_trees", "50")), int(values.get("@max_depth", "10"))
    importance = sorted(((c, round(rng.uniform(0.02, 0.4), 4)) for c in MAGIC_COLUMNS[:-1]), key=lambda p: -p[1])
    per_tree = [
        {"": "Number of Trees", "Average over All Trees": str(trees), "Min": str(trees), "Max": str(trees)},
        {"": "Tree Depth", "Average over All Trees": f"{min(depth, 7 + trees % 5) - 0.5:.1f}",
         "Min": str(max(1, min(depth, 6))), "Max": str(depth)},
        {"": "Number of Leaves", "Average over All Trees": f"{rng.uniform(80, 160):.1f}", "Min": "61", "Max": "212"},
    ]
    return [
        {"out_title": "Variable Importance", "visualType": VISUAL_TABLE,
         "visualData": {"columns": ["Variable", "Importance"],
                        "items": [{"Variable": c, "Importance": v} for c, v in importance]}},
        {"out_title": "Summary", "visualType": VISUAL_TEXT,
         "visualData": f"Alpine Forest with {trees} trees (max depth {depth}) trained on 15216 rows."},
        {"out_title": "Tree Summary", "visualType": VISUAL_TABLE,
         "visualData": {"columns": ["", "Average over All Trees", "Min", "Max"], "items": per_tree}},
    ]


def _confusion(accuracy: float) -> list[dict[str, Any]]:
    """The matrix table (its third row carries "Accuracy: <value>" under Class Recall) and the heat map."""
    total = sum(TEST_ROWS.values())
    wrong = total - round(accuracy * total)
    g_wrong, h_wrong = wrong * 2 // 5, wrong - wrong * 2 // 5
    g_ok, h_ok = TEST_ROWS["g"] - g_wrong, TEST_ROWS["h"] - h_wrong
    items = [
        {"": "g", "Predicted g": g_ok, "Predicted h": g_wrong, "Class Recall": f"{g_ok / TEST_ROWS['g']:.7f}"},
        {"": "h", "Predicted g": h_wrong, "Predicted h": h_ok, "Class Recall": f"{h_ok / TEST_ROWS['h']:.7f}"},
        {"": "Class Precision", "Predicted g": f"{g_ok / (g_ok + h_wrong):.7f}",
         "Predicted h": f"{h_ok / (h_ok + g_wrong):.7f}", "Class Recall": f"Accuracy: {accuracy:.7f}"},
    ]
    heat = {"accuracy": accuracy, "classes": ["g", "h"], "matrix": [[g_ok, g_wrong], [h_wrong, h_ok]]}
    return [
        {"out_title": "Confusion Matrix", "visualType": VISUAL_TABLE,
         "visualData": {"columns": ["", "Predicted g", "Predicted h", "Class Recall"], "items": items}},
        {"out_title": "Heat Map", "visualType": VISUAL_TABLE, "visualData": {"heatMapTable": heat}},
    ]


def visual(step: Step, values: dict[str, str], rng: random.Random) -> tuple[int, Any]:
    """(visualType, visualData) of an operator that finished."""
    if step.kind == "forest":
        return VISUAL_COMPOSITE, _forest(values, rng)
    if step.kind == "confusion":
        forest = "@n_trees" in values
        accuracy = forest_accuracy(int(values["@n_trees"]), int(values.get("@max_depth", "10"))) if forest \
            else model_accuracy(values)
        return VISUAL_COMPOSITE, _confusion(accuracy)
    if step.kind == "sampling":
        return VISUAL_COMPOSITE, [{"out_title": name, "visualType": VISUAL_TABLE,
                                   "visualData": _table(MAGIC_COLUMNS, rng)} for name in ("Train Set", "Test Set")]
    if step.kind == "model":
        return VISUAL_COMPOSITE, [{"out_title": "Model Summary", "visualType": VISUAL_TEXT,
                                   "visualData": f"{step.name} converged; accuracy {model_accuracy(values):.4f}."}]
    if step.kind == "export":
        target = step.name.lower().replace(" ", "_")
        return VISUAL_TEXT, f"Wrote {rng.randint(1000, 90000)} rows to /data/exports/{target}."
    return VISUAL_TABLE, _table(_columns(step), rng)


def node_meta_info(step: Step, status: str, started: str, finished: str, error: str = "") -> list[dict[str, str]]:
    """The operator's meta info lines: name, status, times, and the error when it failed."""
    lines = [{"key": "Operator Name", "value": step.name}, {"key": "Status", "value": status},
             {"key": "Start Time", "value": started}, {"key": "End Time", "value": finished}]
    if step.name in ROWS:
        lines.append({"key": "Rows", "value": str(ROWS[step.name])})
    if error:
        lines.append({"key": "Error", "value": error})
    return lines
