"""What the session panel says about the Team Studio instance: its version, its licence, the signed-in account."""
from __future__ import annotations

from datetime import date
from typing import Any

from app.platforms.records import InstanceFact

USER_TYPES = (("analytics_developer", "Analytics developers"), ("data_analyst", "Data analysts"),
              ("collaborator", "Collaborators"), ("business_user", "Business users"))


def license_facts(licence: dict[str, Any], today: date) -> list[InstanceFact]:
    """The licence's expiry and its seat limits per application role, with a warning on what needs action."""
    facts = []
    expires = str(licence.get("expires") or "")
    expired = bool(licence.get("expired")) or _before(expires, today)
    facts.append(InstanceFact("Licence expires", (expires or "never") + (" (expired)" if expired else ""), expired))
    for key, label in USER_TYPES:
        if key in licence:
            full = bool(licence.get(f"{key}_limit_reached"))
            facts.append(InstanceFact(f"{label} allowed", f"{licence[key]}" + (" (limit reached)" if full else ""),
                                      full))
    if "admins" in licence:
        facts.append(InstanceFact("Admins allowed", str(licence["admins"])))
    if licence.get("users_license_limit_reached"):
        facts.append(InstanceFact("Users", "the licence's user limit is reached", True))
    return facts


def account_fact(user: dict[str, Any]) -> InstanceFact:
    """The signed-in service account: name, username and whether it administers the instance."""
    name = " ".join(str(user.get(k) or "") for k in ("first_name", "last_name")).strip()
    username = str(user.get("username") or "?")
    role = "application admin" if user.get("admin") else str(user.get("user_type") or "user").replace("_", " ")
    return InstanceFact("Signed in as", f"{name} ({username}), {role}" if name else f"{username}, {role}")


def _before(text: str, today: date) -> bool:
    try:
        return date.fromisoformat(text[:10]) < today
    except ValueError:
        return False
