"""Forms for platform actions; each carries a CSRF token and, for runs, one execution id per render."""
from __future__ import annotations

import uuid

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Regexp

EXECUTION_ID = Regexp(r"^[0-9a-f]{32}$", message="This form is malformed; reload the page.")


class ConfirmForm(FlaskForm):
    """A confirm step: only the CSRF token."""


class RunForm(FlaskForm):
    """Start a run; parameter fields are read from the request and validated against the workflow."""

    execution_id = HiddenField(validators=[DataRequired(), EXECUTION_ID])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.execution_id.data:
            self.execution_id.data = uuid.uuid4().hex


class TwoFactorForm(FlaskForm):
    """The six-digit code of an account with two-factor authentication, typed on the token panel."""

    code = StringField(validators=[DataRequired(message="Enter the six-digit code."),
                                   Regexp(r"^\d{6}$", message="The code is six digits.")])
