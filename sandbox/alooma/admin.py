"""Account administration: repository, users, secrets (names only, values never leave), credits per day,
deployment info, settings, and the notifications feed."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from sandbox.alooma import notifications as feed
from sandbox.alooma.auth import user_json
from sandbox.alooma.base import BackendBase, require_object
from sandbox.alooma.errors import BadRequest, NotFound
from sandbox.alooma.metrics import unit
from sandbox.alooma.times import from_epoch_seconds
from sandbox.common.locking import locked

KEPT_DAYS = 90  # used-credits answers at most this many days back
LAST_EPOCH_SECOND = 253402300799  # 9999-12-31T23:59:59Z
LEVELS = {"info": "info", "warning": "warning", "warn": "warning", "error": "error"}


def parse_day(text: str | None, name: str) -> date | None:
    """'YYYY-MM-DD' or None; anything else is a 400."""
    if text in (None, ""):
        return None
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        raise BadRequest(f"{name} must be a date like 2018-10-24") from None


class AdminMixin(BackendBase):
    """repository, user/, secrets, credits/*, deployInfo, settings/, notifications."""

    @locked
    def repository(self) -> dict[str, Any]:
        """GET repository: the account name the client reads as config_clientName."""
        return {"config_clientName": self.world.account}

    @locked
    def users(self) -> list[dict[str, Any]]:
        """GET user/."""
        return [user_json(u) for u in self.world.users]

    @locked
    def secret_names(self) -> list[str]:
        """GET secrets: the names only."""
        return list(self.world.secrets)

    @locked
    def put_secrets(self, body: Any) -> None:
        """PUT secrets {name: value}: create or replace."""
        body = require_object(body, "Secrets")
        if not all(isinstance(k, str) and k and isinstance(v, str) for k, v in body.items()):
            raise BadRequest("Secrets must map names to string values")
        self.world.secrets.update(body)

    @locked
    def delete_secret(self, name: str) -> None:
        """DELETE secrets/{name}."""
        if self.world.secrets.pop(name, None) is None:
            raise NotFound(f"Secret {name} does not exist")

    def _credits(self, day: date, instance: int, now: datetime) -> float:
        base = float(self.world.credits["daily"]) * (1.0 if instance == 0 else 0.15)
        value = base * (0.6 if day.weekday() >= 5 else 1.0) * (0.7 + 0.6 * unit(self.seed, day.toordinal(), instance, 77))
        if day == now.date():
            value *= (now - datetime.combine(day, datetime.min.time(), now.tzinfo)) / timedelta(days=1)
        return round(value, 6)

    @locked
    def used_credits(self, from_text: str | None, to_text: str | None, all_text: str | None) -> list[dict[str, Any]]:
        """GET credits/used-credits[?from=&to=&all=]: credits per day (today's still growing), this account's or,
        with all=true, every instance of the company."""
        now = self.now()
        today, first_kept = now.date(), now.date() - timedelta(days=KEPT_DAYS - 1)
        start = max(parse_day(from_text, "from") or first_kept, first_kept)
        end = min(parse_day(to_text, "to") or today, today)
        names = [self.world.account] + (self.world.other_instances if str(all_text).lower() in ("true", "1") else [])
        rows = []
        for offset in range((end - start).days + 1):
            day = start + timedelta(days=offset)
            rows += [{"date": day.isoformat(), "instance_name": name, "value": self._credits(day, i, now)}
                     for i, name in enumerate(names)]
        return rows

    @locked
    def company_credits(self) -> dict[str, Any]:
        """GET credits/company: the period's totals (used credits summed over every instance since start_date)."""
        now, info = self.now(), self.world.credits
        start = date.fromisoformat(info["start_date"])
        used = sum(self._credits(start + timedelta(days=d), i, now) for d in range((now.date() - start).days + 1)
                   for i in range(1 + len(self.world.other_instances)))
        return {"company_name": info["company_name"], "payment_period": info["payment_period"],
                "start_date": info["start_date"], "subscription_type": info["subscription_type"],
                "total_credits": info["total_credits"], "used_credits": round(used, 6)}

    @locked
    def deploy_info(self) -> dict[str, Any]:
        """GET deployInfo."""
        return dict(self.world.deploy_info)

    @locked
    def settings(self) -> dict[str, Any]:
        """GET settings/ (the S3 retention's secret key is returned as stored, as the reference shows)."""
        return json.loads(json.dumps(self.world.settings))

    @locked
    def notifications(self, from_text: str | None) -> dict[str, list[dict[str, Any]]]:
        """GET notifications?from=<epoch seconds> (milliseconds are recognised); no `from`: the last day."""
        now = self.now()
        if from_text in (None, ""):
            since = now - timedelta(days=1)
        else:
            try:
                value = float(str(from_text))
            except ValueError:
                raise BadRequest("from must be an epoch time in seconds") from None
            seconds = value / 1000.0 if value > 1e11 else value
            if not 0 <= seconds <= LAST_EPOCH_SECOND:  # also refuses NaN
                raise BadRequest("from must be an epoch time in seconds")
            since = from_epoch_seconds(seconds)
        return {"messages": feed.notifications(self.world, self.seed, since, now)}

    @locked
    def custom_notification(self, body: Any) -> dict[str, Any]:
        """POST notifications/custom {"level", "description", "data"}: published now."""
        body = require_object(body, "The notification")
        level = LEVELS.get(str(body.get("level", "")).lower())
        text = body.get("description")
        if level is None or not isinstance(text, str) or not text:
            raise BadRequest("A custom notification needs level (INFO, WARNING or ERROR) and a description")
        data = body.get("data")
        detail = data if isinstance(data, str) or data is None else json.dumps(data)
        notice = self.world.add_notice(self.now(), "CUSTOM", level, text, [] if detail is None else [detail])
        notice.description = detail
        return feed.message(f"1+{notice.number}", notice.at, notice.type, notice.severity, notice.message,
                            notice.params, description=notice.description)
