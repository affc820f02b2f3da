"""Alooma's pipeline page (inputs -> Code Engine -> Mapper -> output, the Restream Queue, sleep times), its JSON
twin, Start restream (confirmed) and the form that changes an input's sleep time."""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length, ValidationError

from app.api.serialize import to_json
from app.audit import record_action
from app.auth.roles import role_required
from app.cache import Fetched, stale_notes
from app.connections import service_or_404
from app.errors import NotFound, PlatformError
from app.exports import json_response
from app.listing import matching, search_text
from app.pagination import clamp_page, page_of, requested_per_page
from app.platforms.alooma import bp
from app.platforms.alooma.pipeline import (INPUT_STATES, AloomaPipeline, Pipeline, PipelineInput, flow_inputs,
                                           sleep_refusal, with_sleep_times)
from app.platforms.forms import ConfirmForm
from app.platforms.views import confirmed_action, fetch_or_banner, unique_errors

FLOW_INPUTS = 8  # inputs drawn in the flow; the table below lists every one
PLATFORM = "alooma"


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def positive_seconds(form: FlaskForm, field: StringField) -> None:
    """A number of seconds Alooma takes: more than 0, at most 30 days."""
    try:
        value = float(str(field.data))
    except ValueError:
        raise ValidationError("Enter the sleep time as a number of seconds, e.g. 300 for five minutes.") from None
    refusal = sleep_refusal(value)
    if refusal:
        raise ValidationError(refusal)


class SleepTimeForm(FlaskForm):
    """An input's new sleep time in seconds."""

    seconds = StringField("Sleep time (seconds)", filters=[_strip], validators=[
        InputRequired("Enter the sleep time in seconds, e.g. 300 for five minutes."),
        Length(max=32, message="Enter the sleep time as a number of seconds, e.g. 300 for five minutes."),
        positive_seconds])

    @property
    def value(self) -> float:
        return float(str(self.seconds.data))


def _reads(connection: str) -> tuple[Any, AloomaPipeline]:
    svc = service_or_404(connection, PLATFORM)
    return svc, AloomaPipeline(svc)


def _audit(connection: str, object_type: str, object_id: str | None) -> dict[str, Any]:
    return dict(connection=connection, platform=PLATFORM, object_type=object_type, object_id=object_id)


def _with_sleep_times(reads: AloomaPipeline, errors: list[PlatformError]) -> tuple[Fetched | None, Pipeline | None]:
    """The pipeline (a banner when it fails) with each input's sleep time (a banner of its own, the rest shown)."""
    fetched = fetch_or_banner(reads.pipeline, errors)
    if fetched is None:
        return None, None
    sleeps = fetch_or_banner(lambda: reads.sleep_times(i.id for i in fetched.value.inputs), errors)
    return fetched, with_sleep_times(fetched.value, sleeps.value if sleeps else {})


def _state() -> str:
    state = request.args.get("state", "")
    return state if state in INPUT_STATES else ""


def _inputs_shown(inputs: tuple[PipelineInput, ...], q: str, state: str) -> list[PipelineInput]:
    return [i for i in matching(inputs, q, lambda i: (i.name, i.type, i.error_message))
            if not state or i.state == state]


@bp.route("/<connection>/pipeline")
@login_required
def pipeline(connection: str):
    """The flow from the inputs through the Code Engine and Mapper to the output with each node's throughput and
    latency, the output's connection and masked configuration, the Restream Queue, and every input's state."""
    svc, reads = _reads(connection)
    errors: list[PlatformError] = []
    fetched, flow = _with_sleep_times(reads, errors)
    q, state = search_text(request.args), _state()
    rows = _inputs_shown(flow.inputs if flow else (), q, state)
    page = page_of(rows, clamp_page(request.args.get("page")), requested_per_page())
    drawn, left_out = flow_inputs(flow.inputs, FLOW_INPUTS) if flow else ([], 0)
    return render_template("alooma/pipeline.html", svc=svc, errors=unique_errors(errors), fetched=fetched,
                           flow=flow, page=page, q=q, state=state, states=INPUT_STATES, drawn=drawn,
                           left_out=left_out)


@bp.route("/<connection>/pipeline.json")
@login_required
def pipeline_json(connection: str):
    """The whole pipeline as the page shows it (configuration masked); a platform failure is a JSON error body."""
    _, reads = _reads(connection)
    fetched = reads.pipeline()
    sleeps = reads.sleep_times(i.id for i in fetched.value.inputs)
    flow = with_sleep_times(fetched.value, sleeps.value)
    body = to_json(flow)
    if flow.restream is not None:
        body["restream"].update(percent_used=flow.restream.percent_used,
                                start_refusal=flow.restream.start_refusal or None)
    if flow.output is not None:
        body["output"]["connected"] = flow.output.connected
    return json_response(f"alooma-{connection}-pipeline", {
        "pipeline": body, "stale": stale_notes(fetched, sleeps)})


@bp.route("/<connection>/pipeline/restream", methods=["GET", "POST"])
@role_required("operator")
def restream_start(connection: str):
    """Start restreaming the held events, after a confirm step; refused unsent when nothing is held or a restream
    is already running; audited as restream_start whatever happens."""
    svc, reads = _reads(connection)
    form = ConfirmForm()
    try:
        queue = reads.restream_queue()  # live: the decision is made on what Alooma holds now
    except NotFound as error:
        abort(404, description=error.describe())
    except PlatformError as error:
        if form.validate_on_submit():
            record_action("restream_start", outcome="failed", error=error.describe(),
                          **_audit(connection, "restream", None))
        return render_template("alooma/restream_confirm.html", svc=svc, queue=None, form=form, errors=[error])
    back = redirect(url_for("alooma.pipeline", connection=connection))
    audit = _audit(connection, "restream", queue.node_id)
    if form.validate_on_submit():
        if queue.start_refusal:
            record_action("restream_start", outcome="refused", error=queue.start_refusal,
                          params={"held": queue.held, "streaming": queue.streaming}, **audit)
            flash(f"{queue.start_refusal} Nothing was sent.", "info")
            return back
        confirmed_action("restream_start", reads.start_restream, audit=audit,
                         params={"held": queue.held, "size_used": queue.size_used},
                         done=f"Restream started: {queue.held:,} held events are going back through the pipeline.",
                         failed="Could not start the restream")
        return back
    return render_template("alooma/restream_confirm.html", svc=svc, queue=queue, form=form, errors=[])


@bp.route("/<connection>/inputs/<input_id>/sleep-time", methods=["GET", "POST"])
@role_required("operator")
def input_sleep_time(connection: str, input_id: str):
    """Change how long an input waits between pulls; a value outside (0, 30 days] is refused at the form and
    nothing is sent; audited as input_sleep_time with the old and new values."""
    svc, reads = _reads(connection)
    form = SleepTimeForm()
    try:
        current = reads.input_sleep(input_id)
    except NotFound as error:
        abort(404, description=error.describe())
    except PlatformError as error:  # nothing can be changed without knowing the input: the form is not offered
        return render_template("alooma/sleep_time.html", svc=svc, item=None, form=form, errors=[error])
    if not form.is_submitted():
        form.seconds.data = f"{current.seconds:g}"
    if form.validate_on_submit():
        new = form.value
        confirmed_action(
            "input_sleep_time", lambda: reads.set_sleep_time(input_id, new), audit=_audit(connection, "input", input_id),
            params={"name": current.name, "old_seconds": current.seconds, "new_seconds": new},
            done=f"{current.name} now sleeps {new:g} s between pulls (was {current.seconds:g} s).",
            failed=f"Could not change the sleep time of {current.name}")
        return redirect(url_for("alooma.pipeline", connection=connection))
    posted = request.method == "POST"
    return render_template("alooma/sleep_time.html", svc=svc, item=current, form=form, errors=[]), \
        400 if posted else 200
