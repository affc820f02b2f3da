"""The Team Studio job forms: a new job (timing in its own zone, an optional first workflow) and a new task."""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.platforms.records import Workflow
from app.platforms.teamstudio.jobs import INTERVAL_UNITS, TASK_ACTIONS, JobSpec

UNIT_LABELS = {"on_demand": "On demand", "hours": "Hours", "days": "Days", "weeks": "Weeks", "months": "Months"}
KIND_GROUPS = {"workflow": "Workflows", "sql": "SQL files", "notebook": "Notebooks"}
MAX_INTERVAL = 1000  # a sanity bound: "every 1000 months" is already more than anyone schedules


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """The IANA zones this server knows (region/city names and UTC), sorted."""
    regions = {z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "posix/", "right/"))}
    return tuple(sorted(regions | {"UTC"}))


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def listed(message: str) -> Any:
    """A select's value must be one it offered (a workflow of this workspace, not of another or made up)."""
    def check(form: FlaskForm, field: SelectField) -> None:
        offered = {str(choice.value) for choice in field.choices or []}
        if str(field.data or "") not in offered:
            raise ValidationError(message)
    return check


def known_zone(form: FlaskForm, field: SelectField) -> None:
    """A zone zoneinfo can load: the schedule is kept on its wall clock."""
    try:
        ZoneInfo(str(field.data))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"{str(field.data)[:64]!r} is not a time zone this server knows.") from None


class JobForm(FlaskForm):
    """A new job: a schedule type with its interval and first run (on its own wall clock), or on demand."""

    name = StringField("Name", filters=[_strip], validators=[
        DataRequired("Give the job a name."), Length(max=256, message="At most 256 characters.")])
    interval_unit = SelectField("Schedule", default="days",
                                choices=[SelectChoice(u, UNIT_LABELS[u]) for u in INTERVAL_UNITS])
    interval_value = IntegerField("Every", default=1, validators=[Optional()])
    first_date = DateField("First run on", validators=[Optional()])
    first_time = TimeField("at", validators=[Optional()])
    time_zone = SelectField("Time zone", validate_choice=False, validators=[known_zone])
    end_date = DateField("Last run date", validators=[Optional()])
    description = TextAreaField("Description", filters=[_strip], validators=[
        Length(max=2000, message="At most 2000 characters.")])
    workflow = SelectField("First task", default="", validate_choice=False,
                           validators=[listed("Pick one of this workspace's workflows, or none.")])

    def __init__(self, workflows: Sequence[Workflow], default_zone: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone.choices = list(zone_names())
        if not self.is_submitted():
            self.time_zone.data = default_zone
        if self.time_zone.data and self.time_zone.data not in self.time_zone.choices:
            # a zone outside the list (Etc/GMT+5 as the viewer's, or an unknown one sent) is shown as it is
            self.time_zone.choices.insert(0, str(self.time_zone.data)[:64])
        self.workflow.choices = [SelectChoice("", "none yet (add tasks later)")] + [SelectChoice(w.id, w.name)
                                                                                  for w in workflows]

    @property
    def scheduled(self) -> bool:
        return self.interval_unit.data != "on_demand"

    def first_run(self) -> datetime | None:
        """The first run on the job's own clock, when the form names one."""
        if not (self.first_date.data and self.first_time.data):
            return None
        try:
            zone = ZoneInfo(str(self.time_zone.data))
        except (ZoneInfoNotFoundError, ValueError):
            return None
        return datetime.combine(self.first_date.data, self.first_time.data, tzinfo=zone)

    def validate(self, extra_validators: Any = None) -> bool:
        """The field checks, then the timing a scheduled job needs: an interval, a first run in the future and
        a last run date not before it. An on-demand job ignores all three."""
        valid = super().validate(extra_validators)
        if not self.scheduled:
            return valid
        value = self.interval_value.data
        if not self.interval_value.errors and (value is None or not 1 <= value <= MAX_INTERVAL):
            self.interval_value.errors.append(f"A whole number from 1 to {MAX_INTERVAL}.")
            valid = False
        for field, what in ((self.first_date, "the date of the first run"), (self.first_time, "its time")):
            if field.data is None and not field.errors:
                field.errors.append(f"A scheduled job needs {what}.")
                valid = False
        first = self.first_run()
        if first is not None and not self.time_zone.errors:
            if first <= datetime.now(timezone.utc):
                self.first_date.errors.append(f"The first run must be in the future ({self.time_zone.data} time).")
                valid = False
            elif self.end_date.data is not None and self.end_date.data < first.date():
                self.end_date.errors.append("The last run date cannot come before the first run.")
                valid = False
        return valid

    def spec(self) -> JobSpec:
        scheduled = self.scheduled
        return JobSpec(name=self.name.data or "", interval_unit=str(self.interval_unit.data),
                       interval_value=int(self.interval_value.data or 0) if scheduled else 0,
                       first_run=self.first_run() if scheduled else None, time_zone=str(self.time_zone.data),
                       end_date=self.end_date.data if scheduled else None, description=self.description.data or "")


class TaskForm(FlaskForm):
    """A new task: a workfile of the job's workspace; its action follows from its type."""

    workfile = SelectField("Workfile", validate_choice=False, validators=[
        InputRequired("Pick a workfile."), listed("Pick one of this workspace's workflows, SQL files or notebooks.")])

    def __init__(self, workfiles: Sequence[Workflow], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workfile.choices = [SelectChoice("", "— pick one —")] + [
            SelectChoice(w.id, w.name, optgroup=KIND_GROUPS.get(kind, kind))
            for kind in TASK_ACTIONS for w in workfiles if w.kind == kind]

