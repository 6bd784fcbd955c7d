"""Account schemas: the users page's create and edit forms, one's own password and language, API tokens.

The rules of who may give which role live in `services/access/`; these say what a well-formed value is.
"""

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from inspect_app.models.vocab import ROLES
from inspect_app.schemas.fields import FullMatch, RecordId, Text, validate_kato

LANGUAGES = ("ru", "kk", "en")
TOKEN_MAX_DAYS = 365  # services.users.TOKEN_MAX_DAYS; the service refuses beyond it too
validate_username = FullMatch(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$",
                              error="A username is 3-64 Latin letters, digits, dots, hyphens or underscores.")


class AccountSchema(Schema):
    """What the users page sets on an account: role, region (supervisors and inspectors), name, language."""

    class Meta:
        unknown = EXCLUDE

    full_name = Text(load_default="", validate=validate.Length(max=200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    region_kato = fields.String(load_default=None, allow_none=True, validate=validate_kato)
    locale = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(LANGUAGES))


class AccountCreateSchema(AccountSchema):
    """A new account: a username, and optionally the inspector record (of the registry) it belongs to."""

    username = fields.String(required=True, validate=validate_username)
    inspector_id = RecordId(load_default=None, allow_none=True)


class AccountQueryArgsSchema(Schema):
    """Filters of the users list."""

    class Meta:
        unknown = EXCLUDE

    q = Text(load_default="", validate=validate.Length(max=100))
    role = fields.String(load_default=None, validate=validate.OneOf(ROLES))
    region = fields.String(load_default=None, validate=validate_kato)
    active = fields.String(load_default=None, validate=validate.OneOf(("yes", "no")))


class NewPasswordSchema(Schema):
    """A new password chosen through a one-time link (no current password: the link proves who it is)."""

    class Meta:
        unknown = EXCLUDE

    password = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    password_repeat = fields.String(required=True, validate=validate.Length(max=1000))

    @validates_schema
    def same_twice(self, data, **kwargs):
        """The repeated password must be the same."""
        if data.get("password") != data.get("password_repeat"):
            raise ValidationError("The two passwords differ.", "password_repeat")


class PasswordChangeSchema(NewPasswordSchema):
    """One's own new password: the current one, and the new one typed twice."""

    current_password = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class LanguageSchema(Schema):
    """One's own interface language."""

    class Meta:
        unknown = EXCLUDE

    locale = fields.String(required=True, validate=validate.OneOf(LANGUAGES))


class TokenCreateSchema(Schema):
    """A new API token: a name to recognise it by and its life in days (every token expires)."""

    class Meta:
        unknown = EXCLUDE

    name = Text(required=True, validate=validate.Length(min=1, max=100))
    days = fields.Integer(required=True, validate=validate.Range(min=1, max=TOKEN_MAX_DAYS))
