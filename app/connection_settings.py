"""The settings a platform's connection takes, declared once per service class: the browser's connection form, its
checks and the admin pages all read them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

KINDS = ("text", "number", "url", "secret")


@dataclass(frozen=True)
class Setting:
    """One setting of a connection. A `secret` is stored encrypted and never shown again (only set or not set); in
    connections.toml it is named by environment variable as `<key>_env`."""

    key: str
    label: str
    kind: str = "text"
    required: bool = False
    help: str = ""
    placeholder: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"setting {self.key}: kind {self.kind!r} is not one of {KINDS}")


@dataclass(frozen=True)
class OneOf:
    """At least one group of settings must be complete, and a group begun must be finished (Server: the v3 key and
    secret, or the v1 key and secret, or both)."""

    groups: tuple[tuple[str, ...], ...]
    message: str


def ui_url_setting(platform_name: str) -> Setting:
    """The address of the platform's own pages, where it differs from the API's: every platform links there."""
    return Setting("ui_url", "UI address", "url",
                   help=f"Where links to {platform_name}'s own pages go; the base URL when empty.")


def settings_problems(settings: tuple[Setting, ...], rules: tuple[OneOf, ...],
                      present: Mapping[str, Any]) -> list[str]:
    """What is missing, in words; `present` maps each setting that has a value (a secret kept from before counts)."""
    by_key = {s.key: s for s in settings}
    problems = [f"{s.label} is required." for s in settings if s.required and not present.get(s.key)]
    for rule in rules:
        complete = [g for g in rule.groups if all(present.get(k) for k in g)]
        begun = [g for g in rule.groups if any(present.get(k) for k in g) and g not in complete]
        for group in begun:
            missing = ", ".join(by_key[k].label for k in group if not present.get(k))
            problems.append(f"{rule.message} Missing: {missing}.")
        if not complete and not begun:
            problems.append(rule.message)
    return problems
