"""URL converters: an integer in a URL is a record id, bounded to what the database's integer column holds."""

from flask import Flask
from werkzeug.routing import IntegerConverter

from inspect_app.models.vocab import DB_INT_MAX


class IdConverter(IntegerConverter):
    """`<int:...>` and `<id:...>`: 1..DB_INT_MAX; anything else does not match the route (404, never a 500).

    flask-smorest documents it from `min`/`max` (it walks the converter's MRO to IntegerConverter), so the
    OpenAPI document carries the bounds too.
    """

    def __init__(self, url_map, fixed_digits=0, min=1, max=DB_INT_MAX, signed=False):  # werkzeug's argument names
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=min_int(max, DB_INT_MAX), signed=signed)


def min_int(value: int | None, bound: int) -> int:
    """The smaller of a converter's own bound (None: unbounded) and the database's."""
    return bound if value is None else min(value, bound)


def register_converters(app: Flask) -> None:
    """Bound every integer of every URL, so that no route can forget it: `int` itself is replaced.

    Every `<int:...>` of this app is a record id; must run before any blueprint adds its rules.
    """
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["id"] = IdConverter
