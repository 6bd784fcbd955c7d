"""Forms in and out: loading form data through a schema into a service, errors shown beside their fields."""

from flask_babel import gettext
from marshmallow import ValidationError
from wtforms.fields.choices import SelectChoice

from inspect_app.extensions import db
from inspect_app.labels import field_label
from inspect_app.messages import ui_message
from inspect_app.services.errors import NotFound, ServiceError


def flatten_errors(messages, prefix: str = "") -> dict[str, list[str]]:
    """Marshmallow's nested error dict as `{field: [messages]}`; nested keys keep their path (`absences.0`)."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, list | tuple):
        flat.setdefault(prefix or "_schema", []).extend(str(m) for m in messages)
        return flat
    if not isinstance(messages, dict):
        flat.setdefault(prefix or "_schema", []).append(str(messages))
        return flat
    for key, value in messages.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        for field, items in flatten_errors(value, name).items():
            flat.setdefault(field, []).extend(items)
    return flat


def service_errors(error) -> dict[str, list[str]]:
    """The field errors a ServiceError carries, or the message under `_schema`."""
    if error.errors:
        return flatten_errors(error.errors)
    return {"_schema": [error.message]}


def save_form(schema, data: dict, action, regroup=lambda errors: errors):
    """Load form data through the schema and call the service with it: (result, errors, HTTP status).

    Schema errors and a service's field errors come back for the form to show next to their fields
    (the session is rolled back); other service errors propagate to the error pages.
    """
    try:
        return action(schema.load(data)), {}, 200
    except ValidationError as exc:
        return None, regroup(flatten_errors(exc.messages)), 422
    except ServiceError as exc:
        if not exc.field or isinstance(exc, NotFound):
            raise
        db.session.rollback()
        return None, regroup(service_errors(exc)), exc.status


def save_submitted(form, schema, action, regroup=lambda errors: errors, **input_args):
    """`save_form` on a submitted form's `schema_input(**input_args)`; (None, {}, 200) while it is not submitted
    (or its CSRF token is wrong), so the page shows the form again."""
    if not form.validate_on_submit():
        return None, {}, 200
    return save_form(schema, form.schema_input(**input_args), action, regroup)


def group_errors(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Nested errors (`absences.0.start_date`) shown next to their top field, naming the line and part."""
    grouped: dict[str, list[str]] = {}
    for key, messages in errors.items():
        top, _sep, rest = key.partition(".")
        where = []
        for part in rest.split(".") if rest else []:
            where.append(gettext("строка %(n)s", n=int(part) + 1) if part.isdigit() else field_label(part))
        prefix = ", ".join(where) + ": " if where else ""
        # Translated before the prefix: the template's ui_message knows the message, not "line 1: message".
        grouped.setdefault(top, []).extend(prefix + ui_message(m) if prefix else m for m in messages)
    return grouped


def choices(pairs) -> list:
    """WTForms select options from (value, label) pairs (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]
