"""The one rule for secrets (app.masking): which keys count, how configurations, audit parameters and remembered
run values are masked."""
from __future__ import annotations

import json

import pytest

from app.api.serialize import to_json
from app.audit import REDACTED, redact
from app.masking import MASK, looks_secret, masked_configuration
from app.platforms.run_memory import shareable


@pytest.mark.parametrize("key", ["password", "awsSecretAccessKey", "awsAccessKeyId", "oauth2", "token", "apiKey",
                                 "private_key", "credentials", "authToken", "Authorization", "sshKey", "passwd"])
def test_every_secret_looking_key_is_masked(key):
    """Is each key that looks like a credential masked, whatever its spelling?"""
    (entry,) = masked_configuration({key: "s3cr3t-value"})
    assert entry.value == MASK and entry.masked


@pytest.mark.parametrize("key", ["host", "username", "database", "schema", "port", "sinkType", "region"])
def test_ordinary_keys_are_shown(key):
    """Are ordinary configuration keys left readable?"""
    assert not looks_secret(key)
    (entry,) = masked_configuration({key: "value"})
    assert entry.value == "value" and not entry.masked


def test_secrets_nested_or_inside_urls_are_masked_too():
    """Are secret keys inside a nested value and the password in a URL masked, other values kept?"""
    config = masked_configuration({"extra": {"password": "p4ss", "host": "h"}, "asText": '{"secretKey": "p4ss"}',
                                   "jdbcUrl": "postgres://loader:p4ss@db.example.com/x", "port": 5439})
    values = {e.key: e.value for e in config}
    assert "p4ss" not in json.dumps(to_json(config))
    assert json.loads(values["extra"]) == {"host": "h", "password": MASK}
    assert json.loads(values["asText"]) == {"secretKey": MASK}
    assert values["jdbcUrl"] == f"postgres://{MASK}@db.example.com/x" and values["port"] == "5439"


def test_an_unset_secret_reads_as_unset():
    """Does an empty secret show as unset rather than as a mask (so a reader can tell it is missing)?"""
    (entry,) = masked_configuration({"password": ""})
    assert entry.value == "—" and entry.masked


def test_audit_parameters_and_remembered_values_follow_the_same_rule():
    """Are audit parameters redacted, and secret-looking run values forgotten, by the same rule?"""
    kept = redact({"name": "q1", "api_key": "k", "nested": [{"client_secret": "s"}], "url": "https://u:p@h/x"})
    assert kept == {"name": "q1", "api_key": REDACTED, "nested": [{"client_secret": REDACTED}],
                    "url": f"https://{REDACTED}@h/x"}
    assert shareable({"@n_trees": "50", "@db_password": "x", "@token": "t"}) == {"@n_trees": "50"}
