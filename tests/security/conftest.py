"""Fixtures of the security suite: the five emulators behind security_app, and Chromium for the page checks."""
from __future__ import annotations

import pytest

from tests.browser.conftest import browser_page  # noqa: F401  (a fixture, shared with tests/browser)
from tests.helpers import Emulator


@pytest.fixture
def emulators(emulator, server_emulator, teamstudio_emulator, vantage6_emulator, alooma_emulator) -> list[Emulator]:
    """The emulators behind security_app's connections (the same reset instances)."""
    return [emulator, server_emulator, teamstudio_emulator, vantage6_emulator, alooma_emulator]
