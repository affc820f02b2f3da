"""Alooma's account for admins: users, secret names, credits used per day and in the period, the deployment.

The normalisers are pure functions of Alooma's JSON (tested on recorded answers); AloomaInventory reads through the
service's client, each read cached per connection. Secrets are names only: Alooma never lists values, and nothing
here asks for one.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from app.cache import Fetched, cached_read
from app.charts import bar
from app.platforms.timestamps import parse_time

INVENTORY_TTL = 300  # people, secrets and the deployment change by hand, rarely
CREDITS_TTL = 300  # today's credits grow through the day; five minutes behind is close enough
CREDIT_DAYS = 30
BAR_COLOUR, PARTIAL_COLOUR = "#1f5fbf", "#9ec1ee"  # today's bar is lighter: the day is not over


@dataclass(frozen=True)
class AloomaUser:
    """Someone with access to the account, as GET user/ lists them (no role: Alooma's list gives none)."""

    email: str
    first_name: str
    last_name: str
    pending: bool  # invited, cannot sign in yet

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)

    @property
    def status(self) -> str:
        return "invitation pending" if self.pending else "active"


@dataclass(frozen=True)
class CreditDay:
    """Credits this account used on one UTC day; `partial` for today, still growing."""

    day: date
    credits: float
    partial: bool = False


@dataclass(frozen=True)
class CompanyCredits:
    """The company's payment period. On Demand periods have an end and no total; prepaid ones a total and only a
    start (the period's end is not given)."""

    company: str
    subscription: str
    payment_period: str
    start: date | None
    end: date | None
    used: float | None
    total: float | None

    @property
    def percent_used(self) -> float | None:
        """Used of total in percent, one decimal; None without a total."""
        if self.used is None or not self.total:
            return None
        return round(100.0 * self.used / self.total, 1)


@dataclass(frozen=True)
class Deployment:
    name: str
    branch: str
    commit: str
    author: str
    built: datetime | None


@dataclass(frozen=True)
class AccountOverview:
    """The account section: what could be read of credits, the period and the deployment (None where it failed)."""

    days: list[CreditDay] | None
    chart: dict[str, Any] | None
    company: CompanyCredits | None
    deployment: Deployment | None


# --- pure normalisers ----------------------------------------------------------------------------------
def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(_text(value)[:10])
    except ValueError:
        return None


def normalize_user(raw: dict) -> AloomaUser:
    return AloomaUser(email=_text(raw.get("email")) or "?", first_name=_text(raw.get("first_name")),
                      last_name=_text(raw.get("last_name")), pending=raw.get("isPending") is True)


def normalize_users(raw: list[dict]) -> list[AloomaUser]:
    """Every user, active ones first, then by email."""
    return sorted((normalize_user(u) for u in raw), key=lambda u: (u.pending, u.email.lower()))


def credits_per_day(rows: list[dict], today: date, days: int = CREDIT_DAYS) -> list[CreditDay]:
    """One entry per day of the `days` ending today, oldest first: a day Alooma did not list used nothing, rows of
    one day (several instances) add up, rows outside the window or without a date or number are left out."""
    totals: dict[date, float] = defaultdict(float)
    for row in rows:
        day, value = _day(row.get("date")), _number(row.get("value"))
        if day is not None and value is not None:
            totals[day] += value
    first = today - timedelta(days=days - 1)
    return [CreditDay(d, round(totals.get(d, 0.0), 6), d == today)
            for d in (first + timedelta(days=i) for i in range(days))]


def credits_chart(days: list[CreditDay]) -> dict[str, Any]:
    """A bar per day; today's bar is lighter and labelled "so far"."""
    labels = [d.day.strftime("%b %d") + (" (so far)" if d.partial else "") for d in days]
    spec = bar(labels, [{"label": "credits used", "data": [d.credits for d in days],
                         "backgroundColor": [PARTIAL_COLOUR if d.partial else BAR_COLOUR for d in days]}],
               y_title="credits")
    spec["options"]["scales"]["y"]["ticks"] = {"precision": 1}  # credits are fractional
    return spec


def normalize_company(raw: dict) -> CompanyCredits:
    return CompanyCredits(
        company=_text(raw.get("company_name")) or "—", subscription=_text(raw.get("subscription_type")) or "—",
        payment_period=_text(raw.get("payment_period")) or "—", start=_day(raw.get("start_date")),
        end=_day(raw.get("end_date")), used=_number(raw.get("used_credits")), total=_number(raw.get("total_credits")))


def normalize_deployment(raw: dict) -> Deployment:
    return Deployment(name=_text(raw.get("deploymentName")) or "—", branch=_text(raw.get("gitBranch")) or "—",
                      commit=_text(raw.get("gitCommitId")) or "—", author=_text(raw.get("gitAuthorEmail")),
                      built=parse_time(raw.get("buildTimestamp")))


# --- reads -----------------------------------------------------------------------------------------------
class AloomaInventory:
    """Reads for the admin inventory; each returns records and raises PlatformError."""

    def __init__(self, service: Any) -> None:
        self.name = service.name
        self.client = service.client

    def users(self) -> Fetched[list[AloomaUser]]:
        return cached_read(self.name, "inventory:users", lambda: normalize_users(self.client.users()),
                           timeout=INVENTORY_TTL)

    def secret_names(self) -> Fetched[list[str]]:
        """The secrets' names, sorted (values exist only in Alooma)."""
        return cached_read(self.name, "inventory:secrets", lambda: sorted(self.client.secret_names(), key=str.lower),
                           timeout=INVENTORY_TTL)

    def credits(self, today: date | None = None) -> Fetched[list[CreditDay]]:
        """Credits per day over the last 30 days, today (UTC) last and partial."""
        today = today or datetime.now(timezone.utc).date()
        first = today - timedelta(days=CREDIT_DAYS - 1)
        return cached_read(self.name, f"inventory:credits:{today.isoformat()}", lambda: credits_per_day(
            self.client.used_credits(first.isoformat(), today.isoformat()), today), timeout=CREDITS_TTL)

    def company(self) -> Fetched[CompanyCredits]:
        return cached_read(self.name, "inventory:company", lambda: normalize_company(self.client.company_credits()),
                           timeout=CREDITS_TTL)

    def deployment(self) -> Fetched[Deployment]:
        return cached_read(self.name, "inventory:deployment", lambda: normalize_deployment(self.client.deploy_info()),
                           timeout=INVENTORY_TTL)
