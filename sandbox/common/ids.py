"""Seeded, deterministic ids, uuids and names, so one seed always builds the same world."""
from __future__ import annotations

import random
import uuid

ADJECTIVES = (
    "Nightly", "Hourly", "Weekly", "Monthly", "Daily", "Quarterly", "Core", "Regional", "Global",
    "Customer", "Finance", "Sales", "Marketing", "Inventory", "Supply", "Retail", "Churn", "Risk",
)
NOUNS = (
    "Orders", "Revenue", "Returns", "Leads", "Forecast", "Ledger", "Shipments", "Payroll", "Campaigns",
    "Stock", "Invoices", "Claims", "Sessions", "Accounts", "Pricing", "Suppliers", "Tickets", "Events",
)
SUFFIXES = ("ETL", "rollup", "refresh", "cleanse", "load", "sync", "export", "merge", "report", "prep")


def seeded_uuid4(rng: random.Random) -> str:
    """A version-4 uuid drawn from rng rather than the OS, so it repeats for the same seed."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def asset_name(rng: random.Random) -> str:
    """A plausible data-asset name such as 'Nightly Orders ETL'."""
    return f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(SUFFIXES)}"


def ulid_like(rng: random.Random) -> str:
    """A 26-character Crockford base32 id shaped like the ULIDs AAC uses for workspace gids."""
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    return "".join(rng.choice(alphabet) for _ in range(26))


def run_rng(seed: int, kind: str, run_id: int) -> random.Random:
    """A private random source per run, so a run's fate depends only on seed and id, not on call order."""
    return random.Random(f"{seed}:{kind}:{run_id}")
