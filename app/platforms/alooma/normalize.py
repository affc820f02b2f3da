"""Pure functions: Alooma JSON -> records. Scheduled queries are Schedules (and their latest outcome a Run),
inputs are Workflows that cannot be run from here, deployment and account are InstanceFacts.

Scheduled query `status` (inputs' tasks use the same words, plus `paused`):

| Alooma | Flightdeck |
| --- | --- |
| `running` | running |
| `failed` | failed (the query is in error: its last attempt failed) |
| `active` | succeeded once it has succeeded at all (`last_success_time`), else no status yet |
| anything else | unknown |

Times come without an offset and are UTC. A query fires every `configuration.frequency` hours or on the cron
rule `configuration.run_at` (read as UTC); it has no name, owner or on/off switch of its own, so it is named by
its event type and kind, owned by its deployment, and always enabled.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Iterable

from app.platforms.cron import CronError, describe_cron, next_runs
from app.platforms.records import InstanceFact, Run, RunMessage, RunStatus, Schedule, TargetRef, Trigger, Workflow
from app.platforms.timestamps import parse_time

PLATFORM = "alooma"
OBJECT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # query state ids and input ids; anything else is refused unsent
STATUS = {"running": RunStatus.RUNNING, "failed": RunStatus.FAILED, "active": RunStatus.SUCCEEDED}
STATUS_ORDER = {"failed": 0, "running": 1}  # in error first, then those running, then the rest
QUERY_KINDS = {"default": "consolidation", "custom": "custom query"}


def to_status(word: Any, ever_succeeded: bool = True) -> RunStatus | None:
    """A query's (or input task's) status word as the common status; an active one that never succeeded has none."""
    value = str(word or "").strip().lower()
    if value == "active" and not ever_succeeded:
        return None
    return STATUS.get(value, RunStatus.UNKNOWN)


def _config(raw: dict) -> dict:
    return raw.get("configuration") if isinstance(raw.get("configuration"), dict) else {}


def query_name(raw: dict) -> str:
    """Its own name where the configuration has one, else "<event type> consolidation" / "… custom query"."""
    config = _config(raw)
    own = config.get("name") or config.get("query_name") or raw.get("name")
    if own:
        return str(own)
    kind = QUERY_KINDS.get(str(config.get("query_type") or ""), "scheduled query")
    return f"{config.get('event_type') or raw.get('state_id')} {kind}"


def hours_words(hours: Any) -> str:
    """'every hour', 'every 8 hours'."""
    try:
        count = int(hours)
    except (TypeError, ValueError):
        return f"every {hours} hours"
    return "every hour" if count == 1 else f"every {count} hours"


def query_trigger(raw: dict) -> Trigger:
    """A cron rule (`run_at`, UTC) in words, else the frequency in hours; neither is a manual query."""
    config = _config(raw)
    cron = str(config.get("run_at") or "").strip()
    if cron:
        try:
            words = describe_cron(cron)
        except (ValueError, IndexError, KeyError):  # not a rule describe_cron reads: shown as given
            words = f"cron {cron}"
        return Trigger(kind="cron", text=f"{words} (UTC)", cron=cron, timezone="UTC")
    if config.get("frequency"):
        return Trigger(kind="interval", text=hours_words(config["frequency"]), timezone="UTC")
    return Trigger(kind="manual", text="no schedule", timezone="UTC")


def error_count(raw: dict) -> int:
    try:
        return int(raw.get("error_count") or 0)
    except (TypeError, ValueError):
        return 0


def last_error(raw: dict) -> str:
    """The error of a query (or input) in error with how many errors it has counted; "" when it is not in error.
    Alooma keeps counting across recoveries, so a healthy query's count is history, not an error."""
    message = str(raw.get("error_message") or "").strip()
    if str(raw.get("status") or "").lower() != "failed" and not message:
        return ""
    count = error_count(raw)
    counted = f"{count} error{'s' if count != 1 else ''}"
    return f"{message} ({counted})" if message else counted


def last_attempt(raw: dict) -> datetime | None:
    """When the query (or input) last ran: its last processing time, else its last success."""
    return parse_time(raw.get("last_processing_time")) or parse_time(raw.get("last_success_time"))


def next_run(raw: dict, trigger: Trigger, now: datetime) -> datetime | None:
    """Alooma's own next processing time; a cron rule's next fire after `now` where it gives none."""
    given = parse_time(raw.get("next_processing_time"))
    if given or not trigger.cron:
        return given
    try:
        found = next_runs(trigger.cron, "UTC", now)
    except CronError:
        return None
    return found[0] if found else None


def _target(raw: dict) -> TargetRef:
    event_type = str(_config(raw).get("event_type") or "—")
    return TargetRef("event type", event_type, event_type)


def _comment(raw: dict) -> str:
    config = _config(raw)
    kind = QUERY_KINDS.get(str(config.get("query_type") or ""), "scheduled query")
    count = error_count(raw)
    if count and str(raw.get("status") or "").lower() != "failed":
        return f"{kind}; {count} earlier error{'s' if count != 1 else ''}"
    return kind


def normalize_query(raw: dict, connection: str, now: datetime) -> Schedule:
    """A scheduled query as a Schedule. `last_run` is its last attempt with `last_status` that attempt's outcome
    (for a query in error the failed attempt, not the older last success, which `last_error` keeps beside the
    error count and message)."""
    trigger = query_trigger(raw)
    succeeded = parse_time(raw.get("last_success_time"))
    status = to_status(raw.get("status"), succeeded is not None)
    error = last_error(raw)
    if error and status is RunStatus.FAILED:
        error += f"; last success {succeeded.strftime('%Y-%m-%d %H:%M UTC')}" if succeeded else "; never succeeded"
    return Schedule(
        connection=connection, platform=PLATFORM, id=str(raw["state_id"]), name=query_name(raw),
        target=_target(raw), owner=str(raw.get("deployment_name") or _config(raw).get("deployment_name") or "—"),
        trigger=trigger, timezone="UTC", enabled=True, next_run=next_run(raw, trigger, now),
        last_run=last_attempt(raw) if status is not None else None, last_status=status, updated_at=None,
        comment=_comment(raw), last_error=error)


def status_rank(schedule: Schedule) -> tuple[int, str]:
    """Sort key: queries in error first, then running ones, then the rest; by name within each."""
    word = {RunStatus.FAILED: "failed", RunStatus.RUNNING: "running"}.get(schedule.last_status, "")
    return STATUS_ORDER.get(word, 2), schedule.name.lower()


def by_status(schedules: Iterable[Schedule]) -> list[Schedule]:
    return sorted(schedules, key=status_rank)


def normalize_query_run(raw: dict, connection: str) -> Run | None:
    """A scheduled query's latest outcome as a Run (its id is the query's), or None when it has not run yet.

    Alooma keeps no run history: only the last processing time, the last success and, while in error, the error
    and a count. A succeeded run ends at the last success; a failed or running one has no end to report."""
    started = parse_time(raw.get("last_processing_time"))
    succeeded = parse_time(raw.get("last_success_time"))
    started = started or succeeded
    if started is None:
        return None
    status = to_status(raw.get("status")) or RunStatus.UNKNOWN
    finished = succeeded if status is RunStatus.SUCCEEDED and succeeded and succeeded >= started else None
    config = _config(raw)
    trigger = query_trigger(raw)
    details = [("Scheduled query", query_name(raw)), ("Query id", str(raw.get("state_id"))),
               ("Event type", str(config.get("event_type") or "—")),
               ("Kind", QUERY_KINDS.get(str(config.get("query_type") or ""), "scheduled query")),
               ("Schedule", trigger.text), ("Errors counted", str(error_count(raw))),
               ("Last success", succeeded.strftime("%Y-%m-%d %H:%M:%S UTC") if succeeded else "never"),
               ("Deployment", str(raw.get("deployment_name") or "—"))]
    if raw.get("consolidation_query"):
        details.append(("Query", str(raw["consolidation_query"])))
    message = str(raw.get("error_message") or "").strip()
    failed = status is RunStatus.FAILED
    stack = str(raw.get("error_stack") or "").strip()
    return Run(
        connection=connection, platform=PLATFORM, id=str(raw["state_id"]), target=_target(raw), status=status,
        platform_status=str(raw.get("status") or "unknown"), started=started, finished=finished,
        triggered_by="schedule or Run now", schedule_id=str(raw["state_id"]),
        details=tuple(details), errors=(message,) if failed and message else (),
        messages=(RunMessage("error", stack, "error_stack"),) if failed and stack else (),
        title=f"Latest run of {query_name(raw)}")


# --- inputs ------------------------------------------------------------------------------------------
def input_task(detail: dict) -> dict:
    """The input's task from GET inputs/{id} (`tasks` is {state_id: task}; an input has one)."""
    tasks = detail.get("tasks")
    found = [t for t in (tasks.values() if isinstance(tasks, dict) else tasks or []) if isinstance(t, dict)]
    return found[0] if found else {}


def input_state(detail: dict) -> str:
    """active, failed, paused … as the task says; "unknown" without a task."""
    return str(input_task(detail).get("status") or "unknown")


def normalize_input(detail: dict, connection: str, node: dict | None = None) -> Workflow:
    """An input as a Workflow (kind "input", not runnable): its type and state in the description, with the
    error while it is in error and the throughput when the listing gave it. `updated_at` is its last success:
    when its data last arrived. Its configuration (credentials included) is never copied."""
    job = detail.get("job") if isinstance(detail.get("job"), dict) else {}
    task = input_task(detail)
    node = node or {}
    kind = str(job.get("type") or node.get("type") or task.get("type") or "input")
    state = input_state(detail)
    parts = [kind, state]
    stats = node.get("stats") if isinstance(node.get("stats"), dict) else {}
    if isinstance(stats.get("throughput"), (int, float)):
        parts.append(f"{stats['throughput']:g} events/s")
    error = last_error(task)
    if error:
        parts.append(error)
    ident = str(job.get("id") or node.get("id") or task.get("id") or "")
    return Workflow(
        connection=connection, platform=PLATFORM, id=ident,
        name=str(job.get("name") or node.get("name") or task.get("name") or ident), kind="input",
        owner=str(task.get("deployment_name") or "—"), description=" · ".join(parts),
        updated_at=parse_time(task.get("last_success_time")), runnable=False)


# --- the instance ------------------------------------------------------------------------------------
def person(user: dict) -> str:
    name = " ".join(str(user.get(k) or "") for k in ("first_name", "last_name")).strip()
    email = str(user.get("email") or "?")
    return f"{name} ({email})" if name else email


def instance_facts(deploy: dict, repository: dict, account_name: str, signed_in: dict | None,
                   auth_kind: str) -> tuple[InstanceFact, ...]:
    """Account, deployment and build, and who Flightdeck acts as; an account other than the configured one is a
    warning (the REST root names the account)."""
    account = str(repository.get("config_clientName") or account_name or "—")
    facts = [InstanceFact("Account", account, bool(account_name) and account != account_name),
             InstanceFact("Deployment", str(deploy.get("deploymentName") or "—"))]
    build = " ".join(str(deploy[k]) for k in ("gitCommitId", "gitBranch") if deploy.get(k))
    if build:
        facts.append(InstanceFact("Build", build + (f", built {deploy['buildTimestamp']}"
                                                    if deploy.get("buildTimestamp") else "")))
    facts.append(InstanceFact("Signed in as", f"{person(signed_in)}, {auth_kind}" if signed_in else auth_kind))
    return tuple(facts)
