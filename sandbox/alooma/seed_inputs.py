"""The eight kinds of input the seeded account pulls from, and how one is built.

Each template: (name, type, module, event types, sleep seconds, configuration builder). Configurations hold
what the real API returns for that type, credentials included (the dashboard masks them).
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any, Callable

from sandbox.alooma.schedule import Segments
from sandbox.alooma.world import Input
from sandbox.common.ids import seeded_uuid4

Config = Callable[[random.Random], dict[str, Any]]


def secret_text(rng: random.Random, length: int = 16) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    return "".join(rng.choice(alphabet) for _ in range(length))


TEMPLATES: tuple[tuple[str, str, str, tuple[str, ...], float, Config], ...] = (
    ("Shop MySQL", "MYSQL", "inputs.pullers.mysql.mysql_replication", ("shop.orders", "shop.customers",
     "shop.order_items"), 60.0, lambda r: {
        "hostname": "shop-db.internal.example.com", "port": 3306, "database": "shop", "username": "alooma",
        "password": secret_text(r), "tables": "orders customers order_items", "auto_map": "true",
        "server_id": r.randint(1000, 9999), "batch_size": 100000}),
    ("Billing Postgres", "POSTGRESQL", "inputs.pullers.postgresql.postgresql_log_replication",
     ("billing.invoices", "billing.payments"), 300.0, lambda r: {
        "auto_map": "true", "hostname": "billing-db.internal.example.com", "port": 5432, "database": "billing",
        "slot_name": "alooma_replication_slot", "username": "alooma", "password": secret_text(r),
        "tables": "invoices payments", "query_dump": "true", "session_timeout": 300000}),
    ("Salesforce", "SALESFORCE", "inputs.pullers.salesforce.salesforce", ("sf_Account", "sf_Opportunity",
     "sf_Lead"), 900.0, lambda r: {
        "oauth2": secret_text(r, 24) + "==", "custom_objects": "Account Opportunity Lead", "auto_map": "true",
        "is_sandbox": False, "input_default_schema": "PUBLIC", "daily_bulk_queries": 10000,
        "daily_api_calls": 200000}),
    ("Clickstream S3", "S3", "inputs.pullers.s3.s3_puller", ("clickstream",), 600.0, lambda r: {
        "awsAccessKeyId": "AKIA" + secret_text(r, 16).upper(), "awsBucketName": "example-clickstream",
        "awsSecretAccessKey": secret_text(r, 40), "filePrefix": "events/", "loadFiles": "new",
        "fileFormat": "{\"type\": \"json\"}", "auto_map": "true"}),
    ("Signup Webhook", "REST_ENDPOINT", "inputs.rest_endpoint", ("signup",), 30.0, lambda r: {
        "auto_map": "false", "token": secret_text(r, 32)}),
    ("Mixpanel", "MIXPANEL", "inputs.pullers.mixpanel.mixpanel_export", ("mp_events",), 3600.0, lambda r: {
        "mixpanelApiKey": secret_text(r, 32), "mixpanelApiSecret": secret_text(r, 32), "fromDate": "2018-01-01",
        "auto_map": "true"}),
    ("Google Analytics", "GOOGLE_ANALYTICS", "inputs.pullers.google_analytics.ga_reporting", ("ga_sessions",),
     3600.0, lambda r: {"oauth2": secret_text(r, 24) + "==", "view_id": str(r.randint(10**8, 10**9 - 1)),
                        "auto_map": "true", "start_date": "2018-06-01"}),
    ("Mongo Users", "MONGODB", "inputs.pullers.mongodb.mongodb_oplog", ("mongo.users", "mongo.devices"), 120.0,
     lambda r: {"hostname": "mongo-1.internal.example.com", "port": 27017, "database": "app",
                "username": "alooma", "password": secret_text(r), "collections": "users devices", "auto_map": "true"}),
)
ERROR_TEMPLATE = 2  # Salesforce: its refresh token was revoked
PAUSED_TEMPLATE = 6  # Google Analytics: paused by an operator
SF_ERROR = "INVALID_SESSION_ID: Session expired or invalid"
SF_STACK = ("Traceback (most recent call last):\n  File \"inputs/pullers/salesforce/salesforce.py\", line 412, in pull\n"
            "    batch = self.client.query_all(soql)\nSalesforceExpiredSession: " + SF_ERROR + "\n")


def build_input(rng: random.Random, index: int, origin: datetime, in_error: bool, paused: bool) -> Input:
    """Input number `index` (templates cycle; names and event types get a suffix past the first eight)."""
    name, kind, module, event_types, sleep, config = TEMPLATES[index % len(TEMPLATES)]
    suffix = "" if index < len(TEMPLATES) else f" {index // len(TEMPLATES) + 1}"
    tag = "" if index < len(TEMPLATES) else f"_{index // len(TEMPLATES) + 1}"
    fires = Segments()
    fires.begin(origin - timedelta(days=90, seconds=rng.randint(0, int(sleep))), timedelta(seconds=sleep))
    item = Input(
        id=seeded_uuid4(rng), state_id=seeded_uuid4(rng), name=name + suffix, type=kind, module_name=module,
        configuration=config(rng), created_at=origin - timedelta(days=rng.randint(100, 700), seconds=rng.randint(0, 86399)),
        sleep_time=sleep, fires=fires, weight=0.5 + rng.random(), event_types=[e + tag for e in event_types],
        task_state={"batch_id": f"{rng.getrandbits(20):05x}", "received_events": rng.randint(0, 50000),
                    "batch_offset": 0, "input_state": {"last_existing_ts": (origin - timedelta(hours=1)).isoformat()}})
    if in_error:
        item.error_message, item.error_stack = SF_ERROR if kind == "SALESFORCE" else "Connection refused", SF_STACK
        item.error_since = origin - timedelta(hours=rng.randint(6, 30), seconds=rng.randint(0, 3599))
        item.error_count_base = rng.randint(200, 2000)
        item.last_success = fires.prev(item.error_since)
    if paused:
        item.fires.begin(origin - timedelta(hours=rng.randint(2, 20)), None)
    return item


def input_plan(count: int) -> list[tuple[bool, bool]]:
    """(in error, paused) for each input: one in eight of each (the Salesforce and Google Analytics kinds)."""
    return [(i % len(TEMPLATES) == ERROR_TEMPLATE and i % 24 < 8, i % len(TEMPLATES) == PAUSED_TEMPLATE
             and i % 24 < 8) for i in range(count)]
