"""The hostile seed: XSS and template-injection payloads in a world's free-text fields, each carrying a marker."""
from __future__ import annotations

import dataclasses
import itertools
from typing import Any, Iterator, Mapping

# Every payload element carries class="xss-probe" and an id xss-<emulator>-<n>-<kind> (n numbers the field), so a
# page that turned one into a real element is caught by a selector even when the Content-Security-Policy stops it
# from running; an alert shows the field's number.
MARKER = "xss-probe"
PAYLOADS: tuple[tuple[str, str], ...] = (
    ("script", '<script class="xss-probe" id="xss-{tag}-script">alert({n})</script>'),
    ("img", '"><img src=x class="xss-probe" id="xss-{tag}-img" onerror=alert({n})>'),
    ("svg", '<svg class="xss-probe" id="xss-{tag}-svg" onload=alert({n})>'),
    # evaluated by a template engine this reads xss-<emulator>-<n>-tpl=49
    ("tpl", "xss-{tag}-tpl={{{{7*7}}}}"),
    # breaks out of a <script type="application/json"> chart block unless < is escaped there
    ("json", '</script><script class="xss-probe" id="xss-{tag}-json">alert({n})</script>'),
    # breaks out of a single-quoted attribute
    ("attr", "' class='xss-probe' id='xss-{tag}-attr' onmouseover='alert({n})"),
)
# Fields name entity classes and their free-text attributes; each emulator declares its own (HOSTILE_FIELDS).
HostileFields = Mapping[type, tuple[str, ...]]


def probe(text: str, key: str, n: int) -> str:
    """text with every payload appended, led by a javascript: URL so a field that becomes a link is one."""
    payloads = " ".join(template.format(n=n, tag=f"{key}-{n}") for _, template in PAYLOADS)
    return f"javascript:alert({n})//{text} {payloads}"


def entities(root: Any) -> Iterator[Any]:
    """Every dataclass instance reachable from root through fields, dicts, lists, tuples and sets, once each."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            yield item
            stack.extend(reversed([getattr(item, f.name) for f in dataclasses.fields(item)]))
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(reversed(list(item)))


def _poisoned(value: Any, key: str, counter: Iterator[int]) -> Any:
    """value with each string in it probed (dict values and list items too; keys stay, so shapes stay)."""
    if isinstance(value, str):  # empty text means "none" (no error, a healthy operator) and stays so
        return value if not value or MARKER in value else probe(value, key, next(counter))
    if isinstance(value, dict):
        return {name: _poisoned(item, key, counter) for name, item in value.items()}
    if isinstance(value, list):
        return [_poisoned(item, key, counter) for item in value]
    return value  # None, numbers, bytes and times are not free text


def make_hostile(world: Any, fields: HostileFields, key: str) -> int:
    """Probe every declared free-text field of every entity in world, in place; returns how many strings changed.

    Ids, statuses, types and lookup keys are never declared, so the platform's shapes stay valid. Strings that
    already carry a payload are left alone, so a second call changes nothing but entities made since. Entities
    change in place (the backend's indexes hold them), so a world must own what it declares: frozen classes are
    refused, being the kind a seed shares between worlds as templates.
    """
    frozen = [cls.__name__ for cls in fields if dataclasses.fields(cls) and cls.__dataclass_params__.frozen]
    if frozen:
        raise ValueError(f"frozen entities cannot be made hostile: {', '.join(frozen)}")
    counter = itertools.count(1)
    for entity in entities(world):
        for name in fields.get(type(entity), ()):
            setattr(entity, name, _poisoned(getattr(entity, name), key, counter))
    return next(counter) - 1
