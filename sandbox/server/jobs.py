"""Job fates, engine messages and outputs; all derived from (seed, job id) so they never need storing."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from sandbox.server.templates import ERROR_MESSAGES, READ_TOOLS, WARNING_MESSAGES
from sandbox.server.world import Job, Workflow, World

QUEUE_SECONDS = 5.0
ERROR_SHARE = 0.08
WARNING_SHARE = 0.10
BIG_OUTPUT_ROWS = 85_000  # about 5 MB of CSV
# status codes of engine messages (server.md §1.3)
INFO, WARNING, ERROR, TOOL_COMPLETE = 1, 2, 3, 4


def hex_id(rng: random.Random) -> str:
    """A 24-hex id shaped like a MongoDB ObjectId, drawn from rng so it repeats for the same seed."""
    return f"{rng.getrandbits(96):024x}"


def job_rng(seed: int, job_id: str, purpose: str) -> random.Random:
    """A private random source per job and purpose, so details depend on seed and id, not on call order."""
    return random.Random(f"{seed}:{purpose}:{job_id}")


def draw_fate(seed: int, workflow: Workflow, job_id: str, cancel_share: float = 0.0) -> tuple[float, str]:
    """(duration in seconds, to 0.1 s; outcome) for one run of workflow."""
    rng = job_rng(seed, job_id, "fate")
    duration = round(max(1.0, workflow.duration * rng.uniform(0.8, 1.2)), 1)
    roll = rng.random()
    if workflow.outcome != "random":
        return duration, workflow.outcome
    if roll < cancel_share:
        return duration, "Cancelled"
    if roll < cancel_share + ERROR_SHARE:
        return duration, "Error"
    if roll < cancel_share + ERROR_SHARE + WARNING_SHARE:
        return duration, "Warning"
    return duration, "Success"


def new_job(world: World, rng: random.Random | None, workflow_id: str, created: datetime, creator_id: str, *,
            cancel_share: float = 0.0, job_id: str | None = None, **fields: object) -> Job:
    """Create and register a job whose fate follows from the seed and its id (drawn from rng unless given)."""
    workflow = world.workflows[workflow_id]
    job_id = job_id or hex_id(rng)  # type: ignore[arg-type]
    duration, outcome = draw_fate(world.seed, workflow, job_id, cancel_share)
    fields.setdefault("worker_tag", workflow.worker_tag)
    job = Job(job_id, workflow_id, created, QUEUE_SECONDS, duration, outcome, creator_id,
              **fields)  # type: ignore[arg-type]
    return world.add_job(job)


@dataclass(frozen=True, slots=True)
class Output:
    """One file a finished job wrote: the API's {id, availableFormats, fileName} plus how many rows it holds."""

    id: str
    file_name: str
    formats: tuple[str, ...]
    columns: tuple[str, ...]
    rows: int

    def as_json(self) -> dict:
        """{id, availableFormats, fileName}."""
        return {"id": self.id, "availableFormats": list(self.formats), "fileName": self.file_name}


@dataclass(frozen=True, slots=True)
class RunDetail:
    """What a terminal job reports: its engine messages and outputs."""

    messages: list[dict]
    outputs: list[Output]
    error_text: str


def _message(status: int, text: str, tool_id: int) -> dict:
    """One engine message, keys in the API's order."""
    return {"status": status, "text": text, "toolId": tool_id}


def _count(n: int) -> str:
    return f"{n:,}"


def run_detail(seed: int, job: Job, workflow: Workflow) -> RunDetail:
    """Messages and outputs of a finished job; the last message carries the run time to 0.1 s."""
    rng = job_rng(seed, job.id, "detail")
    name = workflow.file_name
    messages = [_message(INFO, f"Started running {name}", -1)]
    read_rows = rng.randint(800, 250_000)
    source = rng.choice(("sales_2025.csv", "Warehouse: dbo.Orders", "crm_export.xlsx", "ledger.yxdb"))
    messages.append(_message(TOOL_COMPLETE, f"{rng.choice(READ_TOOLS)} (1): {_count(read_rows)} records were read "
                                            f"from \"{source}\"", 1))
    if job.outcome == "Cancelled":
        messages.append(_message(INFO, "The job was cancelled by the user.", -1))
        return RunDetail(messages, [], "")
    messages.append(_message(TOOL_COMPLETE, f"Summarize (3): {_count(rng.randint(50, read_rows))} records were "
                                            "summarized", 3))
    error_text = ""
    if job.outcome == "Error":
        tool, text = ERROR_MESSAGES[0] if workflow.outcome == "Error" else rng.choice(ERROR_MESSAGES)
        error_text = text
        messages.append(_message(ERROR, text, tool))
        suffix = " with 1 error"
        outputs: list[Output] = []
    else:
        outputs = []
        for index, spec in enumerate(workflow.outputs):
            rows = BIG_OUTPUT_ROWS if job.big_output and index == 0 else rng.randint(200, 4000)
            output = Output(hex_id(rng), spec.file_name, spec.formats, spec.columns, rows)
            outputs.append(output)
            messages.append(_message(TOOL_COMPLETE, f"Output Data ({7 + index}): {_count(rows)} records were "
                                                    f"written to \"{spec.file_name}\"", 7 + index))
        suffix = ""
        if job.outcome == "Warning":
            warnings = rng.sample(WARNING_MESSAGES, rng.randint(1, 3))
            messages.extend(_message(WARNING, text, tool) for tool, text in warnings)
            suffix = " with 1 warning" if len(warnings) == 1 else f" with {len(warnings)} warnings"
    messages.append(_message(INFO, f"Finished running {name} in {job.duration:.1f} seconds{suffix}", -1))
    return RunDetail(messages, outputs, error_text)


def messages_at(seed: int, job: Job, workflow: Workflow, now: datetime) -> list[dict]:
    """Messages as of now: none while queued, the start line while running, all of them once terminal."""
    status = job.status_at(now)
    if status == "Queued":
        return []
    if status == "Running":
        return [_message(INFO, f"Started running {workflow.file_name}", -1)]
    return run_detail(seed, job, workflow).messages


def outputs_at(seed: int, job: Job, workflow: Workflow, now: datetime) -> list[Output]:
    """Outputs once the job completed (none before, none for errors or cancellations)."""
    if job.status_at(now) != "Completed":
        return []
    return run_detail(seed, job, workflow).outputs
