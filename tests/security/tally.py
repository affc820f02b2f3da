"""Tally: one check's tries and failures, printed as the suite's `name: N tried, M failed` summary line."""
from __future__ import annotations


class Tally:
    """One check's count of tries and what failed, printed as one summary line."""

    def __init__(self, name: str) -> None:
        self.name, self.tried, self.failed = name, 0, []

    def check(self, ok: bool, what: str) -> None:
        self.tried += 1
        if not ok:
            self.failed.append(what)

    def line(self) -> str:
        return f"{self.name}: {self.tried} tried, {len(self.failed)} failed"
