"""Mapper, Code Engine, scheduled queries, notifications and account paths."""
from __future__ import annotations

from typing import Any, Callable

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from sandbox.alooma.models import AloomaBackend
from sandbox.alooma.web import body, no_content, rest, text

# GET paths answering one backend method's JSON with no parameters: (rule, backend method = endpoint name).
SIMPLE_GETS = (("event-types", "list_event_types"), ("samples/stats", "samples_stats"),
               ("status-types", "status_types"), ("schemas/", "schemas"), ("transform/functions", "functions"),
               ("transform/defaults", "transform_defaults"), ("code-engine/requirements", "requirements"),
               ("consolidation", "queries_by_id"), ("user/", "users"), ("settings/", "settings"),
               ("deployInfo", "deploy_info"), ("credits/company", "company_credits"), ("repository", "repository"))


def _get(bp: Blueprint, rule: str, method: Callable[[], Any]) -> None:
    """Serve a parameterless backend method at rule; the view is named after it (Flask endpoints must differ)."""
    def view() -> ResponseReturnValue:
        return jsonify(method())
    view.__name__ = method.__name__
    rest(bp, rule)(view)


def _shallow() -> bool:
    return request.args.get("shallow", "").lower() == "true"


def register_admin(bp: Blueprint, backend: AloomaBackend) -> None:
    """Attach the catalog, query, notification and account routes to the Alooma blueprint."""
    b = backend
    for rule, method in SIMPLE_GETS:
        _get(bp, rule, getattr(b, method))

    @rest(bp, "event-types/<path:name>")
    def event_type(name: str) -> ResponseReturnValue:
        return jsonify(b.get_event_type(name))

    @rest(bp, "mapping-mode", methods=("GET", "POST"))
    def mapping_mode() -> ResponseReturnValue:
        return text(b.set_mapping_mode(body()) if request.method == "POST" else b.mapping_mode())

    @rest(bp, "samples")
    def samples() -> ResponseReturnValue:
        return jsonify(b.samples(request.args.get("eventType"), request.args.getlist("status")))

    @rest(bp, "tables")
    def tables() -> ResponseReturnValue:
        return jsonify(b.tables(None, _shallow()))

    @rest(bp, "tables/<name>")
    def tables_of(name: str) -> ResponseReturnValue:
        return jsonify(b.tables_or_table(name, _shallow()))

    @rest(bp, "tables/<schema>/<table>/dependencies")
    def table_dependencies(schema: str, table: str) -> ResponseReturnValue:
        return jsonify(b.table_dependencies(schema, table))

    @rest(bp, "transform/functions/<module>")
    def function(module: str) -> ResponseReturnValue:
        return jsonify(b.function(module))

    @rest(bp, "v2/consolidation", methods=("GET", "POST"))
    def consolidation() -> ResponseReturnValue:
        if request.method == "POST":
            return jsonify(b.create_query(body(), custom=False))
        return jsonify(b.list_queries(request.args.get("event_type")))

    @rest(bp, "v2/consolidation/custom", methods=("POST",))
    def consolidation_custom() -> ResponseReturnValue:
        return jsonify(b.create_query(body(), custom=True))

    @rest(bp, "v2/consolidation/<query_id>", methods=("GET", "DELETE"))
    def consolidation_one(query_id: str) -> ResponseReturnValue:
        if request.method == "DELETE":
            b.delete_query(query_id)
            return no_content()
        return jsonify(b.get_query(query_id))

    @rest(bp, "v2/consolidation/<query_id>/run", methods=("POST",))
    def consolidation_run(query_id: str) -> ResponseReturnValue:
        return jsonify(b.run_query(query_id))

    @rest(bp, "notifications")
    def notifications() -> ResponseReturnValue:
        return jsonify(b.notifications(request.args.get("from")))

    @rest(bp, "notifications/custom", methods=("POST",))
    def custom_notification() -> ResponseReturnValue:
        return jsonify(b.custom_notification(body()))

    @rest(bp, "secrets", methods=("GET", "PUT"))
    def secrets() -> ResponseReturnValue:
        if request.method == "PUT":
            b.put_secrets(body())
            return no_content()
        return jsonify(b.secret_names())

    @rest(bp, "secrets/<name>", methods=("DELETE",))
    def delete_secret(name: str) -> ResponseReturnValue:
        b.delete_secret(name)
        return no_content()

    @rest(bp, "credits/used-credits")
    def used_credits() -> ResponseReturnValue:
        args = request.args
        return jsonify(b.used_credits(args.get("from") or args.get("from_day"), args.get("to") or args.get("to_day"),
                                      args.get("all") or args.get("all_accounts")))
