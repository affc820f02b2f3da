"""The provider's seeded people: four named sandbox users (one per Flightdeck role, and one with none) and, in the
large world, a crowd of viewers; the same seed always builds the same subjects."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from sandbox.common.ids import seeded_uuid4

SIZES = ("small", "large")
LARGE_EXTRA_USERS = 50

# username, password, display name, groups: the README's "SSO" section lists these for `make run`
NAMED_USERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("ana", "ana-sandbox", "Ana Admin", ("flightdeck-admins", "staff")),
    ("omar", "omar-sandbox", "Omar Operator", ("flightdeck-operators", "staff")),
    ("vera", "vera-sandbox", "Vera Viewer", ("flightdeck-viewers",)),
    ("nobody", "nobody-sandbox", "Nobody Unmapped", ("staff",)),
)
# The role rules that map these groups, as `make run` sets FLIGHTDECK_SSO_ROLE_RULES.
ROLE_RULES = "groups:flightdeck-admins=admin,groups:flightdeck-operators=operator,groups:flightdeck-viewers=viewer"
EMAIL_DOMAIN = "sso.sandbox.test"


@dataclass
class Person:
    """One account at the provider; `sub` never changes, groups can (POST /_sandbox/oidc/users)."""

    sub: str
    username: str
    password: str
    name: str
    email: str
    groups: list[str] = field(default_factory=list)

    def get_user_id(self) -> str:
        """authlib asks the resource owner for its id."""
        return self.sub


def build_people(seed: int, size: str) -> dict[str, Person]:
    """The people of a world, by username."""
    rng = random.Random(f"{seed}:oidc:people")
    people = {name: Person(seeded_uuid4(rng), name, password, display, f"{name}@{EMAIL_DOMAIN}", list(groups))
              for name, password, display, groups in NAMED_USERS}
    if size == "large":
        for index in range(1, LARGE_EXTRA_USERS + 1):
            name = f"user{index:03d}"
            people[name] = Person(seeded_uuid4(rng), name, f"{name}-sandbox", f"User {index}",
                                  f"{name}@{EMAIL_DOMAIN}", ["flightdeck-viewers", "staff"])
    return people
