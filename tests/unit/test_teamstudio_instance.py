"""The session panel's instance facts from recorded licence and user objects."""
from datetime import date

from app.platforms.teamstudio.instance import account_fact, license_facts

LICENCE = {"admins": 400, "analytics_developer": 100, "analytics_developer_limit_reached": False,
           "data_analyst": 25, "data_analyst_limit_reached": True, "expired": False, "expires": "2027-01-31",
           "users_license_limit_reached": False, "vendor": "alpine"}


def test_licence_expiry_and_seats_are_listed_with_what_needs_action_marked():
    """Is each seat limit listed, the full one marked, and a live licence not?"""
    facts = {f.label: f for f in license_facts(LICENCE, date(2026, 11, 23))}
    assert facts["Licence expires"].value == "2027-01-31" and not facts["Licence expires"].warning
    assert facts["Data analysts allowed"].value == "25 (limit reached)" and facts["Data analysts allowed"].warning
    assert not facts["Analytics developers allowed"].warning and facts["Admins allowed"].value == "400"
    assert "Users" not in facts


def test_a_licence_past_its_date_is_expired_even_if_the_flag_says_not():
    """Does a licence whose date has passed read as expired and warn?"""
    (expiry, *_rest) = license_facts({**LICENCE, "expires": "2026-01-01"}, date(2026, 11, 23))
    assert expiry.value == "2026-01-01 (expired)" and expiry.warning


def test_the_account_names_the_person_and_role():
    """Is the account shown by name, username and application role?"""
    fact = account_fact({"username": "flightdeck-svc", "first_name": "Flight", "last_name": "Deck", "admin": False,
                         "user_type": "analytics_developer"})
    assert fact.value == "Flight Deck (flightdeck-svc), analytics developer"
    assert account_fact({"username": "root", "admin": True}).value == "root, application admin"
