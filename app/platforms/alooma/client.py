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

    def delete_query(self, query_id: str) -> None:
        """Remove a scheduled query (DELETE v2/consolidation/{id}; 404 when it is already gone)."""
        self.http.request("DELETE", f"/v2/consolidation/{query_id}")

    # --- the pipeline ---------------------------------------------------------------------------------
    def plumbing(self) -> list[dict]:
        """Every plumbing node (inputs, the Restream node, Code Engine, Mapper, output) with the last minute's
        stats: `{"nodes": [{category, stats, name, deleted, state, configuration, type, id}]}`."""
        found = self._object("/plumbing/", params={"resolution": "1min"})
        nodes = found.get("nodes")
        if not isinstance(nodes, list) or not all(isinstance(n, dict) and n.get("id") for n in nodes):
            raise BadResponse(self.http.connection, "/plumbing/ did not answer with nodes")
        return nodes

    def update_node(self, node_id: str, node: dict) -> dict:
        """PUT plumbing/nodes/{id} with the whole node, as the client does to start or stop the restream."""
        found = self.http.decode(self.http.request("PUT", f"/plumbing/nodes/{node_id}", json=node))
        if not isinstance(found, dict):
            raise BadResponse(self.http.connection, f"/plumbing/nodes/{node_id} did not answer with the node")
        return found

    def input_sleep_time(self, input_id: str) -> float:
        """`{"inputSleepTime": seconds}`: how long the input waits between pulls."""
        found = self._object(f"/inputSleepTime/{input_id}")
        value = found.get("inputSleepTime")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise BadResponse(self.http.connection, "the input sleep time was not a number")
        return float(value)

    def set_input_sleep_time(self, input_id: str, seconds: float) -> None:
        """PUT inputSleepTime/{id} with the bare number, as the client sends it."""
        self.http.request("PUT", f"/inputSleepTime/{input_id}", json=seconds)

    def metrics(self, names: list[str], minutes: int, resolution_minutes: int) -> list[dict]:
        """Graphite-style series `[{"target": NAME, "datapoints": [[value, epoch_seconds], ...]}]` for the last
        `minutes`, one point per `resolution_minutes`."""
        return self._list("/metrics", params={"metrics": ",".join(names), "from": f"-{minutes}min",
                                              "resolution": f"{resolution_minutes}min"})

    # --- notifications, mapping and samples -----------------------------------------------------------------
    def notifications(self, since_epoch_seconds: int) -> list[dict]:
        """`{"messages": [...]}` since that instant, newest first."""
        found = self._object("/notifications", params={"from": since_epoch_seconds})
        messages = found.get("messages")
        if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
            raise BadResponse(self.http.connection, "/notifications did not answer with messages")
        return messages

    def event_types(self) -> list[dict]:
        """Every event type with its state, mapping mode and mapping (table), without fields."""
        return self._list("/event-types")

    def samples_stats(self) -> dict:
        """`{event type: {status code: count}}`."""
        return self._object("/samples/stats")

    def status_types(self) -> dict:
        """`{status code: description}`."""
        return self._object("/status-types")

    # --- the account ------------------------------------------------------------------------------------------
    def secret_names(self) -> list[str]:
        """The Code Engine secrets' names (Alooma never lists values)."""
        found = self.http.get_json("/secrets")
        if not isinstance(found, list) or not all(isinstance(n, str) for n in found):
            raise BadResponse(self.http.connection, "/secrets did not answer with names")
        return found

    def used_credits(self, from_day: str, to_day: str) -> list[dict]:
        """`[{"date", "instance_name", "value"}]` per day between the two ISO days, this account's only."""
        return self._list("/credits/used-credits", params={"from": from_day, "to": to_day})

    def company_credits(self) -> dict:
        """The payment period: company_name, subscription_type, start_date, total_credits, used_credits."""
        return self._object("/credits/company")
