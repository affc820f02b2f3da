"""Alooma normalisers on JSON recorded from the emulator: scheduled queries, their latest runs, inputs, errors."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from app.platforms.alooma.client import error_message, rest_root
from app.platforms.alooma.normalize import (by_status, hours_words, input_state, instance_facts, last_error,
                                            normalize_input, normalize_query, normalize_query_run, query_name,
                                            query_trigger, to_status)
from app.platforms.records import RunStatus

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "alooma"
QUERIES = json.loads((FIXTURES / "queries.json").read_text())
INPUTS = json.loads((FIXTURES / "inputs.json").read_text())
INSTANCE = json.loads((FIXTURES / "instance.json").read_text())
ERRORS = json.loads((FIXTURES / "errors.json").read_text())
NOW = datetime(2026, 11, 23, 17, 30, tzinfo=timezone.utc)


def _query(event_type: str) -> dict:
    return next(q for q in QUERIES["queries"] if q["configuration"]["event_type"] == event_type)


@pytest.mark.parametrize("word, succeeded, status", [
    ("active", True, RunStatus.SUCCEEDED), ("running", True, RunStatus.RUNNING), ("failed", True, RunStatus.FAILED),
    ("active", False, None), ("paused", True, RunStatus.UNKNOWN), ("", True, RunStatus.UNKNOWN),
])
def test_every_status_word_maps_onto_the_common_status(word, succeeded, status):
    """Are active, running and failed mapped, an active query that never succeeded given no status, others unknown?"""
    assert to_status(word, succeeded) is status


@pytest.mark.parametrize("event_type, words, kind", [
    ("shop.orders", "every 8 hours", "interval"), ("billing.invoices", "every hour", "interval"),
    ("shop.order_items", "every 6 hours at :00 (UTC)", "cron"),
    ("billing.payments", "every day at 02:30 (UTC)", "cron"),
    ("sf_Account", "every Monday at 06:00 (UTC)", "cron"), ("clickstream", "every hour at :15 (UTC)", "cron"),
    ("ga_sessions", "on day 1 of every month at 00:00 (UTC)", "cron"),
])
def test_frequency_and_cron_read_in_words(event_type, words, kind):
    """Does a query's frequency in hours or its run_at cron read in words, the cron kept with its zone?"""
    trigger = query_trigger(_query(event_type))
    assert (trigger.text, trigger.kind) == (words, kind)
    assert (trigger.cron is not None) == (kind == "cron")


def test_odd_triggers_are_shown_not_guessed():
    """Is a cron rule the wording cannot read shown as given, and a query with neither rule manual?"""
    assert query_trigger({"configuration": {"run_at": "not a rule"}}).text == "cron not a rule (UTC)"
    assert query_trigger({"configuration": {}}).kind == "manual"
    assert hours_words(12) == "every 12 hours" and hours_words("x") == "every x hours"


def test_a_query_in_error_is_a_failed_schedule_with_its_error_and_count():
    """Is a query in error a failed schedule whose last run is the failed attempt, with message, count, last success?"""
    schedule = normalize_query(_query("shop.order_items"), "al", NOW)
    assert schedule.last_status is RunStatus.FAILED and schedule.enabled
    assert schedule.last_run == datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)
    assert schedule.last_error.startswith('ERROR: syntax error at or near "FORM" (20 errors)')
    assert "last success 2026-11-18 12:00 UTC" in schedule.last_error
    assert schedule.name == "shop.order_items custom query" and schedule.target.name == "shop.order_items"
    assert schedule.next_run == datetime(2026, 11, 23, 18, 0, tzinfo=timezone.utc)


def test_a_healthy_query_is_a_succeeded_schedule_without_an_error():
    """Is an active query succeeded at its last success, owned by its deployment, next run as Alooma says?"""
    schedule = normalize_query(_query("shop.orders"), "al", NOW)
    assert schedule.last_status is RunStatus.SUCCEEDED and not schedule.last_error
    assert schedule.owner == "flightdeck-demo-1" and schedule.name == "shop.orders consolidation"
    assert schedule.last_run and schedule.next_run and schedule.next_run > schedule.last_run


def test_a_cron_query_without_a_next_time_gets_one_from_its_rule():
    """When Alooma gives no next processing time, is the cron rule's next fire after now used?"""
    raw = dict(_query("billing.payments"), next_processing_time=None)
    assert normalize_query(raw, "al", NOW).next_run == datetime(2026, 11, 24, 2, 30, tzinfo=timezone.utc)


def test_sorting_by_status_puts_the_two_in_error_first():
    """Do the two queries in error come first, then the running one, then the rest by name?"""
    raw = [q for q in QUERIES["queries"] if q["state_id"] != QUERIES["running"]["state_id"]] + [QUERIES["running"]]
    ordered = by_status(normalize_query(q, "al", NOW) for q in raw)
    failed = {q["state_id"] for q in QUERIES["queries"] if q["status"] == "failed"} - {QUERIES["running"]["state_id"]}
    assert {s.id for s in ordered[:len(failed)]} == failed
    assert ordered[len(failed)].last_status is RunStatus.RUNNING
    rest = [s.name.lower() for s in ordered[len(failed) + 1:]]
    assert rest == sorted(rest)


def test_a_healthy_query_keeps_its_old_error_count_out_of_the_error():
    """Does a query that recovered (count kept by Alooma) show no error, the count as history in the comment?"""
    raw = QUERIES["recovered"]
    schedule = normalize_query(raw, "al", NOW)
    assert raw["error_count"] > 0 and not last_error(raw) and not schedule.last_error
    assert "earlier errors" in schedule.comment


def test_a_running_query_is_a_running_run_named_by_the_query():
    """Is a query started with Run now a running Run with the query's id, its start and no end?"""
    run = normalize_query_run(QUERIES["running"], "al")
    assert run.status is RunStatus.RUNNING and run.id == run.schedule_id == QUERIES["running"]["state_id"]
    assert run.started and run.finished is None and run.title.startswith("Latest run of ")


def test_a_failed_run_carries_the_error_and_stack():
    """Does the latest run of a query in error carry its message as the error and its stack as a message?"""
    run = normalize_query_run(_query("shop.order_items"), "al")
    assert run.status is RunStatus.FAILED and run.errors == ('ERROR: syntax error at or near "FORM"',)
    assert run.messages[0].level == "error" and "psycopg2" in run.messages[0].text
    assert ("Errors counted", "20") in run.details


def test_a_recovered_run_ends_at_its_last_success():
    """Does a succeeded manual run end at the last success, after it started?"""
    run = normalize_query_run(QUERIES["recovered"], "al")
    assert run.status is RunStatus.SUCCEEDED and run.finished and run.duration.total_seconds() > 0 and not run.errors


def test_a_query_that_never_ran_has_no_run():
    """Is a new query with neither processing nor success time no run at all?"""
    raw = dict(_query("shop.orders"), last_processing_time=None, last_success_time=None)
    assert normalize_query_run(raw, "al") is None
    assert normalize_query(raw, "al", NOW).last_status is None


def test_names_from_the_configuration_win():
    """Does a query's own name, where its configuration has one, win over the event type?"""
    assert query_name({"configuration": {"name": "Nightly rollup", "event_type": "x"}}) == "Nightly rollup"


def test_inputs_are_not_runnable_workflows_with_type_and_state():
    """Is each input a non-runnable Workflow of kind input, its type, state and throughput described?"""
    details, listing = INPUTS["details"], INPUTS["listing"]
    workflows = {w.id: w for w in (normalize_input(details[i], "al", listing[i]) for i in listing)}
    assert all(w.kind == "input" and not w.runnable for w in workflows.values())
    failing = workflows[INPUTS["inInError"]]
    assert failing.description.startswith("SALESFORCE · failed") and "INVALID_SESSION_ID" in failing.description
    assert "paused" in workflows[INPUTS["paused"]].description
    assert input_state(details[INPUTS["paused"]]) == "paused"
    assert any("events/s" in w.description for w in workflows.values())


def test_no_input_credential_reaches_a_record():
    """Do the recorded configurations' passwords, keys and tokens stay out of every input record?"""
    for ident, detail in INPUTS["details"].items():
        record = normalize_input(detail, "al", INPUTS["listing"][ident])
        assert "recorded-secret" not in repr(record)


def test_instance_facts_name_account_deployment_build_and_user():
    """Do the facts give account, deployment, build and the signed-in user, warning on another account?"""
    me = INSTANCE["users"][0]
    facts = {f.label: f for f in instance_facts(INSTANCE["deployInfo"], INSTANCE["repository"], "flightdeck-demo",
                                                me, "login session")}
    assert facts["Account"].value == "flightdeck-demo" and not facts["Account"].warning
    assert facts["Deployment"].value == "flightdeck-demo-1" and "c17ade6" in facts["Build"].value
    assert facts["Signed in as"].value == "Flightdeck Service (flightdeck-svc@example.com), login session"
    other = instance_facts(INSTANCE["deployInfo"], INSTANCE["repository"], "another", None, "API key")
    assert other[0].warning and other[-1].value == "API key"


@pytest.mark.parametrize("name, said", [
    ("bad_key", "Invalid API key"), ("not_found", "Scheduled query no-such-query does not exist"),
    ("bad_login", "Invalid email or password"), ("session_expired", "Session expired, please log in"),
    ("server_error", "Internal server error"),
])
def test_error_bodies_give_their_message(name, said):
    """Is the message of each recorded error body what the banner says?"""
    assert error_message(ERRORS[name]) == said


def test_error_bodies_of_other_shapes_give_nothing_or_the_reason():
    """Does a body without a message fall back to the reason phrase, and a non-object to nothing?"""
    assert error_message({"error": "Bad Gateway"}) == "Bad Gateway"
    assert error_message("<html>") is None and error_message({}) is None


def test_the_rest_root_names_the_account():
    """Is the REST root {base}/{account}/rest, or {base}/rest without an account?"""
    assert rest_root("https://app.alooma.com/", "acme") == "https://app.alooma.com/acme/rest"
    assert rest_root("https://app.alooma.com", "") == "https://app.alooma.com/rest"
