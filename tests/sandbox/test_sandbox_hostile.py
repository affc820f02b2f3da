"""The hostile seed: payloads in every emulator's declared free text, nothing else changed, off after a reset."""
from __future__ import annotations

import copy
import dataclasses

import pytest

from sandbox import EMULATORS, backend_of, create_app
from sandbox.common.hostile import MARKER, PAYLOADS, entities, make_hostile
from sandbox.teamstudio.world import Operator

PLATFORMS = ("aac", "server", "teamstudio", "vantage6", "alooma")


def _schedules(api) -> list[tuple[int, str, bool]]:
    return [(s["id"], s["name"], s["enabled"])
            for s in api.get(f"{api.base}/v4/schedules", params={"limit": 100}).json()["data"]]


@pytest.mark.parametrize("key", PLATFORMS)
def test_hostile_seed_fills_the_declared_free_text_and_leaves_every_other_field(key):
    """Does the hostile seed give every declared, non-empty text field of the world every payload (after the
    original text) and leave empty text, ids, statuses, types and every undeclared field exactly as seeded?"""
    fields = EMULATORS[key]().hostile_fields
    world = backend_of(create_app(key)).world
    before = copy.deepcopy(world)
    assert make_hostile(world, fields, key) >= 20
    probed = 0
    for old, new in zip(entities(before), entities(world), strict=True):
        for field in dataclasses.fields(new):
            was, now = getattr(old, field.name), getattr(new, field.name)
            if field.name in fields.get(type(new), ()) and isinstance(was, str) and was:
                assert now.startswith("javascript:alert(") and was in now and MARKER in now, (type(new), field.name)
                assert all(f"-{kind}" in now for kind, _ in PAYLOADS)
                probed += 1
            elif next(entities(was), None) is None:  # what holds entities is compared entity by entity
                assert now == was or field.name in fields.get(type(new), ()), (type(new), field.name)
    assert probed >= 20


@pytest.mark.parametrize("key", PLATFORMS)
def test_a_world_built_after_a_hostile_one_is_clean(key):
    """Is a world seeded after a hostile one in the same process free of payloads (no template is shared)?"""
    create_app(key, hostile=True)
    assert MARKER not in repr(backend_of(create_app(key)).world)


def test_frozen_entities_are_refused_because_seeds_share_them():
    """Does make_hostile refuse a frozen class (a template worlds share) before changing anything?"""
    world = backend_of(create_app("teamstudio")).world
    with pytest.raises(ValueError, match="frozen entities cannot be made hostile: Operator"):
        make_hostile(world, {Operator: ("fails",)}, "teamstudio")


def test_hostile_keeps_ids_states_and_tokens_and_marks_names(api, control):
    """After POST /_sandbox/hostile, does the token minted before still work, with the same schedule ids and
    states, and every name carrying a marked payload?"""
    before = _schedules(api)
    assert control("POST", "hostile").json()["fields"] > 100
    after = _schedules(api)
    assert [(ident, enabled) for ident, _, enabled in after] == [(ident, enabled) for ident, _, enabled in before]
    assert all('id="xss-aac-' in name and old[1] in name for (_, name, _), old in zip(after, before))


def test_hostile_twice_changes_nothing_more_and_reset_brings_the_clean_world_back(api, control):
    """Does a second POST /_sandbox/hostile change no field, and a reset give back the seeded names?"""
    clean = _schedules(api)
    control("POST", "hostile")
    assert control("POST", "hostile").json()["fields"] == 0
    control("POST", "reset")
    assert _schedules(api) == clean


def test_an_emulator_without_free_text_refuses_the_hostile_seed():
    """Does the identity provider, which declares no hostile fields, answer 400 with the reason?"""
    response = create_app("oidc").test_client().post("/_sandbox/hostile")
    assert (response.status_code, response.get_json()["error"]) == (400, "this emulator has no hostile seed")


def test_hostile_option_of_create_app_starts_the_world_hostile():
    """Does create_app(..., hostile=True) (the CLI's --hostile) build a world whose names all carry payloads?"""
    backend = backend_of(create_app("aac", hostile=True))
    assert all(MARKER in schedule.name for schedule in backend.world.schedules.values())
