"""Values read from a page's query string: ids and pages bounded like the ids of its URLs (see
`inspect_app.converters`), and a list's filters, which never fail the page."""

from flask import request
from marshmallow import Schema, ValidationError

from inspect_app.models.vocab import DB_INT_MAX


def id_arg(name: str) -> int | None:
    """A record id from the query string or form, or None when absent, not a number, or beyond any record."""
    value = request.values.get(name, type=int)
    return value if value is not None and 1 <= value <= DB_INT_MAX else None


def page_arg() -> int:
    """The `page` of a list: 1 by default; a page beyond the database's integers is the last one it can name."""
    page = request.args.get("page", 1, type=int)
    return min(max(page, 1), DB_INT_MAX)


def list_filters(schema: Schema, args, names) -> dict:
    """The filters `names` of a list page's query string loaded through `schema`; a bad value is dropped rather
    than failing the page."""
    raw = {k: args.get(k) for k in names if args.get(k)}
    try:
        return schema.load(raw)
    except ValidationError as exc:
        return schema.load({k: v for k, v in raw.items() if k not in exc.messages})
