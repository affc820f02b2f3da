"""Alooma emulator Mapper and Code Engine: event types, mapping mode, samples per status, tables, modules."""
from __future__ import annotations

from tests.sandbox.test_alooma_helpers import Alooma, assert_error

EVENT_TYPE_KEYS = {"autoMappingError", "stats", "name", "origInputLabel", "consolidation", "mapping", "state",
                   "usingDefaultMappingMode", "mappingMode", "schemaUrls"}


def test_event_types_list_without_fields_and_one_with_fields(alooma: Alooma) -> None:
    """GET event-types lists mapping objects without fields; GET event-types/{name} adds them."""
    types = alooma.get("event-types")
    assert len(types) == alooma.state()["eventTypes"] == 14 and all(set(t) == EVENT_TYPE_KEYS for t in types)
    assert {t["state"] for t in types} == {"MAPPED", "UNMAPPED"}
    assert {t["mappingMode"] for t in types} <= {"AUTO_MAP", "STRICT", "FLEXIBLE"}
    assert any(t["mapping"]["isDiscarded"] for t in types)
    mapped = next(t for t in types if t["state"] == "MAPPED" and not t["mapping"]["isDiscarded"])
    assert mapped["mapping"]["tableName"] and mapped["mapping"]["schema"] == "public"
    full = alooma.get(f"event-types/{mapped['name']}")
    assert set(full) == EVENT_TYPE_KEYS | {"fields"} and {f["fieldName"] for f in full["fields"]} >= {"id", "created_at"}
    assert full["fields"][0]["mapping"]["columnType"]["type"] == "BIGINT"
    unmapped = alooma.get(f"event-types/{next(t['name'] for t in types if t['state'] == 'UNMAPPED')}")
    assert all(f["mapping"] is None for f in unmapped["fields"])
    assert_error(alooma.api("GET", "event-types/nope"), 404)


def test_event_type_names_can_be_quoted(alooma: Alooma) -> None:
    """The client quotes names with safe=''; a dotted name is found either way."""
    assert alooma.get("event-types/shop.orders")["name"] == "shop.orders"
    assert alooma.get("event-types/shop%2Eorders")["name"] == "shop.orders"


def test_samples_counts_per_status_code(alooma: Alooma) -> None:
    """GET samples/stats: {event type: {status code: count}} with codes from GET status-types."""
    codes = alooma.get("status-types")
    assert codes["VALID"] == "Valid" and "NO_MAPPING" in codes
    stats = alooma.get("samples/stats")
    assert set(stats) == {t["name"] for t in alooma.get("event-types")}
    assert all(set(per) <= set(codes) and all(isinstance(n, int) for n in per.values()) for per in stats.values())
    assert stats["signup"]["NO_MAPPING"] > 0


def test_samples_filter_by_event_type_and_status(alooma: Alooma) -> None:
    """GET samples?eventType=&status=: at most ten, of that type and those codes; an unknown code is 400."""
    some = alooma.get("samples?eventType=shop.orders")
    assert 0 < len(some) <= 10 and all(s["eventType"] == "shop.orders" and "sample" in s for s in some)
    stats = alooma.get("samples/stats")
    name, code = next((n, c) for n, per in stats.items() for c, k in per.items() if c != "VALID" and k)
    filtered = alooma.get(f"samples?eventType={name}&status={code}")
    assert filtered and all(s["status"] == code for s in filtered)
    assert len(alooma.get("samples")) == 10
    assert_error(alooma.api("GET", "samples?eventType=shop.orders&status=BOGUS"), 400)


def test_mapping_mode_read_and_set(alooma: Alooma) -> None:
    """GET mapping-mode answers the bare name; POST with a JSON string sets it; other values 400."""
    response = alooma.api("GET", "mapping-mode")
    assert response.text == "AUTO_MAP" and response.headers["Content-Type"].startswith("text/plain")
    assert alooma.api("POST", "mapping-mode", json="STRICT").status_code == 200
    assert alooma.api("GET", "mapping-mode").text == "STRICT"
    assert_error(alooma.api("POST", "mapping-mode", json="SOMETIMES"), 400)


def test_tables_and_schemas(alooma: Alooma) -> None:
    """GET tables (full and shallow), tables/{schema}, tables/{table}, dependencies, schemas/."""
    tables = alooma.get("tables")
    assert tables and all(set(t) == {"retention", "tableName", "columns", "schema"} for t in tables)
    assert all(t["columns"] for t in tables) and all(not t["columns"] for t in alooma.get("tables?shallow=true"))
    assert alooma.get("tables/public?shallow=true") == alooma.get("tables?shallow=true")
    assert alooma.get("tables/staging") == []
    assert alooma.get("tables/shop_orders")["tableName"] == "shop_orders"
    assert alooma.get("tables/public/shop_orders/dependencies") == []
    assert_error(alooma.api("GET", "tables/public/nope/dependencies"), 404)
    assert alooma.get("schemas") == [{"default": True, "schemaName": "public"},
                                     {"default": False, "schemaName": "staging"}]


def test_code_engine_modules_defaults_and_requirements(alooma: Alooma) -> None:
    """transform/functions as [{functionName, code, language}], one module, defaults, requirements."""
    modules = {m["functionName"]: m for m in alooma.get("transform/functions")}
    assert set(modules) == {"main", "submodule"} and "def transform(event)" in modules["main"]["code"]
    assert alooma.get("transform/functions/submodule") == modules["submodule"]
    assert_error(alooma.api("GET", "transform/functions/nope"), 404)
    assert alooma.get("transform/defaults") == {"PYTHON": "def transform(event):\n\treturn event"}
    assert all(set(r) == {"name", "version"} for r in alooma.get("code-engine/requirements"))
