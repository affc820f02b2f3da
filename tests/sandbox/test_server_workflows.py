"""Server emulator workflows: v1 subscription listing, v3 listing and views, questions in v1 and v3 shape."""
from __future__ import annotations

import re

from tests.sandbox.server_helpers import ONE_OF_EACH, RUN_DISABLED, workflow_named

HEX24 = re.compile(r"^[0-9a-f]{24}$")
ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
V1_WORKFLOW = {"id", "subscriptionId", "public", "runDisabled", "packageType", "uploadDate", "fileName", "isChained",
               "version", "runCount", "workerTag", "isE2", "metaInfo"}
META = {"name", "description", "author", "copyright", "url", "urlText", "outputMessage", "noOutputFilesMessage"}
REDUCED = ["id", "sourceAppId", "name", "ownerId", "dateCreated", "publishedVersionNumber", "isAmp", "executionMode"]


def _v1(gallery, **params):
    response = gallery.get(f"{gallery.base}/workflows/subscription/", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_v1_subscription_list_shape(gallery):
    """Is the v1 list a bare array of Workflow objects with server.md §1.3's fields?"""
    workflows = _v1(gallery)
    assert isinstance(workflows, list) and len(workflows) >= 15
    for w in workflows:
        assert set(w) == V1_WORKFLOW and set(w["metaInfo"]) == META
        assert HEX24.match(w["id"]) and ISO_MS.match(w["uploadDate"]) and w["packageType"] == 0
        assert w["fileName"].endswith((".yxwz", ".yxmd"))


def test_v1_list_is_newest_upload_first_by_default(gallery):
    """Without sortField, are workflows ordered by uploadDate, newest first?"""
    dates = [w["uploadDate"] for w in _v1(gallery)]
    assert dates == sorted(dates, reverse=True)


def test_v1_sort_by_name(gallery):
    """Does sortField=name order by display name?"""
    names = [w["metaInfo"]["name"].lower() for w in _v1(gallery, sortField="name")]
    assert names == sorted(names)


def test_v1_search_is_case_insensitive_substring(gallery):
    """Does search match a case-insensitive part of metaInfo.name?"""
    found = _v1(gallery, search="SALES")
    assert found and all("sales" in w["metaInfo"]["name"].lower() for w in found)


def test_v1_limit_and_offset_page_through(gallery):
    """Do limit/offset pages cover the whole list exactly once?"""
    everything = [w["id"] for w in _v1(gallery)]
    pages = [w["id"] for offset in range(0, len(everything), 4) for w in _v1(gallery, limit=4, offset=offset)]
    assert pages == everything


def test_v1_only_shows_the_keys_studio(gallery, v3):
    """Does a v1 key see only its studio, and get 404 for another studio's workflow?"""
    v1_ids = {w["id"] for w in _v1(gallery)}
    all_ids = {w["id"] for w in v3.get(f"{v3.base}/webapi/v3/workflows").json()}
    outside = all_ids - v1_ids
    assert v1_ids < all_ids and outside
    response = gallery.get(f"{gallery.base}/workflows/{outside.pop()}/questions/")
    assert response.status_code == 404 and response.json()["message"]


def test_webapi_v1_lists_the_same_as_gallery(gallery, v3):
    """Does /webapi/v1 with a bearer token answer the same studio list as the signed Gallery path?"""
    assert v3.get(f"{v3.base}/webapi/v1/workflows/subscription/").json() == _v1(gallery)


def test_v3_list_is_reduced_workflows(v3):
    """Is /v3/workflows a bare array of ReducedWorkflow objects in that field order?"""
    workflows = v3.get(f"{v3.base}/webapi/v3/workflows").json()
    assert len(workflows) == 25
    assert all(list(w) == REDUCED for w in workflows)


def test_v3_full_view_has_versions(v3):
    """Does view=Full answer Workflow objects with versions and details, exactly one published?"""
    workflows = v3.get(f"{v3.base}/webapi/v3/workflows", params={"view": "Full"}).json()
    for w in workflows:
        assert {"runCount", "districtTags", "publishedVersionId", "othersCanExecute", "versions"} <= set(w)
        published = [v for v in w["versions"] if v["published"]]
        assert len(published) == 1 and published[0]["versionId"] == w["publishedVersionId"]
        assert published[0]["packageWorkflowType"] == "App"
        assert {"fileName", "author", "description", "name"} <= set(published[0]["details"])


def test_v3_name_filter(v3):
    """Does name filter by case-insensitive substring?"""
    found = v3.get(f"{v3.base}/webapi/v3/workflows", params={"name": "forecast"}).json()
    assert [w["name"] for w in found] == [ONE_OF_EACH]


def test_v3_owner_filter(v3):
    """Does ownerId keep only that owner's workflows?"""
    owner = v3.get(f"{v3.base}/webapi/v3/workflows").json()[0]["ownerId"]
    found = v3.get(f"{v3.base}/webapi/v3/workflows", params={"ownerId": owner}).json()
    assert found and {w["ownerId"] for w in found} == {owner}


def test_v3_bad_view_is_400(v3):
    """Is an unknown view refused with a {"message"} body?"""
    response = v3.get(f"{v3.base}/webapi/v3/workflows", params={"view": "Huge"})
    assert response.status_code == 400 and "view" in response.json()["message"]


def test_v3_unknown_workflow_is_404(v3):
    """Does an unknown workflow id answer 404 {"message"}?"""
    response = v3.get(f"{v3.base}/webapi/v3/workflows/{'0' * 24}")
    assert response.status_code == 404 and "0" * 24 in response.json()["message"]


def test_plain_workflows_have_no_questions_and_yxmd(v3, gallery):
    """Do at least six workflows take no questions, each a .yxmd?"""
    plain = [w for w in _v1(gallery) if not gallery.get(f"{gallery.base}/workflows/{w['id']}/questions/").json()]
    assert len(plain) >= 6 and all(w["fileName"].endswith(".yxmd") for w in plain)


def test_v1_questions_shape(gallery, v3):
    """Are v1 questions {name, description, type, multiple: "False", items (lists only), value}?"""
    app_id = workflow_named(v3, ONE_OF_EACH)["id"]
    questions = gallery.get(f"{gallery.base}/workflows/{app_id}/questions/").json()
    assert {q["type"] for q in questions} == {"QuestionTextBox", "QuestionNumericUpDown", "QuestionListBox",
                                              "QuestionDropDown", "QuestionCheckBox", "QuestionDate"}
    for q in questions:
        assert q["multiple"] == "False" and isinstance(q["value"], str)
        listed = q["type"] in ("QuestionListBox", "QuestionDropDown")
        assert ("items" in q) == listed
        if listed:
            assert all(set(item) == {"key", "value"} for item in q["items"])


def test_v3_questions_shape(v3):
    """Are v3 questions {name, questionType, description, value, multiple (bool), items}?"""
    workflow_id = workflow_named(v3, ONE_OF_EACH)["id"]
    questions = v3.get(f"{v3.base}/webapi/v3/workflows/{workflow_id}/questions").json()
    assert len(questions) == 6
    for q in questions:
        assert list(q) == ["name", "questionType", "description", "value", "multiple", "items"]
        assert q["multiple"] is False and isinstance(q["items"], list)


def test_run_disabled_workflow_is_flagged(gallery):
    """Is exactly the retired workflow flagged runDisabled?"""
    assert [w["metaInfo"]["name"] for w in _v1(gallery) if w["runDisabled"]] == [RUN_DISABLED]
