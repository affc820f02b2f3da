"""Alooma's pipeline page: the flow with stats, output and Restream Queue, Start restream, input sleep time."""
from __future__ import annotations

import os
import re

import pytest
import requests

from tests.helpers import audit_rows, csrf_from, post_form

PIPELINE = "/alooma/alooma-main/pipeline"
RESTREAM = "/alooma/alooma-main/pipeline/restream"


def _rest(emulator, method: str, path: str, **kwargs):
    """Alooma's own REST API with the API key, to see what the emulator holds."""
    response = requests.request(method, f"{emulator.url}/rest/{path}", timeout=5,
                                headers={"authorization": f"API {os.environ['ALOOMA_KEY_API_KEY']}"}, **kwargs)
    response.raise_for_status()
    return response.json() if response.content else None


def _sleep_url(input_id: str) -> str:
    return f"/alooma/alooma-main/inputs/{input_id}/sleep-time"


def _an_active_input(emulator) -> str:
    state = emulator.state()
    nodes = _rest(emulator, "GET", "inputs").values()
    return next(n["id"] for n in nodes if n["id"] != state["inputInError"]["id"] and n["id"] not in state["pausedInputs"])


@pytest.mark.parametrize("role", ["viewer", "operator", "admin"])
@pytest.mark.parametrize("connection", ["alooma-main", "alooma-key"])
def test_the_pipeline_page_answers_every_role(alooma_client_as, role, connection):
    """Does the pipeline page render for each role on both connections, without a banner, its tab lit?"""
    response = alooma_client_as(role).get(f"/alooma/{connection}/pipeline")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "banner-error" not in page
    assert re.search(rf'href="/alooma/{connection}/pipeline" aria-current="page">Pipeline<', page)


def test_the_tab_shows_on_the_other_alooma_pages(alooma_client_as):
    """Is the Pipeline tab offered to a viewer from the schedules page?"""
    page = alooma_client_as("viewer").get("/alooma/alooma-main/schedules").get_data(as_text=True)
    assert 'href="/alooma/alooma-main/pipeline"' in page


def test_the_flow_shows_every_stage_with_its_stats(alooma_client_as, alooma_emulator):
    """Does the flow draw inputs, Restream Queue, Code Engine, Mapper and output with events/s and latency?"""
    page = alooma_client_as("viewer").get(PIPELINE).get_data(as_text=True)
    flow = page.split('class="pipeline-flow"', 1)[1].split("pipeline-cards", 1)[0]
    for words in ("Salesforce", "Shop MySQL", "Restream Queue", "Code Engine", "Mapper", "Snowflake",
                  "CONNECTION_SUCCESSFUL", "1 in error"):
        assert words in flow, words
    assert len(re.findall(r"events/s\s*· \d+ ms", flow)) >= 12  # eight inputs, restream, two processors, output
    shown = int(re.search(r"([\d,]+) events held", flow).group(1).replace(",", ""))
    assert abs(shown - alooma_emulator.state()["restream"]["held"]) <= 10  # it fills by a few events a minute


def test_inputs_list_state_times_errors_and_sleep_time(alooma_client_as, alooma_emulator):
    """Does the inputs table give each input's state, last success, next pull, error and sleep time?"""
    page = alooma_client_as("viewer").get(PIPELINE).get_data(as_text=True)
    table = page.split('id="inputs"', 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S)
    assert len(rows) == 8
    salesforce = next(r for r in rows if "Salesforce" in r)
    assert "badge-failed" in salesforce and "INVALID_SESSION_ID" in salesforce and "900 s" in salesforce
    assert "<time" in salesforce and "15 min 00 s" in salesforce
    assert any("badge-off\">paused" in r for r in rows)
    assert 'name="q" value=""' in page  # the search box starts empty
    assert "/sleep-time" not in page  # a viewer is offered no change


def test_the_output_card_masks_its_password_everywhere(alooma_client_as, alooma_emulator):
    """Is the output's configuration shown with its password masked, on the page and in the JSON twin?"""
    stored = next(n for n in _rest(alooma_emulator, "GET", "plumbing/")["nodes"] if n["category"] == "OUTPUT")
    password = stored["configuration"]["password"]
    client = alooma_client_as("admin")
    page = client.get(PIPELINE).get_data(as_text=True)
    body = client.get(PIPELINE + ".json").get_data(as_text=True)
    assert password not in page and password not in body
    assert "ALOOMA_LOADER" in page and "**********" in page and "**********" in body


def test_a_failed_output_connection_shows_its_message(alooma_client_as, alooma_emulator):
    """When the output cannot connect, are CONNECTION_FAILED and Alooma's message on the page?"""
    requests.post(f"{alooma_emulator.url}/_sandbox/alooma/output", timeout=5,
                  json={"connected": False, "message": "Warehouse LOAD_WH is suspended"}).raise_for_status()
    page = alooma_client_as("viewer").get(PIPELINE).get_data(as_text=True)
    assert "CONNECTION_FAILED" in page and "Warehouse LOAD_WH is suspended" in page


def test_the_json_twin_holds_the_flow(alooma_client_as, alooma_emulator):
    """Does pipeline.json give inputs with sleep times, the queue with its share used, and the output's state?"""
    body = alooma_client_as("viewer").get(PIPELINE + ".json").get_json()["pipeline"]
    assert len(body["inputs"]) == 8 and all(i["sleep_seconds"] for i in body["inputs"])
    assert body["restream"]["node_id"] == alooma_emulator.state()["restream"]["nodeId"]
    assert 0 < body["restream"]["percent_used"] < 100 and body["restream"]["start_refusal"] is None
    assert body["output"]["connected"] is True and body["code_engine"]["name"] == "Code Engine"


def test_the_inputs_table_searches_and_filters_by_state(alooma_client_as):
    """Do the search box and the state filter narrow the inputs table?"""
    client = alooma_client_as("viewer")
    failed = client.get(PIPELINE + "?state=failed").get_data(as_text=True).split('id="inputs"', 1)[1]
    assert "Salesforce" in failed and "Shop MySQL" not in failed
    found = client.get(PIPELINE + "?q=mysql").get_data(as_text=True).split('id="inputs"', 1)[1]
    assert "Shop MySQL" in found and "Billing Postgres" not in found
    none = client.get(PIPELINE + "?q=no-such-input").get_data(as_text=True)
    assert "No inputs match." in none


@pytest.mark.parametrize("fault", [{"fail_next": {"count": 200, "status": 500}}, {"malformed_next": {"count": 200}}])
@pytest.mark.parametrize("url", [PIPELINE, RESTREAM, "/alooma/alooma-main/inputs/abc123/sleep-time"])
def test_a_failing_platform_is_a_banner(alooma_client_as, alooma_emulator, fault, url):
    """When Alooma fails or answers garbage, does each page render with a banner and no action form?"""
    client = alooma_client_as("operator")
    client.get("/alooma/alooma-main/schedules")  # signed in before the fault
    alooma_emulator.faults(**fault)
    response = client.get(url)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "banner-error" in page
    assert 'type="submit" class="primary"' not in page


def test_the_json_twin_of_a_failing_platform_is_a_json_error(alooma_client_as, alooma_emulator):
    """Is pipeline.json a JSON error body (not an HTML page) when Alooma fails?"""
    alooma_emulator.faults(fail_next={"count": 200, "status": 500})
    response = alooma_client_as("viewer").get(PIPELINE + ".json")
    assert response.status_code >= 500 and "server error (500)" in response.get_json()["error"]["message"]


# --- Start restream --------------------------------------------------------------------------------------
def test_a_viewer_cannot_start_a_restream(alooma_client_as, alooma_emulator):
    """Is a viewer refused the confirm page and the POST, shown no button, and nothing started?"""
    client = alooma_client_as("viewer")
    token = csrf_from(client.get(PIPELINE).get_data(as_text=True))
    assert client.get(RESTREAM).status_code == 403
    assert client.post(RESTREAM, data={"csrf_token": token}).status_code == 403
    assert RESTREAM not in client.get(PIPELINE).get_data(as_text=True)
    assert not alooma_emulator.state()["restream"]["streaming"]


def test_start_restream_asks_first_then_streams_and_audits(alooma_client_as, alooma_app, alooma_emulator):
    """Does Start restream confirm, then set the queue streaming in Alooma, flash and audit restream_start?"""
    client = alooma_client_as("operator")
    assert RESTREAM in client.get(PIPELINE).get_data(as_text=True)
    confirm = client.get(RESTREAM).get_data(as_text=True)
    assert "Start restream</button>" in confirm and "events held" in confirm.lower()
    assert not alooma_emulator.state()["restream"]["streaming"]  # the confirm page sent nothing
    response = post_form(client, RESTREAM)
    assert response.status_code == 302 and response.headers["Location"].endswith(PIPELINE)
    assert alooma_emulator.state()["restream"]["streaming"]
    (event,) = audit_rows(alooma_app, "restream_start")
    assert event.outcome == "ok" and event.object_id == alooma_emulator.state()["restream"]["nodeId"]
    assert '"held"' in event.params
    page = client.get(PIPELINE).get_data(as_text=True)
    assert "Restream started" in page and "badge-running\">streaming" in page


def test_a_running_restream_is_not_started_again(alooma_client_as, alooma_app, alooma_emulator):
    """With a restream running, does the confirm page say so without a button, and a POST send nothing?"""
    client = alooma_client_as("operator")
    post_form(client, RESTREAM)
    notices = alooma_emulator.state()["notices"]
    confirm = client.get(RESTREAM).get_data(as_text=True)
    assert "already running" in confirm and "Start restream</button>" not in confirm
    response = client.post(RESTREAM, data={"csrf_token": csrf_from(confirm)})
    assert response.status_code == 302
    assert [e.outcome for e in audit_rows(alooma_app, "restream_start")] == ["ok", "refused"]
    assert alooma_emulator.state()["notices"] == notices
    assert "Nothing was sent." in client.get(PIPELINE).get_data(as_text=True)


def test_an_empty_queue_is_not_restreamed(alooma_client_as, alooma_app, alooma_emulator):
    """With nothing held, does the confirm page say the queue is empty, and a POST send nothing?"""
    _rest(alooma_emulator, "POST", "plumbing/purge/restream")
    client = alooma_client_as("operator")
    assert RESTREAM not in client.get(PIPELINE).get_data(as_text=True)
    confirm = client.get(RESTREAM).get_data(as_text=True)
    assert "holds no events" in confirm and "Start restream</button>" not in confirm
    client.post(RESTREAM, data={"csrf_token": csrf_from(confirm)})
    (event,) = audit_rows(alooma_app, "restream_start")
    assert event.outcome == "refused" and "no events" in event.error
    assert not alooma_emulator.state()["restream"]["streaming"]


def test_a_restream_without_the_csrf_token_is_refused(alooma_client_as, alooma_emulator):
    """Is a POST without its CSRF token refused, and nothing started?"""
    response = alooma_client_as("operator").post(RESTREAM)
    assert response.status_code == 400 and not alooma_emulator.state()["restream"]["streaming"]


# --- input sleep time ------------------------------------------------------------------------------------
def test_a_viewer_cannot_change_a_sleep_time(alooma_client_as, alooma_emulator):
    """Is a viewer refused the sleep-time form and its POST?"""
    url = _sleep_url(_an_active_input(alooma_emulator))
    client = alooma_client_as("viewer")
    token = csrf_from(client.get(PIPELINE).get_data(as_text=True))
    assert client.get(url).status_code == 403
    assert client.post(url, data={"seconds": "60", "csrf_token": token}).status_code == 403


def test_operators_change_a_sleep_time_and_it_is_read_back(alooma_client_as, alooma_app, alooma_emulator):
    """Does the form show the current value, send the new one, audit old and new, and the page show it at once?"""
    input_id = _an_active_input(alooma_emulator)
    before = _rest(alooma_emulator, "GET", f"inputSleepTime/{input_id}")["inputSleepTime"]
    client = alooma_client_as("operator")
    pipeline = client.get(PIPELINE).get_data(as_text=True)  # warms the cache the change must drop
    assert _sleep_url(input_id) in pipeline
    form = client.get(_sleep_url(input_id)).get_data(as_text=True)
    assert f'value="{before:g}"' in form
    response = post_form(client, _sleep_url(input_id), seconds="1234.5")
    assert response.status_code == 302 and response.headers["Location"].endswith(PIPELINE)
    assert _rest(alooma_emulator, "GET", f"inputSleepTime/{input_id}")["inputSleepTime"] == 1234.5
    (event,) = audit_rows(alooma_app, "input_sleep_time")
    assert event.outcome == "ok" and event.object_id == input_id
    assert f'"old_seconds": {before}' in event.params and '"new_seconds": 1234.5' in event.params
    body = client.get(PIPELINE + ".json").get_json()["pipeline"]
    assert next(i for i in body["inputs"] if i["id"] == input_id)["sleep_seconds"] == 1234.5


@pytest.mark.parametrize("value, words", [
    ("", "Enter the sleep time in seconds"), ("soon", "number of seconds"), ("0", "more than 0 seconds"),
    ("-30", "more than 0 seconds"), ("2592001", "at most 30 days"), ("nan", "number of seconds"),
    ("inf", "number of seconds"),
])
def test_a_bad_sleep_time_is_refused_at_the_form(alooma_client_as, alooma_app, alooma_emulator, value, words):
    """Is a sleep time that is not a positive number of seconds up to 30 days refused with a clear message and
    nothing sent (no audit, the value unchanged)?"""
    input_id = _an_active_input(alooma_emulator)
    before = _rest(alooma_emulator, "GET", f"inputSleepTime/{input_id}")["inputSleepTime"]
    response = post_form(alooma_client_as("operator"), _sleep_url(input_id), seconds=value)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and words in page and "field-error" in page
    assert not audit_rows(alooma_app, "input_sleep_time")
    assert _rest(alooma_emulator, "GET", f"inputSleepTime/{input_id}")["inputSleepTime"] == before


@pytest.mark.parametrize("input_id", ["no-such-input", "bad%20id"])
def test_unknown_inputs_are_404(alooma_client_as, input_id):
    """Are an unknown and a malformed input id 404 pages on GET and POST?"""
    client = alooma_client_as("operator")
    token = csrf_from(client.get(PIPELINE).get_data(as_text=True))
    assert client.get(_sleep_url(input_id)).status_code == 404
    assert client.post(_sleep_url(input_id), data={"seconds": "60", "csrf_token": token}).status_code == 404
