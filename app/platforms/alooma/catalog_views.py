"""Alooma's event types page (read-only): mapping, table, origin input and samples per status code; its JSON twin."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template, request
from flask_login import login_required

from app.api.serialize import to_json
from app.cache import Fetched, derived, stale_notes
from app.concurrency import parallel_calls
from app.connections import service_or_404
from app.errors import PlatformError
from app.exports import json_response
from app.listing import distinct, matching, search_text
from app.pagination import clamp_page, page_of, requested_per_page
from app.platforms.alooma import bp
from app.platforms.alooma.catalog import AloomaCatalog, EventTypeInfo, StatusCode, sample_columns, with_samples
from app.platforms.views import fetch_or_banner, unique_errors

SAMPLE_FILTERS = (("errors", "with error samples"), ("clean", "without error samples"))


@dataclass(frozen=True)
class Catalog:
    """What the page and its twin show: every event type (with counts when known), the count columns, states."""

    types: list[EventTypeInfo]
    columns: list[StatusCode]
    states: list[str]
    counted: bool  # samples/stats answered


def _catalog(connection: str) -> tuple[Any, AloomaCatalog]:
    svc = service_or_404(connection, "alooma")
    return svc, AloomaCatalog(svc)


def _combined(name: str, types: Fetched | None, counts: Fetched | None, codes: Fetched | None) -> Catalog:
    """The three reads put together, once per set of fetched copies; a missing read leaves its part out."""
    version = tuple(f.fetched_at if f else None for f in (types, counts, codes))

    def build() -> Catalog:
        found = types.value if types else []
        known = codes.value if codes else []
        if counts is None:
            return Catalog(found, [], distinct(e.state for e in found), False)
        return Catalog(with_samples(found, counts.value, known), sample_columns(counts.value, known),
                       distinct(e.state for e in found), True)
    return derived(f"{name}:event-type-catalog", version, build)


def _shown(catalog: Catalog, q: str, state: str, samples: str) -> list[EventTypeInfo]:
    return [e for e in matching(catalog.types, q, lambda e: (e.name,))
            if (not state or e.state == state) and (not samples or e.has_errors == (samples == "errors"))]


def _filters(catalog: Catalog) -> tuple[str, str, str]:
    """q, state and samples from the query string; values not offered are ignored."""
    state = request.args.get("state", "")
    samples = request.args.get("samples", "")
    return (search_text(request.args), state if state in catalog.states else "",
            samples if catalog.counted and samples in dict(SAMPLE_FILTERS) else "")


@bp.route("/<connection>/event-types")
@login_required
def event_types(connection: str):
    """Every event type with its mapping and samples per status code; those with error samples stand out."""
    svc, reads = _catalog(connection)
    errors: list[PlatformError] = []
    types, counts, codes = parallel_calls(lambda: fetch_or_banner(reads.event_types, errors),
                                          lambda: fetch_or_banner(reads.sample_counts, errors),
                                          lambda: fetch_or_banner(reads.status_codes, errors))
    catalog = _combined(svc.name, types, counts, codes)
    q, state, samples = _filters(catalog)
    page = page_of(_shown(catalog, q, state, samples), clamp_page(request.args.get("page")), requested_per_page())
    return render_template("alooma/event_types.html", svc=svc, errors=unique_errors(errors), fetched=types,
                           catalog=catalog, page=page, q=q, state=state, samples=samples,
                           sample_filters=SAMPLE_FILTERS, with_errors=sum(1 for e in catalog.types if e.has_errors))


@bp.route("/<connection>/event-types.json")
@login_required
def event_types_json(connection: str):
    """The page's filtered table, whole, with the status codes; a platform failure is a JSON error body."""
    svc, reads = _catalog(connection)
    types, counts, codes = parallel_calls(reads.event_types, reads.sample_counts, reads.status_codes)
    catalog = _combined(svc.name, types, counts, codes)
    shown = _shown(catalog, *_filters(catalog))
    stale = stale_notes(types, counts, codes)
    items = [{**to_json(e), "samples": None if e.samples is None else {s.code: s.count for s in e.samples},
              "destination": e.destination, "has_errors": e.has_errors} for e in shown]
    return json_response(f"alooma-{connection}-event-types", {
        "items": items, "total": len(shown), "status_codes": to_json(codes.value), "stale": stale})
