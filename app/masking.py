"""What counts as a secret and how it is hidden: one rule for audit parameters, remembered run values and the
platform configurations pages show (an Alooma output's password, say).

A value is secret when its key looks like a credential (password, secret, token, API or access key, private
key, authorization, OAuth grant, session id); a URL's user and password are hidden wherever they appear in text.
The rule errs on the side of hiding: a masked harmless value costs a reader little, a shown password costs a rotation.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Mapping

MASK = "**********"  # Alooma's own mask in its reference examples
# a session id signs in too; a PKCE code verifier (authlib logs it at DEBUG) finishes a sign-in
SECRET_NAME = re.compile(r"pass(word|wd)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|ssh[_-]?key|"
                         r"authori[sz]ation|credential|oauth|session[_-]?id|verifier", re.I)
URL_USERINFO = re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/@\s]+@", re.I)  # scheme://user:password@host


def looks_secret(name: Any) -> bool:
    """Whether a key's name looks like a credential's."""
    return bool(SECRET_NAME.search(str(name)))


def mask_secrets(value: Any, mask: str = MASK) -> Any:
    """A copy of a nested value with every secret-looking key's value replaced by `mask` (empty ones stay empty,
    so a reader can tell "not set") and every URL's user and password hidden."""
    if isinstance(value, dict):
        return {k: (mask if looks_secret(k) and v not in (None, "") else mask_secrets(v, mask))
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_secrets(v, mask) for v in value]
    if isinstance(value, str):
        return URL_USERINFO.sub(rf"\g<1>{mask}@", value)
    return value


@dataclass(frozen=True)
class ConfigEntry:
    """One configuration value as text, and whether anything in it was masked."""

    key: str
    value: str
    masked: bool


def mask_entry(key: str, value: Any) -> ConfigEntry:
    """A configuration value as text with its secrets masked; JSON kept as text (an S3 input's file format, say)
    is read so that secrets inside it are masked too."""
    if looks_secret(key):
        return ConfigEntry(key, MASK if value not in (None, "") else "—", True)
    if isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
        try:
            value = json.loads(value)
        except ValueError:
            pass
    if isinstance(value, (dict, list)):
        masked = mask_secrets(value)
        return ConfigEntry(key, json.dumps(masked, sort_keys=True, default=str), masked != value)
    text = "—" if value is None else str(value)
    hidden = mask_secrets(text)
    return ConfigEntry(key, hidden, hidden != text)


def masked_configuration(config: Mapping[str, Any]) -> tuple[ConfigEntry, ...]:
    """Every entry of a configuration by key, secrets masked: the only form a configuration should leave a
    service in."""
    return tuple(mask_entry(str(key), config[key]) for key in sorted(config, key=lambda k: str(k).lower()))
