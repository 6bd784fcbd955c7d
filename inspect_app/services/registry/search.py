"""Text search in lists: what a person types is matched literally (`%` and `_` are characters, not wildcards)."""

import sqlalchemy as sa

from inspect_app.models import Facility

ESCAPE = "\\"


def escape_like(text: str) -> str:
    """The text with LIKE's wildcards and the escape character itself escaped."""
    return text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")


def contains(column, text: str):
    """Case-insensitive "column contains text", the text taken literally."""
    return column.ilike(f"%{escape_like(text)}%", escape=ESCAPE)


def facility_matches(text: str, *, address: bool = False):
    """A facility whose name (Russian or Kazakh), address when asked, or BIN start holds the text."""
    columns = [Facility.name_ru, Facility.name_kk] + ([Facility.address] if address else [])
    return sa.or_(*(contains(c, text) for c in columns),
                  Facility.bin.like(escape_like(text) + "%", escape=ESCAPE))
