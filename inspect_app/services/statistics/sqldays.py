"""Whole days between a date and a UTC timestamp's date in Asia/Almaty, and a median, both computed in SQL."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from inspect_app.i18n import ALMATY


def days_since(session: Session, at: Any, day: Any) -> sa.ColumnElement:
    """Days from the date `day` to the Almaty date of the UTC timestamp `at`, as the database computes them."""
    if session.get_bind().dialect.name == "postgresql":
        local = sa.cast(sa.func.timezone("Asia/Almaty", at), sa.Date)
        return sa.cast(local - day, sa.Integer)
    # SQLite has no time zones: Almaty keeps one offset all year (no daylight saving).
    offset = datetime.now(ALMATY).utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset else 5
    local = sa.func.date(at, f"{hours:+d} hours")
    return sa.cast(sa.func.julianday(local) - sa.func.julianday(day), sa.Integer)


def medians(session: Session, key: Any, value: Any, *where: Any) -> dict[Any, tuple[float | None, int]]:
    """{key: (median of value, count)} over the rows matching `where`, in one query: each group's values are
    numbered in order and the middle one (or the mean of the middle two) kept."""
    ranked = (sa.select(key.label("key"), value.label("value"),
                        sa.func.row_number().over(partition_by=key, order_by=value).label("n"),
                        sa.func.count().over(partition_by=key).label("total"))
              .where(*where).subquery())
    middle = sa.and_(ranked.c.n >= (ranked.c.total + 1) // 2, ranked.c.n <= (ranked.c.total + 2) // 2)
    rows = session.execute(sa.select(ranked.c.key, sa.func.avg(sa.case((middle, ranked.c.value))),
                                     sa.func.max(ranked.c.total)).group_by(ranked.c.key))
    return {k: (round(float(m), 1) if m is not None else None, n) for k, m, n in rows}
