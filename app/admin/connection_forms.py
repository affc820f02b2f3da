"""The connection form, built per platform from its service's declared settings, and its checks."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, PasswordField, StringField, ValidationError
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.connection_settings import Setting, settings_problems
from app.connection_store import ConnectionChange
from app.connections import NAME_PATTERN, registry
from app.extensions import db
from app.models import StoredConnection
from app.url_safety import UnsafeUrl, check_url, parse_network

SECRET_MAX = 4000  # a JWT refresh token is long; nothing legitimate is longer
VALUE_MAX = 500


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def name_taken(name: str) -> str | None:
    """Why the name cannot be used, or None: names are URLs, so they are unique across the file and the database."""
    if name in registry().file_connections:
        return f"{name!r} is the name of a connection in connections.toml."
    if db.session.execute(db.select(StoredConnection.id).filter_by(name=name)).first() is not None:
        return f"A connection named {name!r} exists already."
    return None


class ConnectionFormBase(FlaskForm):
    """The fields every platform's connection has; `build_form` adds the platform's own settings."""

    name = StringField("Name", filters=[_strip], validators=[
        DataRequired(message="Type a name."),
        Regexp(NAME_PATTERN, message="Lowercase letters, digits, - and _ (up to 63), starting with a letter or digit: "
                                     "it is part of every URL of the connection.")])
    label = StringField("Label", filters=[_strip], validators=[Optional(), Length(max=120)])
    base_url = StringField("Base URL", filters=[_strip], validators=[
        DataRequired(message="Type the platform's address."), Length(max=VALUE_MAX)])
    allowed_network = StringField("Allowed private network", filters=[_strip],
                                  validators=[Optional(), Length(max=64)])

    platform_key: str = ""
    settings: tuple[Setting, ...] = ()
    rules: tuple = ()
    editing: StoredConnection | None = None  # the row being edited; None for a new connection
    kept_secrets: frozenset[str] = frozenset()  # secrets the row holds, kept unless replaced or cleared

    def validate_name(self, field: StringField) -> None:
        if self.editing is None and field.data:
            taken = name_taken(field.data)
            if taken:
                raise ValidationError(taken)

    def validate_allowed_network(self, field: StringField) -> None:
        try:
            parse_network(field.data or "")
        except UnsafeUrl as error:
            raise ValidationError(str(error)) from None

    def setting_field(self, setting: Setting) -> Field:
        return self[f"s_{setting.key}"]

    def clear_field(self, setting: Setting) -> Field | None:
        return self._fields.get(f"clear_{setting.key}")

    def url_fields(self) -> list[Field]:
        return [self.base_url, *[self.setting_field(s) for s in self.settings if s.kind == "url"]]

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields one by one, then what needs several: every address checked, the platform's rules met."""
        if not super().validate(extra_validators):
            return False
        ok = True
        for field in self.url_fields():
            if field.data:
                try:
                    check_url(field.data, self.allowed_network.data or "")
                except UnsafeUrl as error:
                    field.errors = [*field.errors, str(error)]
                    ok = False
        problems = settings_problems(self.settings, self.rules, self.present())
        if problems:
            self.form_errors.extend(problems)
            ok = False
        return ok

    def refused_addresses(self) -> list[str]:
        """The address errors of the last validation, for the audit row of a refused save."""
        return [error for field in self.url_fields() for error in field.errors]

    def present(self) -> dict[str, bool]:
        """Which settings have a value once saved: typed now, or a secret kept from before and not cleared."""
        present = {}
        for setting in self.settings:
            typed = bool(self.setting_field(setting).data)
            clear = self.clear_field(setting)
            kept = setting.key in self.kept_secrets and not (clear is not None and clear.data)
            present[setting.key] = typed or (setting.kind == "secret" and kept)
        return present

    def change(self) -> ConnectionChange:
        """What to save: settings left empty are left out, so each platform's default applies."""
        options: dict[str, Any] = {}
        new_secrets: dict[str, str] = {}
        cleared: set[str] = set()
        for setting in self.settings:
            value = self.setting_field(setting).data
            if setting.kind == "secret":
                if value:
                    new_secrets[setting.key] = value
                clear = self.clear_field(setting)
                if clear is not None and clear.data and not value:
                    cleared.add(setting.key)
            elif value:
                options[setting.key] = int(value) if setting.kind == "number" else value
        return ConnectionChange(platform=self.platform_key, label=self.label.data or "",
                                base_url=self.base_url.data, allowed_network=self.allowed_network.data or "",
                                options=options, new_secrets=new_secrets, cleared_secrets=frozenset(cleared))


def _setting_field(setting: Setting) -> Field:
    validators: list[Any] = [Optional()]
    if setting.kind == "number":
        validators.append(Regexp(r"^\d{1,12}$", message="A whole number."))
    if setting.kind == "secret":
        # never rendered with its value: WTForms' PasswordField leaves value out unless told otherwise
        return PasswordField(setting.label, validators=[*validators, Length(max=SECRET_MAX)])
    return StringField(setting.label, filters=[_strip], validators=[*validators, Length(max=VALUE_MAX)])


def build_form(platform: str, service_class: Any, editing: StoredConnection | None = None,
               kept_secrets: frozenset[str] = frozenset(), **data: Any) -> ConnectionFormBase:
    """A form class for the platform's settings, instantiated (from the request when it is a submission)."""
    fields: dict[str, Any] = {"platform_key": platform, "settings": service_class.connection_settings,
                              "rules": service_class.connection_rules}
    for setting in service_class.connection_settings:
        fields[f"s_{setting.key}"] = _setting_field(setting)
        if setting.kind == "secret" and setting.key in kept_secrets:
            fields[f"clear_{setting.key}"] = BooleanField(f"Remove the stored {setting.label.lower()}")
    form_class = type(f"{service_class.__name__}ConnectionForm", (ConnectionFormBase,), fields)
    form = form_class(**data)
    form.editing, form.kept_secrets = editing, kept_secrets
    return form
