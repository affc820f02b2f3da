"""Raw Alooma REST calls under the account's REST root (`{base_url}/{account_name}/rest`), decoded JSON out.

Paths and shapes follow the official client (alooma 0.4.16) as the contract notes list them; lists are not
paged. The login itself is session.py's: every call here goes through an authenticated PlatformHttp.
"""
from __future__ import annotations

from typing import Any

from app.errors import BadResponse
from app.http import PlatformHttp


def rest_root(base_url: str, account_name: str) -> str:
    """`{base}/{account}/rest`, or `{base}/rest` when no account is named (the client's two forms)."""
    base = base_url.rstrip("/")
    account = account_name.strip("/")
    return f"{base}/{account}/rest" if account else f"{base}/rest"


def error_message(body: Any) -> str | None:
    """Alooma errors are read as {"timestamp", "status", "error", "message", "path"} (the contract notes mark the
    shape inferred; this is the one place that reads it): the message, else the reason phrase."""
    if not isinstance(body, dict):
        return None
    said = body.get("message") or body.get("error")
    return str(said) if said else None


class AloomaClient:
    """One method per endpoint the dashboard uses."""

    def __init__(self, http: PlatformHttp) -> None:
        self.http = http

    def _object(self, path: str, params: dict[str, Any] | None = None) -> dict:
        found = self.http.get_json(path, params=params)
        if not isinstance(found, dict):
            raise BadResponse(self.http.connection, f"{path} did not answer with an object")
        return found

    def _list(self, path: str, params: dict[str, Any] | None = None) -> list[dict]:
        found = self.http.get_json(path, params=params)
        if not isinstance(found, list) or not all(isinstance(i, dict) for i in found):
            raise BadResponse(self.http.connection, f"{path} did not answer with a list of objects")
        return found

    # --- the account and deployment ------------------------------------------------------------------
    def repository(self) -> dict:
        """`{"config_clientName": account}`."""
        return self._object("/repository")

    def deploy_info(self) -> dict:
        """`{"deploymentName", "gitBranch", "gitCommitId", "gitAuthorEmail", "buildTimestamp"}`."""
        return self._object("/deployInfo")

    def users(self) -> list[dict]:
        return self._list("/user/")

    # --- scheduled queries (consolidation v2) ---------------------------------------------------------
    def queries(self) -> list[dict]:
        """Every scheduled query: status, error fields, last/next processing, configuration (frequency or run_at)."""
        found = self._list("/v2/consolidation")
        if not all(q.get("state_id") for q in found):
            raise BadResponse(self.http.connection, "/v2/consolidation listed a query without its state_id")
        return found

    def query(self, query_id: str) -> dict:
        found = self._object(f"/v2/consolidation/{query_id}")
        if not found.get("state_id"):
            raise BadResponse(self.http.connection, "the scheduled query answer had no state_id")
        return found

    def run_query(self, query_id: str) -> Any:
        """Run now; answers the query, now `running` (a run already going is refused with 409)."""
        return self.http.decode(self.http.request("POST", f"/v2/consolidation/{query_id}/run"))

    # --- inputs ---------------------------------------------------------------------------------------
    def inputs(self) -> list[dict]:
        """Every input node. Alooma answers `{id: node}` (the client takes `.values()`); a plain list is taken too."""
        found = self.http.get_json("/inputs")
        nodes = list(found.values()) if isinstance(found, dict) else found
        if not isinstance(nodes, list) or not all(isinstance(n, dict) and n.get("id") for n in nodes):
            raise BadResponse(self.http.connection, "/inputs did not answer with input nodes")
        return nodes

    def input(self, input_id: str) -> dict:
        """`{"job": {...}, "tasks": {state_id: task}}`: the task carries the input's status and error fields."""
        found = self._object(f"/inputs/{input_id}")
        if not isinstance(found.get("job"), dict):
            raise BadResponse(self.http.connection, f"/inputs/{input_id} had no job")
        return found
