"""The Mapper and the Code Engine: event types (read-only here), mapping mode, samples and their counts per
status code, tables and schemas of the output, and the Code Engine's modules."""
from __future__ import annotations

import random
from typing import Any

from sandbox.alooma import serialize
from sandbox.alooma.base import BackendBase
from sandbox.alooma.errors import BadRequest, NotFound
from sandbox.alooma.seed_catalog import STATUS_TYPES
from sandbox.alooma.world import MAPPING_MODES, EventType, FieldMapping
from sandbox.common.locking import locked

DEFAULT_TRANSFORM = "def transform(event):\n\treturn event"
SCHEMAS = ("public", "staging")
SAMPLE_LIMIT = 10


def _value(rng: random.Random, f: FieldMapping) -> Any:
    kinds = {"BIGINT": lambda: rng.randint(1, 10**7), "FLOAT": lambda: round(rng.uniform(1, 900), 2),
             "BOOLEAN": lambda: rng.random() < 0.5, "TIMESTAMP": lambda: f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
                                                                          f"T0{rng.randint(0, 9)}:00:00Z"}
    return kinds.get(f.column_type, lambda: f"{f.name}-{rng.randint(100, 999)}")()


class CatalogMixin(BackendBase):
    """event-types, mapping-mode, samples, status-types, tables, schemas, transform/*, code-engine/*."""

    @locked
    def list_event_types(self) -> list[dict[str, Any]]:
        """GET event-types (without fields)."""
        return [serialize.event_type(e, with_fields=False) for e in self.world.event_types.values()]

    @locked
    def get_event_type(self, name: str) -> dict[str, Any]:
        """GET event-types/{name} (with fields)."""
        return serialize.event_type(self.event_type_or_404(name), with_fields=True)

    @locked
    def mapping_mode(self) -> str:
        """GET mapping-mode: the default mode's name."""
        return self.world.mapping_mode

    @locked
    def set_mapping_mode(self, body: Any) -> str:
        """POST mapping-mode with a JSON string, one of AUTO_MAP, STRICT, FLEXIBLE."""
        if body not in MAPPING_MODES:
            raise BadRequest(f"Mapping mode must be one of {', '.join(MAPPING_MODES)}")
        self.world.mapping_mode = body
        return body

    @locked
    def samples(self, event_type: str | None, statuses: list[str]) -> list[dict[str, Any]]:
        """GET samples[?eventType=][&status=...]: up to ten sample events."""
        unknown = [s for s in statuses if s not in STATUS_TYPES]
        if unknown:
            raise BadRequest(f"Unknown status code {', '.join(unknown)}")
        types = [self.event_type_or_404(event_type)] if event_type else list(self.world.event_types.values())
        found: list[dict[str, Any]] = []
        for e in types:
            for code, count in e.samples.items():
                if count and (not statuses or code in statuses):
                    found += [self._sample(e, code, i) for i in range(min(count, SAMPLE_LIMIT - len(found)))]
                if len(found) >= SAMPLE_LIMIT:
                    return found
        return found

    def _sample(self, e: EventType, code: str, index: int) -> dict[str, Any]:
        rng = random.Random(f"{self.seed}:{e.name}:{code}:{index}")
        event = {f.name: _value(rng, f) for f in e.fields}
        event["_metadata"] = {"event_type": e.name, "input_label": e.input_label, "@uuid": f"{rng.getrandbits(64):016x}"}
        return {"eventType": e.name, "status": code, "sample": event}

    @locked
    def samples_stats(self) -> dict[str, dict[str, int]]:
        """GET samples/stats: {event type: {status code: count}}."""
        return {e.name: dict(e.samples) for e in self.world.event_types.values()}

    def status_types(self) -> dict[str, str]:
        """GET status-types: {code: description}."""
        return dict(STATUS_TYPES)

    def _tables(self) -> list[EventType]:
        return [e for e in self.world.event_types.values() if e.table]

    @locked
    def tables(self, schema: str | None, shallow: bool) -> list[dict[str, Any]]:
        """GET tables[/{schema}][?shallow=true]."""
        return [serialize.table(e, shallow) for e in self._tables() if schema in (None, e.schema)]

    @locked
    def tables_or_table(self, name: str, shallow: bool) -> Any:
        """GET tables/{x}: a schema's tables when x names a schema, else the table named x."""
        if name in SCHEMAS:
            return self.tables(name, shallow)
        found = next((e for e in self._tables() if e.table == name), None)
        if found is None:
            raise NotFound(f"Table {name} does not exist")
        return serialize.table(found, shallow)

    @locked
    def table_dependencies(self, schema: str, name: str) -> list[str]:
        """GET tables/{schema}/{table}/dependencies (no views depend on the seeded tables)."""
        if not any(e.schema == schema and e.table == name for e in self._tables()):
            raise NotFound(f"Table {schema}.{name} does not exist")
        return []

    def schemas(self) -> list[dict[str, Any]]:
        """GET schemas."""
        return [{"default": name == SCHEMAS[0], "schemaName": name} for name in SCHEMAS]

    @locked
    def functions(self) -> list[dict[str, str]]:
        """GET transform/functions: [{"functionName", "code", "language"}]."""
        return [{"functionName": name, "code": code, "language": "PYTHON"} for name, code in self.world.modules.items()]

    @locked
    def function(self, name: str) -> dict[str, str]:
        """GET transform/functions/{module}."""
        if name not in self.world.modules:
            raise NotFound(f"Code Engine module {name} does not exist")
        return {"functionName": name, "code": self.world.modules[name], "language": "PYTHON"}

    def transform_defaults(self) -> dict[str, str]:
        """GET transform/defaults."""
        return {"PYTHON": DEFAULT_TRANSFORM}

    @locked
    def requirements(self) -> list[dict[str, str]]:
        """GET code-engine/requirements."""
        return [dict(r) for r in self.world.requirements]
