"""Alooma emulator account paths: users, secrets by name only, credits per day, deployment info, settings."""
from __future__ import annotations

from datetime import date, timedelta

from tests.sandbox.test_alooma_helpers import Alooma, assert_error


def test_users_list(alooma: Alooma) -> None:
    """GET user/: email, first_name, last_name, isPending; one invitation is pending."""
    users = alooma.get("user/")
    assert len(users) == 5 and all(set(u) == {"email", "first_name", "last_name", "isPending"} for u in users)
    assert [u["email"] for u in users if u["isPending"]] == ["new.analyst@example.com"]
    assert alooma.get("user") == users


def test_secrets_are_listed_by_name_and_values_never_leave(alooma: Alooma) -> None:
    """GET secrets answers names only; a value set with PUT shows up nowhere in any answer."""
    names = alooma.get("secrets")
    assert names and all(isinstance(n, str) for n in names)
    assert alooma.api("PUT", "secrets", json={"MY_TOKEN": "s3cr3t-value-123"}).status_code == 204
    assert alooma.get("secrets") == names + ["MY_TOKEN"]
    for path in ("secrets", "settings/", "plumbing/", "inputs", "deployInfo", "user/", "notifications?from=0"):
        assert "s3cr3t-value-123" not in alooma.api("GET", path).text
    assert "s3cr3t-value-123" not in str(alooma.state())
    assert alooma.api("DELETE", "secrets/MY_TOKEN").status_code == 204
    assert alooma.get("secrets") == names
    assert_error(alooma.api("DELETE", "secrets/MY_TOKEN"), 404)
    assert_error(alooma.api("PUT", "secrets", json={"X": 5}), 400)
    assert_error(alooma.api("PUT", "secrets", json=["X"]), 400)


def test_used_credits_per_day(alooma: Alooma) -> None:
    """GET credits/used-credits?from=&to=: one row per day {date, instance_name, value}; all=True adds the
    company's other instances; today's value grows with the clock."""
    alooma.freeze("2030-05-10T06:00:00Z")
    rows = alooma.get("credits/used-credits?from=2030-05-01&to=2030-05-10")
    assert [r["date"] for r in rows] == [(date(2030, 5, 1) + timedelta(days=d)).isoformat() for d in range(10)]
    assert all(r["instance_name"] == "flightdeck-demo" and r["value"] >= 0 for r in rows)
    both = alooma.get("credits/used-credits?from=2030-05-09&to=2030-05-09&all=True")
    assert {r["instance_name"] for r in both} == {"flightdeck-demo", "flightdeck-staging"}
    default = alooma.get("credits/used-credits")
    assert len(default) == 90 and default[-1]["date"] == "2030-05-10"
    morning = default[-1]["value"]
    alooma.advance(6 * 3600)
    assert alooma.get("credits/used-credits")[-1]["value"] > morning
    assert alooma.get("credits/used-credits?from=2030-05-10&to=2030-05-01") == []
    assert_error(alooma.api("GET", "credits/used-credits?from=yesterday"), 400)


def test_company_credits_and_deployment_info(alooma: Alooma) -> None:
    """credits/company and deployInfo carry the reference's keys."""
    company = alooma.get("credits/company")
    assert set(company) == {"company_name", "payment_period", "start_date", "subscription_type", "total_credits",
                            "used_credits"}
    assert 0 < company["used_credits"] < company["total_credits"]
    info = alooma.get("deployInfo")
    assert set(info) == {"gitBranch", "deploymentName", "gitCommitId", "gitAuthorEmail", "buildTimestamp"}
    assert info["deploymentName"] == alooma.state()["deployment"]


def test_settings(alooma: Alooma) -> None:
    """GET settings/: email notifications and S3 retention as in the reference."""
    settings = alooma.get("settings/")
    assert set(settings) == {"email-notifications", "s3-retention"}
    assert settings["email-notifications"]["digestFrequency"] == "DAILY"
    assert settings["s3-retention"]["awsBucketName"]
