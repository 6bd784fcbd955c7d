"""Integers read from a page's query string, bounded like the ids of its URLs (see `inspect_app.converters`)."""

from flask import request

from inspect_app.models.vocab import DB_INT_MAX


def id_arg(name: str) -> int | None:
    """A record id from the query string or form, or None when absent, not a number, or beyond any record."""
    value = request.values.get(name, type=int)
    return value if value is not None and 1 <= value <= DB_INT_MAX else None


def page_arg() -> int:
    """The `page` of a list: 1 by default; a page beyond the database's integers is the last one it can name."""
    page = request.args.get("page", 1, type=int)
    return min(max(page, 1), DB_INT_MAX)
