"""Alooma inventory normalisers on answers recorded from the emulator: users, credits per day, the period, deployment."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

from app.platforms.alooma.inventory import (PARTIAL_COLOUR, credits_chart, credits_per_day, normalize_company,
                                            normalize_deployment, normalize_users)

RECORDED = json.loads((Path(__file__).resolve().parent.parent / "fixtures" / "alooma" / "inventory.json").read_text())
TODAY = date.fromisoformat(RECORDED["recorded_at"][:10])


def test_users_keep_their_names_and_the_pending_one_comes_last():
    """Are users read with first and last names (none for the invited one), active ones first, by email?"""
    users = normalize_users(RECORDED["users"])
    assert [u.email for u in users][:2] == ["dana.levi@example.com", "flightdeck-svc@example.com"]
    assert users[0].name == "Dana Levi" and users[0].status == "active" and not users[0].pending
    assert users[-1].email == "new.analyst@example.com" and users[-1].pending
    assert users[-1].status == "invitation pending" and users[-1].name == "" and users[-1].first_name == ""


def test_credits_fill_thirty_days_ending_today_which_is_partial():
    """Are the recorded rows 30 days ending on the recording day, oldest first, only today marked partial?"""
    days = credits_per_day(RECORDED["used_credits"], TODAY)
    assert len(days) == 30 and days[-1].day == TODAY and days[0].day == date.fromisoformat(RECORDED["used_credits"][0]["date"])
    assert [d.partial for d in days] == [False] * 29 + [True]
    assert [d.credits for d in days] == [row["value"] for row in RECORDED["used_credits"]]


def test_a_day_alooma_left_out_counts_zero_and_rows_of_one_day_add_up():
    """Does a missing day count 0, two rows of one day (two instances) add up, and bad or outside rows drop out?"""
    rows = [r for r in RECORDED["used_credits"] if r["date"] != RECORDED["used_credits"][3]["date"]]
    rows += [{"date": RECORDED["used_credits"][5]["date"], "instance_name": "staging", "value": 1.5},
             {"date": "2001-01-01", "value": 99.0}, {"date": "not a day", "value": 3.0},
             {"date": RECORDED["used_credits"][6]["date"], "value": "12"}, {"value": 4.0}]
    days = credits_per_day(rows, TODAY)
    assert len(days) == 30 and days[3].credits == 0.0
    assert days[5].credits == round(RECORDED["used_credits"][5]["value"] + 1.5, 6)
    assert days[6].credits == RECORDED["used_credits"][6]["value"] and sum(d.credits for d in days) < 2000


def test_the_credits_chart_is_a_bar_per_day_with_today_lighter():
    """Is the chart a 30-bar Chart.js spec, today's bar labelled "so far" and coloured apart, ticks fractional?"""
    spec = credits_chart(credits_per_day(RECORDED["used_credits"], TODAY))
    labels = spec["data"]["labels"]
    dataset = spec["data"]["datasets"][0]
    assert spec["type"] == "bar" and len(labels) == len(dataset["data"]) == 30
    assert labels[-1] == TODAY.strftime("%b %d") + " (so far)" and "so far" not in labels[-2]
    assert dataset["backgroundColor"][-1] == PARTIAL_COLOUR and PARTIAL_COLOUR not in dataset["backgroundColor"][:-1]
    assert spec["options"]["scales"]["y"]["ticks"] == {"precision": 1}


def test_a_prepaid_period_has_a_percent_used():
    """Is the recorded prepaid period read with its start, no end, used of total and the percent?"""
    company = normalize_company(RECORDED["company_credits"])
    raw = RECORDED["company_credits"]
    assert company.subscription == "Prepaid" and company.payment_period == "Annually" and company.end is None
    assert company.start == date.fromisoformat(raw["start_date"]) and company.total == 60000.0
    assert company.percent_used == round(100 * raw["used_credits"] / raw["total_credits"], 1)


def test_an_on_demand_period_has_an_end_and_no_percent():
    """Is the reference's monthly On Demand period read with its end date, and no percent without a total?"""
    company = normalize_company(RECORDED["company_credits_monthly"])
    assert company.end == date(2018, 11, 16) and company.total is None and company.percent_used is None
    assert company.used == 8.217452 and company.subscription == "On Demand"


def test_the_deployment_and_its_build_time():
    """Is deployInfo read as name, branch, commit, author and a UTC build time; missing fields as dashes?"""
    deploy = normalize_deployment(RECORDED["deployInfo"])
    assert deploy.name == "flightdeck-demo-1" and deploy.branch == "origin/master" and deploy.commit == "c17ade6"
    assert deploy.built == datetime(2026, 11, 19, 4, 23, 30, tzinfo=timezone.utc)
    empty = normalize_deployment({})
    assert (empty.name, empty.branch, empty.commit, empty.built) == ("—", "—", "—", None)
