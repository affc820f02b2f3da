"""Every cross-platform page with one connection slow past its deadline or answering garbage: the page still
answers 200 within about the deadline, names the connection in a banner and shows the healthy platform."""
from __future__ import annotations

import time

import pytest

PAGES = ["/", "/schedules", "/runs", "/workflows", "/failing", "/upcoming"]
DEADLINE = 1.5


@pytest.fixture
def viewer(mixed_client_as):
    return mixed_client_as("viewer")


@pytest.mark.parametrize("url", PAGES)
def test_a_connection_slower_than_the_deadline(url, viewer, mixed_app, server_emulator):
    """Does the page come back within about the deadline, saying which connection did not answer in time?"""
    mixed_app.config["FANOUT_DEADLINE"] = DEADLINE
    server_emulator.faults(latency_ms={"*": 4000})
    started = time.perf_counter()
    response = viewer.get(url)
    elapsed = time.perf_counter() - started
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and elapsed < DEADLINE + 1.5
    assert f"no answer within {DEADLINE:g} s" in page and 'class="banner' in page
    # AAC has no failing schedule, so the failing page can only say nothing fails among those that answered
    assert ("among the connections that answered" if url == "/failing" else "Alteryx Analytics Cloud") in page


@pytest.mark.parametrize("url", PAGES)
def test_a_connection_answering_garbage(url, viewer, emulator):
    """Is a connection whose bodies are not JSON a banner naming the cause, with the other platform still shown?"""
    emulator.faults(malformed_next={"count": 500})
    response = viewer.get(url)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="banner' in page and "not JSON" in page
    assert "Alteryx Server" in page
