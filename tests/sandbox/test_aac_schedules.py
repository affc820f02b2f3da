"""AAC emulator schedules: paging, filters, sort, shapes, 404 body, enable/disable, /scheduling/v1 alias."""
from __future__ import annotations

import pytest


def _schedules(api, **params):
    response = api.get(f"{api.base}/v4/schedules", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _asset(schedule: dict) -> dict:
    return next(iter(schedule["tasks"][0].values()))


def test_default_page_is_ten_without_count(api):
    """Does a bare list answer 10 schedules and no count?"""
    body = _schedules(api)
    assert len(body["data"]) == 10
    assert "count" not in body


def test_include_count_adds_total(api):
    """Does includeCount=true add the total of 25 seeded schedules?"""
    assert _schedules(api, includeCount="true")["count"] == 25


def test_limit_and_offset_page_through_all(api):
    """Do limit/offset pages cover every schedule exactly once?"""
    ids = [s["id"] for offset in range(0, 25, 7) for s in _schedules(api, limit=7, offset=offset)["data"]]
    assert len(ids) == 25 == len(set(ids))


@pytest.mark.parametrize("limit", [0, 1001, "ten"])
def test_limit_out_of_range_is_400(api, limit):
    """Is a limit outside 1..1000 (or not a number) a 400 ValidationFailed?"""
    response = api.get(f"{api.base}/v4/schedules", params={"limit": limit})
    assert response.status_code == 400
    assert response.json()["exception"]["name"] == "ValidationFailed"


def test_count_endpoint_matches_filter(api):
    """Does /v4/schedules/count agree with includeCount under the same filter?"""
    count = api.get(f"{api.base}/v4/schedules/count", params={"taskTypeFilter": "runPlan"}).json()["count"]
    assert count == _schedules(api, taskTypeFilter="runPlan", includeCount="true")["count"] > 0


def test_filter_matches_task_asset_name(api):
    """Does filter match the task's asset name, case-insensitively?"""
    name = _asset(_schedules(api, limit=1)["data"][0])["name"]
    found = _schedules(api, filter=name.upper(), limit=100)["data"]
    assert found and all(name.lower() in _asset(s)["name"].lower() for s in found)


def test_task_type_filter(api):
    """Does taskTypeFilter=runWorkflow keep only workflow tasks?"""
    found = _schedules(api, taskTypeFilter="runWorkflow", limit=100)["data"]
    assert found and all(list(s["tasks"][0]) == ["runWorkflow"] for s in found)


def test_sort_by_name_descending(api):
    """Does sort=-name order names descending?"""
    names = [s["name"].lower() for s in _schedules(api, sort="-name", limit=100)["data"]]
    assert names == sorted(names, reverse=True)


def test_unknown_sort_field_is_400(api):
    """Is sorting by an unsupported field refused?"""
    assert api.get(f"{api.base}/v4/schedules", params={"sort": "colour"}).status_code == 400


def test_schedule_shape(api):
    """Do schedules carry triggers with a timezone, tasks with an embedded asset, and a creator object?"""
    for schedule in _schedules(api, limit=100)["data"]:
        assert {"id", "name", "enabled", "disableReason", "triggers", "tasks", "createdAt", "updatedAt",
                "createdBy", "updatedBy", "creator"} <= set(schedule)
        assert {"id", "email", "name"} <= set(schedule["creator"])
        for trigger in schedule["triggers"]:
            assert "timeBased" in trigger or trigger["fileWatcher"]["eventType"] == "ONCHANGE"
            if "timeBased" in trigger:
                assert trigger["timeBased"]["timezone"]
        assert {"id", "name"} <= set(_asset(schedule))


def test_world_has_quartz_crons_watchers_disabled_and_never_run(api):
    """Does the seeded world hold Quartz crons, file watchers, disabled schedules and never-fired triggers?"""
    data = _schedules(api, limit=100)["data"]
    triggers = [t for s in data for t in s["triggers"]]
    crons = [t["timeBased"]["cron"]["expression"] for t in triggers if "cron" in t.get("timeBased", {})]
    assert crons and all(len(c.split()) in (6, 7) and "?" in c for c in crons)
    assert sum("fileWatcher" in t for t in triggers) >= 3
    assert any(not s["enabled"] and s["disableReason"] for s in data)
    assert any("lastExecutionTime" in t for t in triggers)
    assert any("timeBased" in t and "lastExecutionTime" not in t for t in triggers)
    assert {"runPlan", "runFlow", "runWorkflow"} == {k for s in data for k in s["tasks"][0]}
    assert any("<script>alert(1)</script>" in s["name"] for s in data)


def test_unknown_schedule_is_404_with_body(api):
    """Does an unknown id answer 404 with AAC's exception body?"""
    response = api.get(f"{api.base}/v4/schedules/999999")
    assert response.status_code == 404
    assert response.json()["exception"]["name"] == "NotFound"
    assert "999999" in response.json()["exception"]["message"]


def test_disable_then_enable(api):
    """Does disable set enabled false with a reason, and enable clear it again?"""
    schedule_id = next(s["id"] for s in _schedules(api, limit=100)["data"] if s["enabled"])
    disabled = api.post(f"{api.base}/v4/schedules/{schedule_id}/disable", json={})
    assert disabled.status_code == 200
    assert (disabled.json()["enabled"], disabled.json()["disableReason"]) == (False, "Disabled by user")
    enabled = api.post(f"{api.base}/v4/schedules/{schedule_id}/enable", json={}).json()
    assert (enabled["enabled"], enabled["disableReason"]) == (True, None)
    assert api.get(f"{api.base}/v4/schedules/{schedule_id}").json()["enabled"] is True


def test_scheduling_v1_alias_answers_the_same(api):
    """Does /scheduling/v1/schedules answer what /v4/schedules answers?"""
    alias = api.get(f"{api.base}/scheduling/v1/schedules", params={"limit": 5}).json()
    assert alias == _schedules(api, limit=5)


def test_plan_schedules_lists_schedules_of_that_plan(api):
    """Does /v4/plans/{id}/schedules list exactly the schedules running that plan?"""
    schedule = _schedules(api, taskTypeFilter="runPlan", limit=1)["data"][0]
    plan_id = schedule["tasks"][0]["runPlan"]["planId"]
    found = api.get(f"{api.base}/v4/plans/{plan_id}/schedules").json()["data"]
    assert schedule["id"] in {s["id"] for s in found}
    assert all(s["tasks"][0]["runPlan"]["planId"] == plan_id for s in found)
