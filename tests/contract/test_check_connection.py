"""Test connection on every platform: one authenticated read against its emulator, the failure named when it fails."""
from __future__ import annotations

import pytest

from app.connections import registry

EMULATORS = {"aac-main": "emulator", "server-main": "server_emulator", "ts-main": "teamstudio_emulator",
             "v6-main": "vantage6_emulator", "alooma-key": "alooma_emulator"}


@pytest.mark.parametrize("name", EMULATORS)
def test_check_connection_says_what_answered(security_app, name):
    """Does check_connection sign in and read, answering ok with a latency and what answered?"""
    with security_app.test_request_context():
        health = registry().service(name).check_connection()
    assert health.ok and health.connection == name and health.latency_ms > 0
    assert "answered" in health.message or "signed in" in health.message


@pytest.mark.parametrize("name", EMULATORS)
def test_check_connection_names_a_platform_failure(security_app, request, name):
    """Does a platform answering 500 to every call make the check fail with the kind and the reason, not raise?"""
    emulator = request.getfixturevalue(EMULATORS[name])
    emulator.faults(fail_next={"count": 50, "status": 500})
    with security_app.test_request_context():
        health = registry().service(name).check_connection()
    assert not health.ok and health.message.startswith("unavailable: ")
