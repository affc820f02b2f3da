"""Forms of the user admin pages: a new local user, a role change and a password reset."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, ValidationError
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from app.extensions import db
from app.models import ROLES, User

USERNAME_RULE = Regexp(r"^[A-Za-z0-9._-]{3,80}$",
                       message="3 to 80 characters: letters, digits, dot, underscore or hyphen.")
# long enough that guessing is hopeless even without other rules; the login form accepts up to 200
PASSWORD_MIN = 12
PASSWORD_MAX = 200
ROLE_CHOICES = list(ROLES)  # value and label are the same word


def username_taken(username: str) -> bool:
    """Whether a user of this name exists in any case: "Alice" and "alice" would be told apart by the database
    but not by the people reading the audit log."""
    query = db.select(User.id).where(db.func.lower(User.username) == username.lower()).limit(1)
    return db.session.execute(query).first() is not None


class _NewPassword:
    """The password typed twice; mixed into the forms that set one, so both apply the same rules."""

    password = PasswordField("Password", validators=[
        DataRequired(message="Type a password."),
        Length(min=PASSWORD_MIN, max=PASSWORD_MAX,
               message=f"Between {PASSWORD_MIN} and {PASSWORD_MAX} characters.")])
    confirm = PasswordField("Password again", validators=[
        DataRequired(message="Type the password again."),
        EqualTo("password", message="The two passwords differ.")])


class NewUserForm(_NewPassword, FlaskForm):
    """A local account: a password here, checked by Flightdeck itself."""

    username = StringField("Username", filters=[lambda value: value.strip() if isinstance(value, str) else value],
                           validators=[DataRequired(message="Type a username."), USERNAME_RULE])
    role = SelectField("Role", choices=ROLE_CHOICES, default="viewer")

    def validate_username(self, field: StringField) -> None:
        if field.data and username_taken(field.data):
            raise ValidationError(f"A user named {field.data!r} exists already (names are compared in any case).")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class PasswordResetForm(_NewPassword, FlaskForm):
    """An admin sets a new password for a local user (SSO users have none here)."""
