"""A finished process's results: flowMetaInfo, logs and outputs (decoded form; routes encode it twice).

Log lines are one for the start and two per operator that ran (7 for a three-operator workflow, as in
the seed); a failure adds an ERROR line naming the operator, and that operator gets an output entry whose
node_meta_info carries the error; a stop adds a line naming who stopped it.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

from sandbox.teamstudio.engine import completed_steps, final_status, over_at, state_at, step_end
from sandbox.teamstudio.outputs import VISUAL_TEXT, node_meta_info, visual
from sandbox.teamstudio.world import Process, Step, User, Workfile


def engine_time(moment: datetime) -> str:
    """The engine's timestamp form, e.g. 2017-04-25T22:00:35.178+0000 (the seed shows a -0700 offset)."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}+0000"


def _log(moment: datetime, level: str, node: str, message: str) -> dict[str, str]:
    return {"logTime": engine_time(moment), "level": level, "nodeName": node, "message": message}


def _out_id(moment: datetime, rng: random.Random) -> float:
    """Epoch milliseconds with a fraction, as the seed's out_id values look (1493155451032.9402)."""
    return round(moment.timestamp() * 1000 + rng.random(), 4)


def _step_start(process: Process, step: Step) -> datetime:
    return process.started_at + timedelta(seconds=step.offset)


def build_results(process: Process, workfile: Workfile, users: Mapping[int, User], now: datetime) -> dict | None:
    """The decoded results, or None while the process runs or when it was started without saveResult=true."""
    if state_at(process, now) is not None or not process.save_result:
        return None
    rng = random.Random(f"{process.id}:results")
    status, end = final_status(process), over_at(process)
    runner = users.get(process.user_id)
    logs = [_log(process.started_at, "INFO", "", f"Workflow '{workfile.file_name}' started by "
                 f"{runner.username if runner else process.user_id} (process {process.id}).")]
    outputs: list[dict[str, Any]] = []
    done = completed_steps(process)
    for step in done:
        started, finished = _step_start(process, step), step_end(process, step)
        logs.append(_log(started, "INFO", step.name, f"Operator '{step.name}' started."))
        logs.append(_log(finished, "INFO", step.name, f"Operator '{step.name}' finished in {step.seconds:.1f} s."))
        visual_type, visual_data = visual(step, process.values, rng)
        output = {"out_id": _out_id(finished, rng), "out_title": step.name, "isGenerateReport": True,
                  "visualType": visual_type, "visualData": visual_data}
        if step.kind != "confusion":  # the seed's Confusion Matrix output has no node_meta_info
            output["node_meta_info"] = node_meta_info(step, "SUCCESS", engine_time(started), engine_time(finished))
        outputs.append(output)
    errors = 0
    running = [s for s in process.steps[len(done):] if _step_start(process, s) < end]
    if status == "FAILURE":
        step, errors = process.steps[process.fail_index or 0], 1
        started = _step_start(process, step)
        logs.append(_log(started, "INFO", step.name, f"Operator '{step.name}' started."))
        logs.append(_log(end, "ERROR", step.name, f"Operator '{step.name}' failed: {process.fail_message}"))
        outputs.append({"out_id": _out_id(end, rng), "out_title": step.name, "isGenerateReport": False,
                        "visualType": VISUAL_TEXT, "visualData": process.fail_message,
                        "node_meta_info": node_meta_info(step, "FAILURE", engine_time(started), engine_time(end),
                                                         process.fail_message)})
    elif status == "STOPPED":
        for step in running:
            logs.append(_log(_step_start(process, step), "INFO", step.name, f"Operator '{step.name}' started."))
        stopper = users.get(process.stopped_by or 0)
        logs.append(_log(end, "WARN", "", f"Workflow stopped by {stopper.username if stopper else 'a user'}."))
    meta = {"workflowId": str(workfile.id), "workflowName": workfile.file_name, "processId": process.id,
            "status": status, "startTime": engine_time(process.started_at), "endTime": engine_time(end),
            "executeUser": str(process.user_id), "noOfNodesProcessed": len(done) + errors, "noOfError": errors}
    return {"flowMetaInfo": meta, "logs": logs, "outputs": outputs}
