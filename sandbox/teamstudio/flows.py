"""The seeded workflows: their operators, declared variables and where they run (the notebooks' shapes).

"Random Forest Parameter Search" is the seed notebook's workflow (magic04.csv -> Random Sampling -> Test/Train
Set -> Alpine Forest Classification -> Confusion Matrix) with `@n_trees` and `@max_depth`; "Nightly Fraud
Features" always fails at its "Join Transactions" operator.
"""
from __future__ import annotations

from dataclasses import dataclass

from sandbox.teamstudio.world import Operator, Variable

RANDOM_FOREST = "Random Forest Parameter Search"
FAILING = "Nightly Fraud Features"
FAILING_OPERATOR = "Join Transactions"
FAILING_ERROR = 'org.postgresql.util.PSQLException: ERROR: relation "fraud.tx_enriched" does not exist'
FOREST_OPERATOR = "Alpine Forest Classification"
FOREST_SECONDS_PER_TREE = 3.5


@dataclass(frozen=True)
class FlowTemplate:
    """A workflow to seed: which seeded workspace (index) holds it and whether it runs on Hadoop or a database."""

    name: str
    description: str
    workspace: int
    on_hadoop: bool
    operators: tuple[Operator, ...]
    variables: tuple[Variable, ...] = ()


FLOWS: tuple[FlowTemplate, ...] = (
    FlowTemplate(
        RANDOM_FOREST, "Sweeps the forest size on the MAGIC gamma telescope data.", 0, True,
        (Operator("magic04.csv", "dataset", 20), Operator("Random Sampling", "sampling", 25),
         Operator("Test Set", "dataset", 10), Operator("Train Set", "dataset", 10),
         Operator(FOREST_OPERATOR, "forest", 60), Operator("Confusion Matrix", "confusion", 15)),
        (Variable("@n_trees", "50", "int", FOREST_OPERATOR), Variable("@max_depth", "10", "int", FOREST_OPERATOR))),
    FlowTemplate(
        "Data ETL", "Filters and aggregates the day's orders.", 0, False,
        (Operator("orders", "dataset", 15), Operator("Row Filter", "table", 20), Operator("Aggregation", "table", 25)),
        (Variable("@row_filter", "13", "int", "Row Filter"),)),
    FlowTemplate(
        "Churn Scoring", "Scores customers for churn with a logistic regression.", 1, False,
        (Operator("customer_features", "dataset", 15), Operator("Null Value Replacement", "table", 20),
         Operator("Logistic Regression", "model", 70), Operator("Confusion Matrix", "confusion", 15)),
        (Variable("@threshold", "0.5", "float", "Logistic Regression"),
         Variable("@max_iter", "100", "int", "Logistic Regression"))),
    FlowTemplate(
        FAILING, "Builds fraud features from enriched transactions (the enriched table was dropped).", 1, False,
        (Operator("transactions", "dataset", 15), Operator(FAILING_OPERATOR, "table", 30, fails=FAILING_ERROR),
         Operator("Feature Aggregation", "table", 25), Operator("Export Features", "export", 10)),
        (Variable("@lookback_days", "30", "int", "Feature Aggregation"),)),
    FlowTemplate(
        "Campaign Attribution", "Multi-touch attribution of last quarter's campaigns.", 2, False,
        (Operator("campaign_touches", "dataset", 15), Operator("Attribution Model", "model", 45)),
        (Variable("@window_days", "30", "int", "Attribution Model"),)),
    FlowTemplate(
        "Demand Forecast", "Weekly demand forecast per region.", 3, True,
        (Operator("sales_history.csv", "dataset", 20), Operator("Aggregation by Week", "table", 25),
         Operator("Time Series Forecast", "model", 90), Operator("Export Forecast", "export", 10)),
        (Variable("@horizon_weeks", "12", "int", "Time Series Forecast"),
         Variable("@region", "EMEA", "text", "Aggregation by Week"))),
    FlowTemplate(
        "Sandbox Smoke Test", "Reads iris.csv and summarises it; no variables.", 4, True,
        (Operator("iris.csv", "dataset", 5), Operator("Summary Statistics", "table", 8))),
)

# Other workfiles every seeded workspace holds, by file type: (file name, type, content).
OTHER_WORKFILES: tuple[tuple[str, str, str], ...] = (
    ("daily_rollup.sql", "sql", "SELECT order_date, SUM(amount) FROM sales.orders GROUP BY order_date;\n"),
    ("Exploration.ipynb", "notebook", '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 2}\n'),
    ("README.txt", "text", "Workspace notes.\n"),
)


def generated_flow(name: str, workspace: int, index: int) -> FlowTemplate:
    """A plain workflow for large worlds: an ETL shape with one variable, durations varying with index."""
    scale = 1 + (index % 5) * 0.4
    return FlowTemplate(
        name, "Generated workflow.", workspace, index % 2 == 0,
        (Operator("source", "dataset", 10 * scale), Operator("Row Filter", "table", 15 * scale),
         Operator("Aggregation", "table", 20 * scale)),
        (Variable("@row_filter", str(10 + index % 7), "int", "Row Filter"),))
