"""A Team Studio run's downloaded results as something a page can show: each operator's output in order,
tables as tables, and the numbers in them by name (what the parameter sweep charts).

The engine's `outputs` entries carry `visualType` and `visualData`: 0 is a table (`{"columns", "items"}`),
6 a list of sub-outputs, anything else is shown as text or as its JSON.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterator

VISUAL_TABLE = 0
VISUAL_COMPOSITE = 6
ROWS_SHOWN = 200  # rows of one table on the page; the raw results download has them all
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    total_rows: int


@dataclass(frozen=True)
class Block:
    """One piece of an operator's output: a table, a text, or (an unknown shape) its JSON."""

    title: str
    table: Table | None = None
    text: str = ""
    raw_json: str = ""


@dataclass(frozen=True)
class OperatorOutput:
    title: str
    blocks: tuple[Block, ...]
    facts: tuple[tuple[str, str], ...]  # node_meta_info


def _table(data: dict) -> Table | None:
    items = data.get("items")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return None
    columns = [str(c) for c in data.get("columns") or []] if isinstance(data.get("columns"), list) else []
    for item in items:  # columns the header left out still show
        columns += [str(k) for k in item if str(k) not in columns]
    rows = tuple(tuple(item.get(c, "") for c in columns) for item in items[:ROWS_SHOWN])
    return Table(tuple(columns), rows, len(items))


def blocks_of(title: str, visual_type: Any, data: Any) -> list[Block]:
    """The blocks of one output (or sub-output), composite ones flattened in order."""
    if visual_type == VISUAL_COMPOSITE and isinstance(data, list):
        found: list[Block] = []
        for part in data:
            if isinstance(part, dict):
                found += blocks_of(str(part.get("out_title") or title), part.get("visualType"), part.get("visualData"))
        return found
    if isinstance(data, dict):
        table = _table(data)
        if table is not None:
            return [Block(title, table=table)]
    if isinstance(data, str):
        return [Block(title, text=data)]
    return [Block(title, raw_json=json.dumps(data, indent=2, sort_keys=True, default=str)[:20000])]


def _facts(meta: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(meta, list):
        return ()
    return tuple((str(m.get("key", "")), str(m.get("value", ""))) for m in meta if isinstance(m, dict))


def operator_outputs(results: dict) -> list[OperatorOutput]:
    """Every operator's output, in the order the results list them."""
    outputs = [o for o in results.get("outputs") or [] if isinstance(o, dict)]
    return [OperatorOutput(str(o.get("out_title") or "output"), tuple(blocks_of(str(o.get("out_title") or "output"),
                                                                               o.get("visualType"), o.get("visualData"))),
                           _facts(o.get("node_meta_info")))
            for o in outputs]


def _number(value: Any) -> float | None:
    """A cell's number: the value itself, or the last number in a text such as "Accuracy: 0.8781"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    found = NUMBER.findall(str(value))
    return float(found[-1]) if found else None


LABELLED = re.compile(r"^\s*([A-Za-z][\w /%()-]{0,60}?)\s*[:=]\s*(-?\d+(?:\.\d+)?(?:[eE]-?\d+)?)\s*$")


def metrics(results: dict) -> dict[str, float]:
    """Every number in the results' tables, named "operator › table › row › column", most metric-like first.

    A cell reading "Accuracy: 0.8781" is named by its own label ("… › Accuracy") and comes first: that is how
    the engine reports a model's headline figures. Then cells of rows named by their first cell ("… › g ›
    Class Recall"), and last those of unnamed rows ("… › row 3 › fLength"), which are mostly data previews.
    These are what a sweep can chart.
    """
    ranked: list[dict[str, float]] = [{}, {}, {}]
    for output in operator_outputs(results):
        for block in output.blocks:
            for name, row_named, value in _cells(output.title, block):
                labelled = LABELLED.match(value) if isinstance(value, str) else None
                if labelled:
                    head = name.rsplit(" › ", 1)[0]
                    ranked[0].setdefault(f"{head} › {labelled.group(1).strip()}", float(labelled.group(2)))
                    continue
                number = _number(value)
                if number is not None:
                    ranked[1 if row_named else 2].setdefault(name, number)
    return {name: number for rank in ranked for name, number in rank.items()}


def _cells(operator: str, block: Block) -> Iterator[tuple[str, bool, Any]]:
    """(name, whether its row is named, value) of every cell but a row's naming one."""
    if block.table is None:
        return
    head = operator if block.title == operator else f"{operator} › {block.title}"
    for index, row in enumerate(block.table.rows, start=1):
        first = row[0] if row else ""
        named = isinstance(first, str) and bool(first) and _number(first) is None
        label = str(first) if named else f"row {index}"
        for column, value in zip(block.table.columns[1:] if named else block.table.columns,
                                 row[1:] if named else row):
            yield f"{head} › {label} › {column or '—'}", named, value
