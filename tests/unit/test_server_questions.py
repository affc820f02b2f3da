"""An analytic app's questions as form fields, their validation, and the answers sent to the API."""
from __future__ import annotations

import json
from pathlib import Path

from werkzeug.datastructures import MultiDict

from app.platforms.parameters import submitted_values, validate_parameters
from app.platforms.server.questions import answers, priority_option, question_to_parameter

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "server"


def _params(name: str) -> dict:
    raw = json.loads((FIXTURES / name).read_text())
    return {q["name"]: question_to_parameter(q) for q in raw}


def test_v1_question_types_become_fields():
    """Does each v1 interface tool become the matching field type with its default?"""
    params = _params("questions_v1.json")
    assert params["Region"].data_type == "select" and params["Region"].default == "EU"
    assert params["Region"].choices == (("NA", "North America"), ("EU", "Europe"))
    assert params["Since"].data_type == "date" and params["Since"].required
    assert params["IncludeReturns"].data_type == "boolean" and params["IncludeReturns"].default == "True"
    assert params["TopN"].data_type == "number" and params["TopN"].default == "10"
    assert params["Note"].data_type == "string" and not params["Note"].required
    assert params["Shape"].data_type == "string"  # a map question is answered as text


def test_multi_select_list_is_answered_as_text():
    """Is a list box with multiple answers a text field holding the joined values?"""
    assert _params("questions_v1.json")["Regions"].data_type == "string"


def test_v3_question_types_become_fields():
    """Does v3's questionType and boolean multiple read like v1's, with a lowercase boolean default?"""
    params = _params("questions_v3.json")
    assert params["Country"].data_type == "select" and params["Country"].choices[1] == ("FR", "France")
    assert params["Rush"].data_type == "boolean" and params["Rush"].default == "False"


def test_answers_are_strings_with_true_false():
    """Are answers sent as strings, check boxes as "True"/"False"?"""
    params = _params("questions_v3.json")
    sent = answers(tuple(params.values()), {"Country": "FR", "Rush": "true"})
    assert sent == [{"name": "Country", "value": "FR"}, {"name": "Rush", "value": "True"}]


def test_invalid_answers_are_refused_with_a_reason():
    """Are a value outside the list, a bad number and a bad date refused, each with its reason?"""
    params = _params("questions_v1.json")
    errors = validate_parameters(tuple(params.values()), {
        "Region": "Mars", "Since": "10/07/2016", "TopN": "ten", "IncludeReturns": "True", "Regions": "NA"})
    assert errors == {"Region": "Choose one of the listed values.", "Since": "Enter a date as YYYY-MM-DD.",
                      "TopN": "Enter a number."}


def test_unticked_check_box_means_false():
    """After a POST, is a check box that was not sent read as "False" and a ticked one as "True"?"""
    params = tuple(_params("questions_v1.json").values())
    unticked = submitted_values(params, MultiDict([("param-IncludeReturns", "False")]), "param", posted=True)
    ticked = submitted_values(params, MultiDict([("param-IncludeReturns", "False"), ("param-IncludeReturns", "True")]),
                              "param", posted=True)
    assert unticked["IncludeReturns"] == "False" and ticked["IncludeReturns"] == "True"


def test_first_show_uses_defaults():
    """Does the form show each question's default before anything is posted?"""
    params = tuple(_params("questions_v1.json").values())
    assert submitted_values(params, MultiDict(), "param", posted=False)["Since"] == "2016-07-10"


def test_priority_choices_per_api():
    """Does v3 offer Default..Critical and v1 (codes 0..3) start at Low?"""
    assert [c for c, _ in priority_option().choices] == ["Default", "Low", "Medium", "High", "Critical"]
    v1 = priority_option(v1=True)
    assert v1.default == "Low" and "Default" not in [c for c, _ in v1.choices]
    assert validate_parameters((v1,), {"priority": "Urgent"}) == {"priority": "Choose one of the listed values."}
