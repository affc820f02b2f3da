"""Builds the deterministic Alooma account from (seed, size, now).

Every seeded time hangs from `origin`, UTC midnight of the day the world is built, so two worlds built with
one seed on one day are equal; times past the origin (next runs, error counts, notifications) follow the clock.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sandbox.alooma.restream import RestreamQueue
from sandbox.alooma.seed_catalog import build_event_types, build_queries
from sandbox.alooma.seed_inputs import build_input, input_plan, secret_text
from sandbox.alooma.times import day_origin
from sandbox.alooma.world import Node, User, World
from sandbox.common.ids import seeded_uuid4

SIZES = {
    "small": {"inputs": 8, "queries": 10, "users": 5, "secrets": 6, "scale": 5000.0},
    "large": {"inputs": 200, "queries": 400, "users": 40, "secrets": 60, "scale": 60000.0},
}
ACCOUNT = "flightdeck-demo"
SERVICE_EMAIL = "flightdeck-svc@example.com"
PEOPLE = ((SERVICE_EMAIL, "Flightdeck", "Service", False), ("dana.levi@example.com", "Dana", "Levi", False),
          ("omar.haddad@example.com", "Omar", "Haddad", False), ("ines.moreau@example.com", "Ines", "Moreau", False),
          ("new.analyst@example.com", None, None, True))
FIRST = ("Lena", "Mateo", "Hana", "Farah", "Ivo", "Chloe", "Dmitri", "Elif", "Goran", "Ben", "Sofia", "Arjun")
LAST = ("Lindqvist", "Tanaka", "Moreau", "Novak", "Schmidt", "Costa", "Park", "Brandt", "Silva", "Okafor")
SECRET_NAMES = ("MYSQL_SHOP_PASSWORD", "SFDC_REFRESH_TOKEN", "SLACK_WEBHOOK_URL", "S3_CLICKSTREAM_SECRET",
                "MIXPANEL_API_SECRET", "PAGERDUTY_ROUTING_KEY")
MODULES = {
    "main": "from submodule import clean_email\n\n\ndef transform(event):\n"
            "    if event.get('email'):\n        event['email'] = clean_email(event['email'])\n"
            "    if event['_metadata']['event_type'] == 'mp_events':\n        return None\n    return event\n",
    "submodule": "def clean_email(value):\n    return value.strip().lower()\n",
}
REQUIREMENTS = [{"name": "requests", "version": "2.19.1"}, {"name": "python-dateutil", "version": "2.7.3"},
                {"name": "pytz", "version": "2018.5"}]


def _users(rng: random.Random, count: int) -> list[User]:
    people = list(PEOPLE)
    while len(people) < count:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        people.append((f"{first}.{last}{len(people)}@example.com".lower(), first, last, rng.random() < 0.1))
    return [User(email, first, last, secret_text(rng, 14), f"{rng.getrandbits(192):048x}", pending)
            for email, first, last, pending in people[:count]]


def _output(rng: random.Random) -> Node:
    password = secret_text(rng, 18)
    if rng.random() < 0.5:
        config = {"username": "alooma_loader", "skipValidation": "false",
                  "hostname": "analytics.c1x2y3z4.eu-west-1.redshift.amazonaws.com", "sinkType": "REDSHIFT",
                  "databaseName": "analytics", "schemaName": "public", "password": password, "port": "5439"}
        return Node(seeded_uuid4(rng), "Redshift", "REDSHIFT", "OUTPUT", config)
    config = {"username": "ALOOMA_LOADER", "warehouseName": "LOAD_WH", "skipValidation": "false",
              "accountName": "xy12345.eu-west-1", "cron": "*/15 * * * *", "databaseName": "ANALYTICS",
              "schemaName": "PUBLIC", "password": password, "sinkType": "SNOWFLAKE"}
    return Node(seeded_uuid4(rng), "Snowflake", "SNOWFLAKE", "OUTPUT", config)


def build_world(seed: int, size: str, now: datetime) -> World:
    """The whole account for (seed, size), its times hanging from UTC midnight of now's day."""
    spec, rng, origin = SIZES[size], random.Random(f"{seed}:alooma"), day_origin(now)
    deployment = f"{ACCOUNT}-1"
    inputs = [build_input(rng, i, origin, err, paused) for i, (err, paused) in enumerate(input_plan(spec["inputs"]))]
    event_types = build_event_types(rng, inputs)
    mapped = [e for e in event_types.values() if e.state == "MAPPED" and not e.discarded]
    queries = build_queries(rng, spec["queries"], mapped, origin, deployment)
    users = _users(rng, spec["users"])
    names = list(SECRET_NAMES) + [f"SECRET_{i:03d}" for i in range(len(SECRET_NAMES), spec["secrets"])]
    restream = RestreamQueue(seeded_uuid4(rng), held=float(rng.randint(20000, 80000)) * spec["scale"] / 5000,
                             anchor=origin, in_rate=2 + 4 * rng.random(), out_rate=3000.0 * spec["scale"] / 5000,
                             avg_size=rng.randint(900, 1500), max_size=5 * 1024 ** 3)
    built = origin - timedelta(days=rng.randint(3, 40), seconds=rng.randint(0, 86399))
    start_day = (origin - timedelta(days=rng.randint(30, 300))).date()
    return World(
        account=ACCOUNT, deployment=deployment, company="flightdeck.example.com", origin=origin, users=users,
        inputs={i.id: i for i in inputs}, restream=restream,
        transformer=Node(seeded_uuid4(rng), "Code Engine", "TRANSFORMER", "PROCESSOR", {"language": "PYTHON"}),
        mapper=Node(seeded_uuid4(rng), "Mapper", "MAPPER", "PROCESSOR"), output=_output(rng),
        event_types=event_types, queries=queries, modules=dict(MODULES), requirements=list(REQUIREMENTS),
        secrets={name: secret_text(rng, 24) for name in names},
        settings={"email-notifications": {
            "digestWarning": True, "digestSendHour": 20, "recipients": [SERVICE_EMAIL], "digestInfo": True,
            "digestError": True, "digestFrequency": "DAILY", "recipientsChanged": True,
            "digestEmailsTimeZone": "UTC", "notificationsInDigest": 20},
            "s3-retention": {"awsAccessKeyId": "AKIA" + secret_text(rng, 16).upper(), "filePrefix": "raw",
                             "awsSecretAccessKey": secret_text(rng, 40), "awsBucketName": "flightdeck-alooma-retention",
                             "saveMetadata": True, "serverSideEncryption": True, "gzip": True}},
        deploy_info={"gitBranch": "origin/master", "deploymentName": deployment,
                     "gitCommitId": f"{rng.getrandbits(28):07x}", "gitAuthorEmail": "release-bot@users.noreply.github.com",
                     "buildTimestamp": built.strftime("%Y-%m-%dT%H:%M:%SZ")},
        credits={"company_name": "flightdeck.example.com", "payment_period": "Annually",
                 "start_date": start_day.isoformat(), "subscription_type": "Prepaid",
                 "total_credits": 60000 if size == "small" else 600000, "daily": 30.0 * spec["scale"] / 5000},
        scale=spec["scale"], other_instances=["flightdeck-staging"])
